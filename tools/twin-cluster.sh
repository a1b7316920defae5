#!/usr/bin/env bash
# The production topology of docker-compose.yml, with local processes instead of containers: its
# "twin" (README, "Running several nodes"). Compose cannot run on the build machines (no Docker
# engine), so the two-node test (tests/InfraTerra.Tests/Operations/TwoNodesTests.cs) and the
# two-node bench (bench/two-nodes.sh) start this instead. Keep the two in step: the same settings
# names, the same secrets as files under the same names, `migrate` once before any node, two app
# nodes on one database and one Redis, the repository's Caddyfile in front of both.
#
# What differs, and why:
#   - PostgreSQL instead of SQL Server (no SQL Server on the build machines): the caller gives a
#     server; the app takes the database named in the connection string (created by `migrate`).
#   - Caddy terminates TLS on a loopback port (INFRATERRA_SITE=https://127.0.0.1:PORT) with a
#     certificate from its own local authority instead of Let's Encrypt (no public name here):
#     cluster.env's PROXY_CA is that authority's root, for clients to trust (curl --cacert,
#     SSL_CERT_FILE). The nodes themselves speak plain http on loopback, as behind compose's proxy:
#     a client that reaches a node directly says what the proxy would say, X-Forwarded-Proto: https
#     (Production's cookies and forms are https-only).
#   - The app's own loopback ports stand in for the compose network: Proxy__TrustedProxies is
#     127.0.0.1, Caddy's address here, as compose names the proxy's fixed address.
#   - The operator network is 127.0.0.2 (OPERATOR_ADDRESS in cluster.env): each node's metrics port
#     answers only a peer with that source address, e.g.
#     curl --interface 127.0.0.2 "$NODE1_METRICS_URL" (from 127.0.0.1, the proxy's, it is a 404).
#
# Usage:
#   STATE_DIR=/tmp/twin POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres;Database=infraterra' \
#     [REDIS=127.0.0.1:6379] tools/twin-cluster.sh start
#   STATE_DIR=/tmp/twin tools/twin-cluster.sh command create-user --email you@example.org --role Supervisor
#   STATE_DIR=/tmp/twin tools/twin-cluster.sh restart node1
#   STATE_DIR=/tmp/twin tools/twin-cluster.sh stop
#
# `start` writes $STATE_DIR/cluster.env (NODE1_URL, NODE2_URL, PROXY_URL, PROXY_CA, NODE1_PID, NODE2_PID,
# CADDY_PID, REDIS_PID when it started Redis, REDIS, DATABASE, NODE1_METRICS_URL, NODE2_METRICS_URL,
# OPERATOR_ADDRESS) for callers to source or read, and
# logs into $STATE_DIR/logs. `command` runs an operator command (Infrastructure/OperatorCommands.cs)
# with the nodes' settings, as `docker compose run --rm app <command>` does. `stop` ends every
# process `start` started (and only those: their ids are in cluster.env) and keeps the state folder.
#
# Settings (environment):
#   STATE_DIR     required: secrets, logs, Caddy's state, cluster.env
#   POSTGRES      start: required, an Npgsql connection string (its Database is the app's)
#   REDIS         host:port of a Redis server; unset: starts redis-server on a free loopback port,
#                 saving nothing (--save "" --appendonly no)
#   REDIS_INSTANCE_NAME  the nodes' key prefix in Redis (Redis__InstanceName), default "infraterra:"
#   APP_DLL       the app to run; default: the newest src/InfraTerra.Web/bin/*/net10.0/InfraTerra.Web.dll
#                 (dotnet build InfraTerra.sln), or a published one (bench/two-nodes.sh)
#   CONTENT_ROOT  default: the folder of APP_DLL when it holds wwwroot (published), else src/InfraTerra.Web
#   ENVIRONMENT   ASPNETCORE_ENVIRONMENT of the nodes, default Production (the bench's load generator
#                 needs Development, as bench/tips-sustained.sh does)
#   EXTRA_SETTINGS       more app settings for tests and benches, one NAME=value a line (":" or "__")
#   EXTRA_SETTINGS_FILE  the same, from a file
#   CADDY         default: caddy on the PATH
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${STATE_DIR:?set STATE_DIR to the folder of the cluster}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[twin] %s\n' "$*"; }
die() { printf '[twin] %s\n' "$*" >&2; exit 1; }

# Sets FREE_PORT to a loopback port nothing listens on and this run has not handed out yet.
TAKEN=" " FREE_PORT=""
# The operator network's one address (Metrics__AllowedNetworks); see the header.
OPERATOR_ADDRESS=127.0.0.2
free_port() {
    local port=$((20000 + (RANDOM * 32768 + RANDOM + $$) % 30000))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || [[ "$TAKEN" == *" $port "* ]]; do
        port=$((port + 1))
    done
    TAKEN+="$port "
    FREE_PORT="$port"
}

find_app() {
    if [ -n "${APP_DLL:-}" ]; then
        [ -f "$APP_DLL" ] || die "APP_DLL=$APP_DLL does not exist"
        echo "$APP_DLL"
        return
    fi
    # shellcheck disable=SC2012 # names are ours, without spaces
    local newest
    newest="$(ls -t "$REPO"/src/InfraTerra.Web/bin/*/net10.0/InfraTerra.Web.dll 2>/dev/null | head -n 1 || true)"
    [ -n "$newest" ] || die "No InfraTerra.Web.dll: run 'dotnet build InfraTerra.sln' or set APP_DLL"
    echo "$newest"
}

# The settings every node and every operator command gets (not secrets: those are files), one NAME=value a line.
write_settings() {
    local file="$1"
    {
        echo "ASPNETCORE_ENVIRONMENT=${ENVIRONMENT:-Production}"
        # As docker-compose.yml's x-app environment, engine aside.
        echo "Database__Provider=Postgres"
        echo "SecretsFolder=$STATE_DIR/secrets"
        echo "Tips__MasterKeyId=$MASTER_KEY_ID"
        echo "DataProtection__CertificatePath=$STATE_DIR/secrets/dataprotection.pfx"
        echo "Site__PublicBaseUrl=$PROXY_URL"
        echo "Proxy__ForwardedProto=true"
        echo "Proxy__TrustedProxies=127.0.0.1"
        echo "ConnectionStrings__Redis=$REDIS"
        echo "Redis__InstanceName=${REDIS_INSTANCE_NAME:-infraterra:}"
        # Inotify instances are few and shared by every process of the user: poll instead.
        echo "DOTNET_USE_POLLING_FILE_WATCHER=1"
        echo "ASPNETCORE_hostBuilder__reloadConfigOnChange=false"
        # Then what the caller adds (later lines win).
        local line
        for line in "${EXTRA[@]}"; do
            local name="${line%%=*}"
            echo "${name//:/__}=${line#*=}"
        done
    } >"$file"
}

read_extra() {
    EXTRA=()
    local line
    while IFS= read -r line; do
        line="${line#"${line%%[![:space:]]*}"}"
        [ -z "$line" ] || [[ "$line" == \#* ]] && continue
        [[ "$line" == *=* ]] || die "EXTRA_SETTINGS: '$line' is not NAME=value"
        EXTRA+=("$line")
    done < <(
        if [ -n "${EXTRA_SETTINGS_FILE:-}" ]; then cat "$EXTRA_SETTINGS_FILE"; echo; fi
        printf '%s\n' "${EXTRA_SETTINGS:-}"
    )
}

# Secrets as files, named as compose mounts them in /run/secrets (the setting each gives, "__" for
# ":"), made as docker-compose.yml's comment makes them. Mode 600: only this user reads them.
make_secrets() {
    local folder="$STATE_DIR/secrets"
    mkdir -p "$folder"
    chmod 700 "$folder"
    (
        umask 077
        cd "$folder"
        openssl rand -base64 32 >Tips__MasterKey
        openssl rand -base64 32 >Tips__LookupKey
        openssl rand -base64 32 >Audit__Key
        openssl rand -hex 24 >DataProtection__CertificatePassword
        # The database's connection string is a secret in compose too (ConnectionStrings__SqlServer there).
        printf '%s\n' "$POSTGRES" >ConnectionStrings__Postgres
        openssl req -x509 -newkey rsa:3072 -sha256 -days 730 -nodes -subj "/CN=InfraTerra Data Protection" \
            -keyout dp.key -out dp.crt >/dev/null 2>&1
        openssl pkcs12 -export -inkey dp.key -in dp.crt -out dataprotection.pfx -passout file:DataProtection__CertificatePassword
        rm dp.key dp.crt
        chmod 600 ./*
    )
}

# The cluster's settings as NUL-separated NAME=value words, for env.
app_env() {
    local settings=()
    local line
    while IFS= read -r line; do settings+=("$line"); done <"$STATE_DIR/settings.env"
    printf '%s\0' "${settings[@]}"
}

run_command() {
    [ -f "$STATE_DIR/cluster.env" ] || die "No cluster in $STATE_DIR (run start first)"
    # shellcheck source=/dev/null
    source "$STATE_DIR/cluster.env"
    local settings=()
    mapfile -d '' settings < <(app_env)
    mkdir -p "$STATE_DIR/command/data" "$STATE_DIR/command/tmp"
    (
        cd "$CONTENT_ROOT"
        exec env "${settings[@]}" ASPNETCORE_CONTENTROOT="$CONTENT_ROOT" Node__Name=command DataFolder="$STATE_DIR/command/data" TMPDIR="$STATE_DIR/command/tmp" \
            dotnet "$APP_DLL" "$@"
    )
}

start_node() {
    local name="$1" port="$2" metrics_port="$3"
    local settings=()
    mapfile -d '' settings < <(app_env)
    mkdir -p "$STATE_DIR/$name/data" "$STATE_DIR/$name/tmp"
    (
        cd "$CONTENT_ROOT"
        exec env "${settings[@]}" ASPNETCORE_CONTENTROOT="$CONTENT_ROOT" Node__Name="$name" ASPNETCORE_URLS="http://127.0.0.1:$port" \
            Metrics__Port="$metrics_port" Metrics__AllowedNetworks="$OPERATOR_ADDRESS/32" \
            DataFolder="$STATE_DIR/$name/data" TMPDIR="$STATE_DIR/$name/tmp" \
            dotnet "$APP_DLL"
    ) </dev/null >>"$STATE_DIR/logs/$name.log" 2>&1 &
    echo $!
}

wait_ready() {
    local url="$1" pid="$2" name="$3" ca="$STATE_DIR/caddy/data/pki/authorities/local/root.crt"
    for _ in $(seq 1 240); do
        if [[ "$url" != https:* ]]; then
            if curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; then return 0; fi
        elif [ -f "$ca" ] && curl -fsS -o /dev/null --max-time 5 --cacert "$ca" "$url" 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 40 "$STATE_DIR/logs/$name.log" >&2; die "$name exited before it was ready"; }
        sleep 0.5
    done
    tail -n 40 "$STATE_DIR/logs/$name.log" >&2
    die "$name was not ready at $url within 2 minutes"
}

start() {
    : "${POSTGRES:?set POSTGRES to an Npgsql connection string}"
    command -v openssl >/dev/null || die "openssl is required"
    command -v curl >/dev/null || die "curl is required"
    CADDY="${CADDY:-$(command -v caddy || true)}"
    [ -n "$CADDY" ] || die "caddy is required (apt-get install -y caddy)"
    [ ! -f "$STATE_DIR/cluster.env" ] || die "$STATE_DIR/cluster.env exists: stop that cluster first (or use another STATE_DIR)"
    mkdir -p "$STATE_DIR/logs" "$STATE_DIR/caddy"
    STATE_DIR="$(cd "$STATE_DIR" && pwd)"
    APP_DLL="$(cd "$(dirname "$(find_app)")" && pwd)/InfraTerra.Web.dll"
    if [ -z "${CONTENT_ROOT:-}" ]; then
        if [ -d "$(dirname "$APP_DLL")/wwwroot" ]; then CONTENT_ROOT="$(dirname "$APP_DLL")"; else CONTENT_ROOT="$REPO/src/InfraTerra.Web"; fi
    fi
    read_extra

    # Everything this run starts is recorded at once, so that `stop` finds it even after a failed start.
    local env_file="$STATE_DIR/cluster.env"
    : >"$env_file"
    record() { printf '%s=%q\n' "$1" "$2" >>"$env_file"; }
    record APP_DLL "$APP_DLL"
    record CONTENT_ROOT "$CONTENT_ROOT"
    STARTED=0
    trap 'if [ "$STARTED" = 0 ]; then log "start failed: stopping what it started"; stop >/dev/null 2>&1 || true; fi' EXIT

    if [ -z "${REDIS:-}" ]; then
        command -v redis-server >/dev/null || die "redis-server is required when REDIS is not set (apt-get install -y redis-server)"
        free_port
        local redis_port="$FREE_PORT"
        mkdir -p "$STATE_DIR/redis"
        redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$STATE_DIR/redis" \
            --daemonize yes --pidfile "$STATE_DIR/redis/redis.pid" --logfile "$STATE_DIR/logs/redis.log"
        for _ in $(seq 1 50); do [ -s "$STATE_DIR/redis/redis.pid" ] && break; sleep 0.1; done
        record REDIS_PID "$(cat "$STATE_DIR/redis/redis.pid")"
        REDIS="127.0.0.1:$redis_port"
        for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
        log "Redis on $REDIS (started here, saving nothing)"
    fi
    record REDIS "$REDIS"

    free_port; local node1_port="$FREE_PORT"
    free_port; local node2_port="$FREE_PORT"
    free_port; local proxy_port="$FREE_PORT"
    # Compose's operator network is one loopback address here, OPERATOR_ADDRESS: not 127.0.0.1, which
    # is Caddy's, the trusted proxy's, and a node never serves its metrics to its proxy (the public
    # side). Each node's metrics port listens on the loopback and answers only that address.
    free_port; local node1_metrics="$FREE_PORT"
    free_port; local node2_metrics="$FREE_PORT"
    PROXY_URL="https://127.0.0.1:$proxy_port"
    MASTER_KEY_ID="twin-$(date -u +%Y%m%d)-$(openssl rand -hex 3)"
    make_secrets
    write_settings "$STATE_DIR/settings.env"

    # Compose's `migrate` service: once, before any node starts.
    log "migrate (once)"
    if ! run_command migrate >"$STATE_DIR/logs/migrate.log" 2>&1; then
        cat "$STATE_DIR/logs/migrate.log" >&2
        die "migrate failed"
    fi

    local node1_pid node2_pid
    node1_pid="$(start_node node1 "$node1_port" "$node1_metrics")"
    record NODE1_PID "$node1_pid"
    node2_pid="$(start_node node2 "$node2_port" "$node2_metrics")"
    record NODE2_PID "$node2_pid"
    record OPERATOR_ADDRESS "$OPERATOR_ADDRESS"
    record NODE1_METRICS_URL "http://127.0.0.1:$node1_metrics/metrics"
    record NODE2_METRICS_URL "http://127.0.0.1:$node2_metrics/metrics"
    record NODE1_URL "http://127.0.0.1:$node1_port"
    record NODE2_URL "http://127.0.0.1:$node2_port"

    # The repository's Caddyfile with options for a loopback run added to its global block, as
    # tests/InfraTerra.Tests/Support/CaddyProxy.cs adds them: no admin endpoint (several Caddys may run
    # on one machine), its local authority instead of ACME, nothing installed into the system's trust
    # store, loopback only, no port-80 redirect server, its state in STATE_DIR. Compose's proxy gets the
    # same file with both nodes as upstreams.
    awk -v storage="$STATE_DIR/caddy/data" '
        !done && /^[[:space:]]*\{[[:space:]]*$/ {
            print; print "\tadmin off"; print "\tlocal_certs"; print "\tskip_install_trust"
            print "\tdefault_bind 127.0.0.1"; print "\tauto_https disable_redirects"
            print "\tstorage file_system " storage; done = 1; next
        }
        { print }' "$REPO/Caddyfile" >"$STATE_DIR/caddy/Caddyfile"
    (
        cd "$STATE_DIR/caddy"
        exec env HOME="$STATE_DIR/caddy" XDG_CONFIG_HOME="$STATE_DIR/caddy/config" XDG_DATA_HOME="$STATE_DIR/caddy/data" \
            INFRATERRA_SITE="$PROXY_URL" INFRATERRA_UPSTREAM="127.0.0.1:$node1_port 127.0.0.1:$node2_port" \
            "$CADDY" run --config "$STATE_DIR/caddy/Caddyfile" --adapter caddyfile
    ) </dev/null >>"$STATE_DIR/logs/caddy.log" 2>&1 &
    record CADDY_PID "$!"
    record PROXY_URL "$PROXY_URL"
    record PROXY_CA "$STATE_DIR/caddy/data/pki/authorities/local/root.crt"
    record DATABASE "$(printf '%s' "$POSTGRES" | tr ';' '\n' | awk -F= 'tolower($1) == "database" { print $2 }')"

    wait_ready "http://127.0.0.1:$node1_port/health/ready" "$node1_pid" node1
    wait_ready "http://127.0.0.1:$node2_port/health/ready" "$node2_pid" node2
    local caddy_pid
    caddy_pid="$(awk -F= '$1 == "CADDY_PID" { print $2 }' "$env_file")"
    wait_ready "$PROXY_URL/health/ready" "$caddy_pid" caddy
    STARTED=1
    log "node1 http://127.0.0.1:$node1_port, node2 http://127.0.0.1:$node2_port, proxy $PROXY_URL (Redis $REDIS)"
    log "ready: $env_file"
}

# Starts a node again on its port (after a crash, or to kill it on purpose: the two-node test's
# SIGKILL), and records its new process id in cluster.env.
restart_node() {
    local name="${1:-}"
    [[ "$name" == node1 || "$name" == node2 ]] || die "restart: name node1 or node2"
    local env_file="$STATE_DIR/cluster.env"
    [ -f "$env_file" ] || die "No cluster in $STATE_DIR (run start first)"
    # shellcheck source=/dev/null
    source "$env_file"
    local upper="${name^^}"
    local pid_var="${upper}_PID" url_var="${upper}_URL" metrics_var="${upper}_METRICS_URL"
    local old_pid="${!pid_var}" url="${!url_var}" metrics_url="${!metrics_var}"
    if kill -0 "$old_pid" 2>/dev/null; then
        kill "$old_pid"
        for _ in $(seq 1 150); do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$old_pid" 2>/dev/null || true
    fi
    local pid
    metrics_url="${metrics_url%/metrics}"
    pid="$(start_node "$name" "${url##*:}" "${metrics_url##*:}")"
    sed -i "s/^${pid_var}=.*/${pid_var}=$pid/" "$env_file"
    wait_ready "$url/health/ready" "$pid" "$name"
    log "$name restarted on $url"
}

stop() {
    local env_file="$STATE_DIR/cluster.env"
    [ -f "$env_file" ] || { log "nothing to stop in $STATE_DIR"; return 0; }
    local NODE1_PID="" NODE2_PID="" CADDY_PID="" REDIS_PID=""
    # shellcheck source=/dev/null
    source "$env_file"
    local pid
    # SIGTERM first (the nodes finish their requests), then SIGKILL whatever is left after 15 s.
    for pid in "$CADDY_PID" "$NODE1_PID" "$NODE2_PID" "$REDIS_PID"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "$CADDY_PID" "$NODE1_PID" "$NODE2_PID" "$REDIS_PID"; do
        [ -n "$pid" ] || continue
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    mv "$env_file" "$env_file.stopped"
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) restart_node "${2:-}" ;;
    command)
        shift
        run_command "$@"
        ;;
    *)
        echo "usage: STATE_DIR=... [POSTGRES=...] [REDIS=host:port] $0 start | stop | restart node1|node2 | command <operator command...>" >&2
        exit 64
        ;;
esac

#!/usr/bin/env bash
# The officers' queue at a million tips (see bench/README.md, "queue-at-scale.sh"): on SQLite and on a
# throwaway PostgreSQL, a database of TIPS sample tips made by `generate-tips` (cached between runs,
# keyed by count, seed, schema and generator), a Supervisor signed in with a second factor by
# bench/QueueBench, then sequential requests per scenario: the first queue page, a page DEPTH pages
# down (reached by the next-page links), filtered pages, the tip view, the counts. Prints p50 and p95
# per scenario and the deep/first ratio. Measures; does not gate (exits non-zero only on errors).
#
# Tunables (environment): TIPS=1000000 SEED=1 ENGINES="sqlite postgres" REQUESTS=200 WARMUP=20
# DEPTH=200 PORT=5392 BENCH_CACHE=~/.cache/infraterra-bench (about 1 GB per million tips and engine)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-5392}"
# shellcheck source=bench/lib.sh
source bench/lib.sh

# The queue's addresses, relative to the app. Adjust them here when the queue page changes: the deep
# page is found by following rel="next" links from FIRST_URL, whatever its cursor parameter is called;
# {id} in TIP_URL is a tip taken from the pages walked. COUNTS_URL empty: the counts are part of every
# queue page (measure them alone once the queue has an address for them).
FIRST_URL="${FIRST_URL:-/triage}"
FILTERED_URLS="${FILTERED_URLS:-/triage?status=New&desk=KE /triage?notice=2014-90001 /triage?assigned=unassigned&deadline=overdue /triage?unread=yes /triage?threat=yes&files=yes}"
COUNTS_URL="${COUNTS_URL:-}"
TIP_URL="${TIP_URL:-}"
[ -n "$TIP_URL" ] || TIP_URL='/triage/tips/{id}'

TIPS="${TIPS:-1000000}"
SEED="${SEED:-1}"
ENGINES="${ENGINES:-sqlite postgres}"
REQUESTS="${REQUESTS:-200}"
WARMUP="${WARMUP:-20}"
DEPTH="${DEPTH:-200}"
CACHE="${BENCH_CACHE:-$HOME/.cache/infraterra-bench}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
PG_ROOT="" PG_DIR="" PG_PORT=""

bench_require openssl curl
bench_begin queue-at-scale
trap 'queue_cleanup' EXIT
bench_publish

echo "== Building bench/QueueBench (Release)"
dotnet build "$BENCH_REPO/bench/QueueBench/QueueBench.csproj" -c Release -o "$WORK/queuebench" --nologo -v quiet >"$WORK/queuebench-build.log" 2>&1 \
    || { cat "$WORK/queuebench-build.log"; exit 1; }

# A cached database is only good for the same schema and the same generator.
MIGRATION="$(basename "$(ls "$BENCH_REPO"/src/InfraTerra.Web/Data/Migrations/Sqlite/2*.cs | grep -v Designer | sort | tail -n 1)" .cs)"
GENERATOR="$(cat "$BENCH_REPO/src/InfraTerra.Web/Features/Tips/SampleTipGenerator.cs" "$BENCH_REPO/src/InfraTerra.Web/Data/BulkRows.cs" | sha1sum | cut -c1-10)"
mkdir -p "$CACHE"

queue_cleanup() {
    bench_stop_app
    stop_postgres
    if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() { # <data dir>
    PG_PORT=5433
    while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
    # shared_buffers at 512 MB, a modest server's setting; everything else as initdb leaves it.
    as_postgres "$PG_BIN/pg_ctl" -D "$1" -l "$1/server.log" \
        -o "-p $PG_PORT -k $1 -c listen_addresses=127.0.0.1 -c shared_buffers=512MB" -w start >/dev/null \
        || { cat "$1/server.log"; exit 1; }
}

stop_postgres() {
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$PG_ROOT" ]; then rm -rf "$PG_ROOT"; fi
    PG_ROOT="" PG_DIR=""
}

# Secrets of a cached database travel with it: its tips are sealed under its master key.
make_secrets() { # <dir>
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=InfraTerra bench" \
        -keyout "$1/dp.key" -out "$1/dp.crt" >/dev/null 2>&1
    local password
    password="$(openssl rand -hex 16)"
    openssl pkcs12 -export -inkey "$1/dp.key" -in "$1/dp.crt" -out "$1/dp.pfx" -passout "pass:$password"
    cat >"$1/secrets.env" <<EOF
Tips__MasterKeyId=bench-$(openssl rand -hex 4)
Tips__MasterKey=$(openssl rand -base64 32)
Tips__LookupKey=$(openssl rand -base64 32)
Audit__Key=$(openssl rand -base64 32)
DataProtection__CertificatePassword=$password
EOF
}

# Runs the published app (a command when arguments are given) with the engine's settings in ENGINE_ENV.
# Staging: production's pages and error handling; plain-HTTP cookies are the one relaxation (curl-free
# sign-in over 127.0.0.1), which Production would refuse.
app_env() { # <secrets dir>
    echo ASPNETCORE_ENVIRONMENT=Staging ASPNETCORE_URLS="$BASE" DataFolder="$WORK/data" Dev__InsecureCookies=true \
        DataProtection__CertificatePath="$1/dp.pfx" "${ENGINE_ENV[@]}" $(cat "$1/secrets.env")
}

app_command() { # <secrets dir> <command...>
    local secrets="$1"
    shift
    (cd "$WORK/app" && env $(app_env "$secrets") dotnet InfraTerra.Web.dll "$@")
}

generate() { # <secrets dir>
    app_command "$1" migrate
    app_command "$1" seed-demo
    # Officers on the busiest desks first, so that the generator assigns tips and writes as someone.
    local desk
    for desk in KE ZA GENERAL; do
        app_command "$1" create-user --email "officer.$(echo "$desk" | tr '[:upper:]' '[:lower:]')@example.org" --role Officer --desk "$desk" >/dev/null
    done
    app_command "$1" generate-tips --count "$TIPS" --seed "$SEED" --force-sample-data
}

run_engine() {
    local engine="$1" key="queue-$1-$TIPS-s$SEED-$MIGRATION-$GENERATOR"
    local cached="$CACHE/$key"
    echo
    echo "==== $engine, $TIPS tips"
    rm -rf "$WORK/data"
    mkdir -p "$WORK/data"
    if [ "$engine" = sqlite ]; then
        ENGINE_ENV=(Database__Provider=Sqlite)
        if [ ! -f "$cached/infraterra.db" ]; then
            echo "== No cached database $key: generating"
            rm -rf "$cached.tmp" && mkdir -p "$cached.tmp"
            make_secrets "$cached.tmp"
            generate "$cached.tmp"
            # With its -wal file, if any: the commands' pooled connections may leave it unmerged.
            mv "$WORK"/data/infraterra.db* "$cached.tmp/"
            mv "$cached.tmp" "$cached"
        else
            echo "== Cached database $cached"
        fi
        cp "$cached"/infraterra.db* "$WORK/data/"
    else
        [ -n "$PG_BIN" ] || { echo "No PostgreSQL binaries (/usr/lib/postgresql/*/bin): skipping"; return 0; }
        PG_ROOT="$(mktemp -d /tmp/infraterra-pg.XXXXXX)"
        PG_DIR="$PG_ROOT/data"
        if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_ROOT"; fi
        if [ ! -d "$cached/pgdata" ]; then
            echo "== No cached cluster $key: generating"
            as_postgres "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust >/dev/null
            start_postgres "$PG_DIR"
            ENGINE_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres")
            rm -rf "$cached.tmp" && mkdir -p "$cached.tmp"
            make_secrets "$cached.tmp"
            generate "$cached.tmp"
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null
            cp -a "$PG_DIR" "$cached.tmp/pgdata"
            mv "$cached.tmp" "$cached"
        else
            echo "== Cached cluster $cached"
            cp -a "$cached/pgdata" "$PG_DIR"
        fi
        start_postgres "$PG_DIR"
        ENGINE_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres")
    fi

    local email="bench-$(openssl rand -hex 4)@example.org" password
    password="$(app_command "$cached" create-user --email "$email" --role Supervisor | sed -n 's/^One-time password: //p')"
    [ -n "$password" ] || { echo "create-user printed no password"; exit 1; }

    echo "== Starting the app (Release, Staging, $engine) on $BASE"
    APP_LOG="$WORK/app-$engine.log"
    (cd "$WORK/app" && exec env $(app_env "$cached") Serilog__MinimumLevel__Default=Warning Jobs__RetentionEnabled=false dotnet InfraTerra.Web.dll) >"$APP_LOG" 2>&1 &
    APP_PID=$!
    for _ in $(seq 1 240); do
        if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then break; fi
        if ! kill -0 "$APP_PID" 2>/dev/null; then echo "The app exited:"; cat "$APP_LOG"; exit 1; fi
        sleep 0.5
    done

    local filtered=() url
    for url in $FILTERED_URLS; do filtered+=(--filtered "$url"); done
    local status=0
    dotnet "$WORK/queuebench/QueueBench.dll" --base "$BASE" --email "$email" --one-time-password "$password" \
        --first "$FIRST_URL" "${filtered[@]}" --counts "$COUNTS_URL" --tip "$TIP_URL" \
        --depth "$DEPTH" --requests "$REQUESTS" --warmup "$WARMUP" || status=$?
    echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    bench_stop_app
    stop_postgres
    return "$status"
}

STATUS=0
for engine in $ENGINES; do
    run_engine "$engine" || STATUS=$?
done
exit "$STATUS"

#!/usr/bin/env bash
# The tips bench and the notices bench against two nodes (bench/README.md, "two-nodes.sh"): a Release
# build run by the production topology's twin (tools/twin-cluster.sh: migrate once, two app nodes on
# one throwaway PostgreSQL and one throwaway Redis, Caddy terminating TLS in front of both), measured
# through the proxy and at each node, with the same figures as the single-node scripts print so that
# they sit beside them:
#   1. notices (as notices-vs-static.sh, Production): the output-cached /notices and fresh searches,
#      each against a static file of its size served by the same path, at SIZE published notices;
#   2. tips (as tips-sustained.sh, Development, the only environment that accepts Captcha:Provider=None
#      for a load generator): virtual tipsters through the proxy, then at each node alone; then the
#      cluster stops and every acknowledged form of the three runs is recounted in PostgreSQL.
# Exits non-zero when the recount fails.
#
# Tunables (environment): SIZE=10000 ROUNDS=3 DURATION=10s WARMUP=10s THREADS=2 CONNECTIONS=32
#   TIP_CONCURRENCY=16 TIP_DURATION=30s TIP_WARMUP=30s RETRY_PERCENT=5 DOUBLE_PERCENT=2 NOTICE_PERCENT=50
#   TARGETS="proxy node1 node2" PHASES="notices tips" PG_PORT=5491
# On a quiet machine only: the tipsters, wrk, both nodes, Caddy, PostgreSQL and Redis share its cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# The nodes' ports are the twin's (free ones); PORT only satisfies lib.sh.
PORT="${PORT:-5392}"
# shellcheck source=bench/lib.sh
source bench/lib.sh

SIZE="${SIZE:-10000}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
TIP_CONCURRENCY="${TIP_CONCURRENCY:-16}"
TIP_DURATION="${TIP_DURATION:-30s}"
TIP_WARMUP="${TIP_WARMUP:-30s}"
RETRY_PERCENT="${RETRY_PERCENT:-5}"
DOUBLE_PERCENT="${DOUBLE_PERCENT:-2}"
NOTICE_PERCENT="${NOTICE_PERCENT:-50}"
TARGETS="${TARGETS:-proxy node1 node2}"
PHASES="${PHASES:-notices tips}"
PG_PORT="${PG_PORT:-5491}"

bench_require openssl curl wrk caddy redis-server
bench_begin two-nodes
bench_publish
echo "== Building bench/TipLoad and bench/NoticeFill (Release)"
dotnet build "$BENCH_REPO/bench/TipLoad/TipLoad.csproj" -c Release -o "$WORK/tipload" --nologo -v quiet >"$WORK/tipload-build.log" 2>&1 \
    || { cat "$WORK/tipload-build.log"; exit 1; }
dotnet build "$BENCH_REPO/bench/NoticeFill" -c Release -o "$WORK/fill" --nologo -v quiet >"$WORK/fill-build.log" 2>&1 \
    || { cat "$WORK/fill-build.log"; exit 1; }
tipload() { dotnet "$WORK/tipload/TipLoad.dll" "$@"; }

# A throwaway PostgreSQL, as notices-vs-static.sh starts one (as the postgres account when run as root).
PG_DIR="" PG_BIN=""
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
    if [ -n "$PG_DIR" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}
TWIN=""
stop_twin() {
    if [ -n "$TWIN" ]; then
        STATE_DIR="$TWIN" tools/twin-cluster.sh stop >/dev/null || true
        # The nodes', Caddy's and Redis's logs beside the results (the work folder dies with the run).
        tar -czf "$BENCH_REPO/${RESULT%.txt}.$(basename "$TWIN").logs.tar.gz" -C "$TWIN" logs 2>/dev/null || true
        echo "(logs of $(basename "$TWIN") in ${RESULT%.txt}.$(basename "$TWIN").logs.tar.gz)"
        TWIN=""
    fi
}
trap 'stop_twin; stop_postgres; bench_cleanup' EXIT

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$PG_BIN" ] || { echo "PostgreSQL binaries are not installed (apt-get install -y postgresql)"; exit 1; }
PG_DIR="$(mktemp -d /tmp/infraterra-bench-pg.XXXXXX)"
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
# A database per phase: each twin start makes new secrets, and a key ring left by the last one is unreadable.
pg_connection() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=infraterra_$1"; }
PG_CONNECTION=""
echo "PostgreSQL on 127.0.0.1:$PG_PORT; Redis started by the twin"

# Starts the twin on the published app: start_twin <folder> <environment> [NAME=value settings...].
start_twin() {
    local folder="$1" environment="$2"
    shift 2
    TWIN="$folder"
    STATE_DIR="$TWIN" POSTGRES="$PG_CONNECTION" APP_DLL="$WORK/app/InfraTerra.Web.dll" ENVIRONMENT="$environment" \
        EXTRA_SETTINGS="$(printf '%s\n' "$@")" tools/twin-cluster.sh start
    # shellcheck source=/dev/null
    source "$TWIN/cluster.env"
}
url_of() { case "$1" in proxy) echo "$PROXY_URL" ;; node1) echo "$NODE1_URL" ;; node2) echo "$NODE2_URL" ;; esac; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
RPS=0 ERRS=0
run_wrk() {
    local duration="$1" url="$2" script="${3:-}"
    if [ -n "$script" ]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -s "$script" "$url" >"$WORK/wrk.out"
    else
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$url" >"$WORK/wrk.out"
    fi
    RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.out")
    ERRS=$(awk '/Non-2xx or 3xx responses:/ { e += $NF } /Socket errors:/ { gsub(",", ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$WORK/wrk.out")
}

cat >"$WORK/fresh-search.lua" <<'LUA'
-- Every request searches a different random 8-letter name, so the output cache never hits.
local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end
function init(args)
    math.randomseed(os.time() * 1000 + id)
end
function request()
    local letters = {}
    for i = 1, 8 do letters[i] = string.char(math.random(97, 122)) end
    return wrk.format("GET", "/notices?q=" .. table.concat(letters))
end
LUA

SUMMARY=()
if [[ " $PHASES " == *" notices "* ]]; then
    echo
    echo "=== Notices: $SIZE published notices, Production, through the proxy (TLS) and at each node"
    PG_CONNECTION="$(pg_connection notices)"
    start_twin "$WORK/twin-notices" Production Catalogue__RefreshSeconds=2
    STATE_DIR="$TWIN" tools/twin-cluster.sh command seed-demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }
    dotnet "$WORK/fill/NoticeFill.dll" --provider Postgres --connection "$PG_CONNECTION" --count "$SIZE"
    # The proxy's certificate comes from its own local authority: curl and .NET trust it alone.
    export SSL_CERT_FILE="$PROXY_CA" CURL_CA_BUNDLE="$PROXY_CA"
    for target in proxy node1 node2; do
        base="$(url_of "$target")"
        for attempt in $(seq 1 240); do
            if curl -fsS "$base/notices?wait=$attempt" | tr -d ',' | grep -q ">${SIZE} notices found"; then break; fi
            [ "$attempt" -lt 240 ] || { echo "$target does not list $SIZE notices after 2 minutes"; exit 1; }
            sleep 0.5
        done
    done
    # Static twins, the same bytes as the pages, in the published wwwroot the nodes serve.
    WWWROOT="$WORK/app/wwwroot"
    curl -fsS "$NODE1_URL/notices?twin=$SIZE" -o "$WWWROOT/bench-notices.html"
    curl -fsS "$NODE1_URL/notices?q=benchzzz" -o "$WWWROOT/bench-search.html"
    echo "page $(stat -c %s "$WWWROOT/bench-notices.html") B, search $(stat -c %s "$WWWROOT/bench-search.html") B"

    for target in $TARGETS; do
        base="$(url_of "$target")"
        echo
        echo "--- notices at $target ($base)"
        # Warm: through the proxy a request reaches either node, each with its cache (or the one in Redis).
        for _ in 1 2 3 4; do curl -fsS -o /dev/null "$base/notices"; done
        if curl -fsS -D - -o /dev/null "$base/notices" | grep -qi '^age:'; then CACHE_STATE="hit"; else CACHE_STATE="MISS (no Age header)"; fi
        for url in "$base/bench-notices.html" "$base/notices" "$base/bench-search.html"; do run_wrk "$WARMUP" "$url"; done
        run_wrk "$WARMUP" "$base/notices" "$WORK/fresh-search.lua"
        printf '%-6s %13s %13s %7s %13s %13s %7s %7s\n' round static-page cached-page ratio static-search fresh-search ratio errors
        CACHED_RATIOS=() FRESH_RATIOS=() CACHED_RPS=() FRESH_RPS=() ERRORS=0
        for round in $(seq 1 "$ROUNDS"); do
            round_errors=0
            run_wrk "$DURATION" "$base/bench-notices.html"; static_page=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$base/notices"; cached=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$base/bench-search.html"; static_search=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$base/notices" "$WORK/fresh-search.lua"; fresh=$RPS; round_errors=$((round_errors + ERRS))
            cached_ratio=$(ratio "$cached" "$static_page")
            fresh_ratio=$(ratio "$fresh" "$static_search")
            CACHED_RATIOS+=("$cached_ratio") FRESH_RATIOS+=("$fresh_ratio") CACHED_RPS+=("$cached") FRESH_RPS+=("$fresh")
            ERRORS=$((ERRORS + round_errors))
            printf '%-6s %13s %13s %6sx %13s %13s %6sx %7s\n' "$round" "$static_page" "$cached" "$cached_ratio" "$static_search" "$fresh" "$fresh_ratio" "$round_errors"
        done
        line="$target $(median "${CACHED_RATIOS[@]}") $(median "${CACHED_RPS[@]}") $(median "${FRESH_RATIOS[@]}") $(median "${FRESH_RPS[@]}") $ERRORS"
        echo "notices $line, cache $CACHE_STATE, RSS node1 $(rss_mb "$NODE1_PID") MB node2 $(rss_mb "$NODE2_PID") MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
        SUMMARY+=("$line")
    done
    unset SSL_CERT_FILE CURL_CA_BUNDLE
    stop_twin
fi

RECOUNT_STATUS=0
TIP_LINES=()
if [[ " $PHASES " == *" tips "* ]]; then
    echo
    echo "=== Tips: $TIP_CONCURRENCY virtual tipsters, $TIP_WARMUP warm-up then $TIP_DURATION measured, Development (no anti-spam check), at each target in turn"
    PG_CONNECTION="$(pg_connection tips)"
    start_twin "$WORK/twin-tips" Development \
        Captcha__Provider=None Dev__AllowNoCaptcha=true \
        RateLimits__TipSubmissionsPerHour=10000000 \
        Serilog__MinimumLevel__Default=Information
    # The sample operation's notices, for the tips about a notice (NOTICE_PERCENT); it adds no tip.
    STATE_DIR="$TWIN" tools/twin-cluster.sh command seed-demo >"$WORK/seed-tips.log" 2>&1 || { cat "$WORK/seed-tips.log"; exit 1; }
    LOOKUP_KEY="$(cat "$TWIN/secrets/Tips__LookupKey")"
    for target in $TARGETS; do
        base="$(url_of "$target")"
        echo
        echo "--- tips at $target ($base)"
        pid_args=()
        # The CPU per tip is the app's: one node's process when the tipsters reach that node alone.
        case "$target" in node1) pid_args=(--app-pid "$NODE1_PID") ;; node2) pid_args=(--app-pid "$NODE2_PID") ;; esac
        LOAD_STATUS=0
        SSL_CERT_FILE="$PROXY_CA" tipload load --base "$base" --ledger "$WORK/forms-$target.jsonl" \
            --concurrency "$TIP_CONCURRENCY" --duration "$TIP_DURATION" --warmup "$TIP_WARMUP" \
            --retry-percent "$RETRY_PERCENT" --double-percent "$DOUBLE_PERCENT" --notice-percent "$NOTICE_PERCENT" \
            "${pid_args[@]}" | tee "$WORK/tipload-$target.out" || LOAD_STATUS=${PIPESTATUS[0]}
        [ "$LOAD_STATUS" -eq 0 ] || { echo "The load run at $target failed (exit $LOAD_STATUS)"; tail -20 "$TWIN/logs/node1.log" "$TWIN/logs/node2.log"; exit "$LOAD_STATUS"; }
        TIP_LINES+=("$target: $(grep -m1 -E 'tips/s' "$WORK/tipload-$target.out" | sed -E 's/.*=> *//' || echo '?'); POST tip $(grep -m1 -E '^  POST tip  ' "$WORK/tipload-$target.out" | sed -E 's/^  POST tip +//' || echo '?')")
    done
    echo "RSS node1 $(rss_mb "$NODE1_PID") MB, node2 $(rss_mb "$NODE2_PID") MB"
    for node in node1 node2; do
        echo "$node: request log lines $(grep -c 'HTTP ' "$TWIN/logs/$node.log" || true), warnings and errors $(grep -cE '^\[[0-9:]+ (WRN|ERR|FTL)\]' "$TWIN/logs/$node.log" || true)"
    done
    stop_twin

    echo
    echo "== Recount of every acknowledged form of the runs above (the cluster stopped, PostgreSQL still up)"
    cat "$WORK"/forms-*.jsonl >"$WORK/forms.jsonl"
    TIPLOAD_LOOKUP_KEY="$LOOKUP_KEY" tipload recount --postgres "$PG_CONNECTION" --ledger "$WORK/forms.jsonl" || RECOUNT_STATUS=$?
fi

echo
echo "== Summary (two nodes on PostgreSQL and Redis; medians of $ROUNDS rounds; ratios against a static file of the same size through the same path)"
if [ "${#SUMMARY[@]}" -gt 0 ]; then
    printf '%-7s %8s %14s %11s %13s %11s %7s\n' target notices cached/static "cached r/s" fresh/static "fresh r/s" errors
    for line in "${SUMMARY[@]}"; do
        read -r target cached_ratio cached fresh_ratio fresh errors <<<"$line"
        printf '%-7s %8s %13sx %11s %12sx %11s %7s\n' "$target" "$SIZE" "$cached_ratio" "$cached" "$fresh_ratio" "$fresh" "$errors"
    done
fi
for line in "${TIP_LINES[@]}"; do echo "tips at $line"; done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk or the tipsters, both nodes, Caddy, PostgreSQL and Redis share them"
exit "$RECOUNT_STATUS"

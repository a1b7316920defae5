#!/usr/bin/env bash
# The notice list against a static file of the same size, at several catalogue sizes and on SQLite
# and PostgreSQL, on a Release build in Production mode on 127.0.0.1 (bench/README.md). Targets: the
# output-cached /notices serves at least as many requests/sec as a static file of its size (1.0x);
# fresh searches, which miss the cache, at least 0.2x a static file of their size at 10,000
# notices, and the figure at the largest size within 1.2x of the one at the smallest. Runs are
# interleaved so that drift on a shared machine hits both sides alike.
#
# Tunables (environment): SIZES="10 10000 100000" ENGINES="sqlite postgres" ROUNDS=3 DURATION=10s
#   WARMUP=10s THREADS=2 CONNECTIONS=32 PORT=5390 PG_PORT=5490
#   APP_REPO=<another checkout> measures that checkout's app (e.g. the commit before a change).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

SIZES="${SIZES:-10 10000 100000}"
ENGINES="${ENGINES:-sqlite postgres}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
PG_PORT="${PG_PORT:-5490}"
APP_REPO="${APP_REPO:-$BENCH_REPO}"

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
    else
        echo "wrk is not installed: run 'sudo apt-get install -y wrk' (Debian/Ubuntu), then this script again." >&2
        exit 1
    fi
fi
bench_require openssl curl
bench_begin notices-vs-static
echo "app from $APP_REPO (commit $(git -C "$APP_REPO" rev-parse --short HEAD 2>/dev/null || echo '?')); sizes: $SIZES; engines: $ENGINES"
echo "== Publishing the app (Release) and building bench/NoticeFill"
dotnet publish "$APP_REPO/src/InfraTerra.Web" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log"; exit 1; }
dotnet build "$BENCH_REPO/bench/NoticeFill" -c Release -o "$WORK/fill" --nologo -v quiet >"$WORK/fill-build.log" 2>&1 || { cat "$WORK/fill-build.log"; exit 1; }

PG_DIR="" PG_BIN=""
stop_postgres() {
    if [ -n "$PG_DIR" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}
trap 'stop_postgres; bench_cleanup' EXIT

start_postgres() {
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$PG_BIN" ] || { echo "PostgreSQL binaries are not installed (apt-get install -y postgresql)"; exit 1; }
    PG_DIR="$(mktemp -d /tmp/infraterra-bench-pg.XXXXXX)"
    chown postgres:postgres "$PG_DIR"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
    PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
    # The schema and the sample data, as an operator would: the migrate and seed-demo commands.
    for command in migrate seed-demo; do
        (cd "$WORK/app" && env ASPNETCORE_ENVIRONMENT=Development DataFolder="$PG_DIR/cmd" Database__Provider=Postgres \
            ConnectionStrings__Postgres="$PG_CONNECTION" Dev__GenerateTipKeys=true Dev__UnencryptedKeyRing=true \
            dotnet InfraTerra.Web.dll "$command" >"$WORK/pg-$command.log" 2>&1) || { cat "$WORK/pg-$command.log"; exit 1; }
    done
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

# Sets RPS (requests/sec) and ERRS (non-2xx/3xx responses plus socket errors) for one wrk run.
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "meets" : "MISSES") }'; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status" 2>/dev/null || echo "?"; }

# Fills the database up to $1 published notices and waits until the app lists them all.
fill_to() {
    local size="$1" provider connection
    if [ "$ENGINE" = postgres ]; then provider=Postgres connection="$PG_CONNECTION"; else provider=Sqlite connection="Data Source=$BENCH_DB"; fi
    dotnet "$WORK/fill/NoticeFill.dll" --provider "$provider" --connection "$connection" --count "$size"
    for attempt in $(seq 1 240); do
        if curl -fsS "$BASE/notices?wait=$attempt" | tr -d ',' | grep -q ">${size} notices found"; then return 0; fi
        sleep 0.5
    done
    echo "The app does not list $size notices after 2 minutes"; exit 1
}

SUMMARY=()
for ENGINE in $ENGINES; do
    if [ "$ENGINE" = postgres ]; then
        start_postgres
        bench_start_app Production Database__Provider=Postgres ConnectionStrings__Postgres="$PG_CONNECTION" Catalogue__RefreshSeconds=2
    else
        bench_start_app Production Catalogue__RefreshSeconds=2
    fi
    WWWROOT="$WORK/app/wwwroot"
    for SIZE in $SIZES; do
        echo
        echo "=== $ENGINE, $SIZE published notices"
        fill_to "$SIZE"
        # Static twins, the same bytes as the pages, in the published wwwroot (never the source tree).
        curl -fsS "$BASE/notices?twin=$SIZE" -o "$WWWROOT/bench-notices.html"
        curl -fsS "$BASE/notices?q=benchzzz" -o "$WWWROOT/bench-search.html"
        PAGE_BYTES=$(stat -c %s "$WWWROOT/bench-notices.html")
        SEARCH_BYTES=$(stat -c %s "$WWWROOT/bench-search.html")
        curl -fsS -o /dev/null "$BASE/notices"
        if curl -fsS -D - -o /dev/null "$BASE/notices" | grep -qi '^age:'; then CACHE_STATE="hit"; else CACHE_STATE="MISS (no Age header)"; fi

        for target in "$BASE/bench-notices.html" "$BASE/notices" "$BASE/bench-search.html"; do run_wrk "$WARMUP" "$target"; done
        run_wrk "$WARMUP" "$BASE/notices" "$WORK/fresh-search.lua"

        printf '%-6s %13s %13s %7s %13s %13s %7s %7s\n' round static-page cached-page ratio static-search fresh-search ratio errors
        CACHED_RATIOS=() FRESH_RATIOS=() FRESH_RPS=() ERRORS=0
        for round in $(seq 1 "$ROUNDS"); do
            round_errors=0
            run_wrk "$DURATION" "$BASE/bench-notices.html"; static_page=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$BASE/notices"; cached=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$BASE/bench-search.html"; static_search=$RPS; round_errors=$((round_errors + ERRS))
            run_wrk "$DURATION" "$BASE/notices" "$WORK/fresh-search.lua"; fresh=$RPS; round_errors=$((round_errors + ERRS))
            cached_ratio=$(ratio "$cached" "$static_page")
            fresh_ratio=$(ratio "$fresh" "$static_search")
            CACHED_RATIOS+=("$cached_ratio") FRESH_RATIOS+=("$fresh_ratio") FRESH_RPS+=("$fresh")
            ERRORS=$((ERRORS + round_errors))
            printf '%-6s %13s %13s %6sx %13s %13s %6sx %7s\n' "$round" "$static_page" "$cached" "$cached_ratio" "$static_search" "$fresh" "$fresh_ratio" "$round_errors"
        done
        CACHED_MEDIAN=$(median "${CACHED_RATIOS[@]}")
        FRESH_MEDIAN=$(median "${FRESH_RATIOS[@]}")
        echo "$ENGINE $SIZE: cached ${CACHED_MEDIAN}x, fresh ${FRESH_MEDIAN}x ($(median "${FRESH_RPS[@]}") req/s), page $PAGE_BYTES B, search $SEARCH_BYTES B, cache $CACHE_STATE, errors $ERRORS, app RSS $(rss_mb) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
        SUMMARY+=("$ENGINE $SIZE $CACHED_MEDIAN $FRESH_MEDIAN $ERRORS $(rss_mb)")
    done
    bench_stop_app
    stop_postgres
done

echo
echo "== Summary (medians of $ROUNDS rounds; ratios are against a static file of the same size, measured alongside)"
printf '%-9s %8s %13s %13s %13s %7s %8s\n' engine notices cached/static fresh/static "vs smallest" errors "RSS MB"
for ENGINE in $ENGINES; do
    first=""
    for line in "${SUMMARY[@]}"; do
        read -r engine size cached fresh errors rss <<<"$line"
        [ "$engine" = "$ENGINE" ] || continue
        [ -n "$first" ] || first="$fresh"
        printf '%-9s %8s %12sx %12sx %12sx %7s %8s\n' "$engine" "$size" "$cached" "$fresh" "$(ratio "$fresh" "$first")" "$errors" "$rss"
    done
done
echo "targets: cached >= 1.0x; fresh >= 0.2x at 10,000; fresh at the largest size >= 1/1.2 = 0.83 of the smallest"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk and the app share them"

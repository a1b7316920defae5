#!/usr/bin/env bash
# The notice list against a static file of the same size, on a Release build in Production mode
# on 127.0.0.1 (see bench/README.md, "Benchmarks"). Targets: the output-cached /notices serves at
# least as many requests/sec as a static file of its size (1.0x); fresh searches, which miss the
# cache, at least 0.2x a static file of their size. Runs are interleaved so that drift on a shared
# machine hits both sides alike.
#
# Tunables (environment): ROUNDS=3 DURATION=10s WARMUP=10s THREADS=2 CONNECTIONS=32 PORT=5390
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"

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
bench_publish
bench_start_app Production

# Static twins, the same bytes as the pages, served by the published app's own static files
# (never written into the source tree).
WWWROOT="$WORK/app/wwwroot"
curl -fsS "$BASE/notices" -o "$WWWROOT/bench-notices.html"
curl -fsS "$BASE/notices?q=benchzzz" -o "$WWWROOT/bench-search.html"
PAGE_BYTES=$(stat -c %s "$WWWROOT/bench-notices.html")
SEARCH_BYTES=$(stat -c %s "$WWWROOT/bench-search.html")
grep -q 'notice-card' "$WWWROOT/bench-notices.html" || { echo "/notices lists no notice: was the sample data seeded?"; exit 1; }
curl -fsS -o /dev/null "$BASE/bench-notices.html" || { echo "The static twin is not served"; exit 1; }
if curl -fsS -D - -o /dev/null "$BASE/notices" | grep -qi '^age:'; then
    CACHE_STATE="hit (Age header present)"
else
    CACHE_STATE="MISS: no Age header on a repeated /notices; the output cache is not serving it"
fi

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

echo "== Warm-up ($WARMUP each)"
for target in "$BASE/bench-notices.html" "$BASE/notices" "$BASE/bench-search.html"; do run_wrk "$WARMUP" "$target"; done
run_wrk "$WARMUP" "$BASE/notices" "$WORK/fresh-search.lua"

echo "== $ROUNDS rounds, each: static $PAGE_BYTES B, /notices (cached), static $SEARCH_BYTES B, fresh search; $DURATION, $THREADS threads, $CONNECTIONS connections"
printf '%-6s %13s %13s %7s %13s %13s %7s %7s\n' round static-page cached-page ratio static-search fresh-search ratio errors
CACHED_RATIOS=() FRESH_RATIOS=() ERRORS=0
for round in $(seq 1 "$ROUNDS"); do
    round_errors=0
    run_wrk "$DURATION" "$BASE/bench-notices.html"; static_page=$RPS; round_errors=$((round_errors + ERRS))
    run_wrk "$DURATION" "$BASE/notices"; cached=$RPS; round_errors=$((round_errors + ERRS))
    run_wrk "$DURATION" "$BASE/bench-search.html"; static_search=$RPS; round_errors=$((round_errors + ERRS))
    run_wrk "$DURATION" "$BASE/notices" "$WORK/fresh-search.lua"; fresh=$RPS; round_errors=$((round_errors + ERRS))
    cached_ratio=$(ratio "$cached" "$static_page")
    fresh_ratio=$(ratio "$fresh" "$static_search")
    CACHED_RATIOS+=("$cached_ratio")
    FRESH_RATIOS+=("$fresh_ratio")
    ERRORS=$((ERRORS + round_errors))
    printf '%-6s %13s %13s %6sx %13s %13s %6sx %7s\n' "$round" "$static_page" "$cached" "$cached_ratio" "$static_search" "$fresh" "$fresh_ratio" "$round_errors"
done

CACHED_MEDIAN=$(median "${CACHED_RATIOS[@]}")
FRESH_MEDIAN=$(median "${FRESH_RATIOS[@]}")
echo
echo "output cache on /notices: $CACHE_STATE"
echo "median cached /notices / static: ${CACHED_MEDIAN}x  (target >= 1.0x: $(verdict "$CACHED_MEDIAN" 1.0))"
echo "median fresh search / static:    ${FRESH_MEDIAN}x  (target >= 0.2x: $(verdict "$FRESH_MEDIAN" 0.2))"
echo "non-2xx/3xx responses and socket errors over all rounds: $ERRORS"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk and the app share them"

#!/usr/bin/env bash
# The tip form about a notice (GET /tips/new?notice=...) against a static file of the same size, on
# a Release build in Production mode on 127.0.0.1 (issue 14: target >= 1,500 requests/s with 16
# connections). Rounds alternate the two so that drift on a shared machine hits both alike.
#
# Tunables (environment): ROUNDS=3 DURATION=10s WARMUP=10s THREADS=2 CONNECTIONS=16 NOTICE=2014-90001
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
NOTICE="${NOTICE:-2014-90001}"

command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
bench_require openssl curl
bench_begin tip-form-vs-static
bench_publish
# The form sets Secure cookies: as behind the TLS proxy of a deployment, the app trusts the scheme it is told.
bench_start_app Production Proxy__ForwardedProto=true
HTTPS=(-H "X-Forwarded-Proto: https")

FORM="$BASE/tips/new?notice=$NOTICE"
WWWROOT="$WORK/app/wwwroot"
curl -fsS "${HTTPS[@]}" "$FORM" -o "$WWWROOT/bench-form.html"
grep -q 'Input.Description' "$WWWROOT/bench-form.html" || { echo "$FORM shows no tip form"; exit 1; }
FORM_BYTES=$(stat -c %s "$WWWROOT/bench-form.html")

RPS=0 ERRS=0
run_wrk() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" "${HTTPS[@]}" "$2" >"$WORK/wrk.out"
    RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.out")
    ERRS=$(awk '/Non-2xx or 3xx responses:/ { e += $NF } /Socket errors:/ { gsub(",", ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$WORK/wrk.out")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

echo "== Warm-up ($WARMUP each)"
run_wrk "$WARMUP" "$BASE/bench-form.html"
run_wrk "$WARMUP" "$FORM"

echo "== $ROUNDS rounds: static $FORM_BYTES B, then the form; $DURATION, $THREADS threads, $CONNECTIONS connections"
printf '%-6s %12s %12s %8s %7s\n' round static form ratio errors
for round in $(seq 1 "$ROUNDS"); do
    run_wrk "$DURATION" "$BASE/bench-form.html"; static=$RPS; errors=$ERRS
    run_wrk "$DURATION" "$FORM"; form=$RPS; errors=$((errors + ERRS))
    printf '%-6s %12s %12s %7sx %7s\n' "$round" "$static" "$form" "$(ratio "$form" "$static")" "$errors"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk and the app share them"

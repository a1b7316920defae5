#!/usr/bin/env bash
# Sustained tip submissions against a Release build (see bench/README.md, "tips-sustained.sh"):
# virtual tipsters open /tips/new, send it and read their receipt, for DURATION after WARMUP;
# prints tips/s and latency percentiles and the app's CPU per tip; then SPLIT_TIPS more tips in three
# phases (every form, then every post, then every receipt) give the app's CPU per request kind; then
# it stops the app and recounts the Tips table against every acknowledged form; last, bench/PowCheck
# times the server's proof-of-work check at the production parameters (the load runs without it).
# Exits non-zero when the recount fails.
#
# The app runs in Development, the only environment that accepts Captcha:Provider=None (a load
# generator cannot answer the anti-spam check), with the per-client hourly limit raised (every
# tipster comes from 127.0.0.1). Everything else is as in production: throwaway master, lookup and
# Data Protection keys, request logging (Serilog, console, into a file), SQLite with WAL and
# synchronous=FULL.
#
# Tunables (environment): CONCURRENCY=16 DURATION=30s WARMUP=30s RETRY_PERCENT=5 DOUBLE_PERCENT=2
# ATTACH_PERCENT=0 NOTICE_PERCENT=50 SPLIT_TIPS=1600 POW_CHECKS=1000 PORT=5391
# (a warm-up under ~30 s measures the JIT, not the app: about half the CPU per tip at 5 s)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-5391}"
# shellcheck source=bench/lib.sh
source bench/lib.sh

CONCURRENCY="${CONCURRENCY:-16}"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-30s}"
SPLIT_TIPS="${SPLIT_TIPS:-1600}"
POW_CHECKS="${POW_CHECKS:-1000}"
RETRY_PERCENT="${RETRY_PERCENT:-5}"
DOUBLE_PERCENT="${DOUBLE_PERCENT:-2}"
ATTACH_PERCENT="${ATTACH_PERCENT:-0}"
NOTICE_PERCENT="${NOTICE_PERCENT:-50}"

bench_require openssl curl
bench_begin tips-sustained
bench_publish

echo "== Building bench/TipLoad (Release)"
dotnet build "$BENCH_REPO/bench/TipLoad/TipLoad.csproj" -c Release -o "$WORK/tipload" --nologo -v quiet >"$WORK/tipload-build.log" 2>&1 \
    || { cat "$WORK/tipload-build.log"; exit 1; }
tipload() { dotnet "$WORK/tipload/TipLoad.dll" "$@"; }
echo "== Building bench/PowCheck (Release)"
dotnet build "$BENCH_REPO/bench/PowCheck/PowCheck.csproj" -c Release -o "$WORK/powcheck" --nologo -v quiet >"$WORK/powcheck-build.log" 2>&1 \
    || { cat "$WORK/powcheck-build.log"; exit 1; }

bench_start_app Development \
    Captcha__Provider=None Dev__AllowNoCaptcha=true \
    RateLimits__TipSubmissionsPerHour=10000000 \
    Serilog__MinimumLevel__Default=Information

echo "== $CONCURRENCY virtual tipsters, $WARMUP warm-up then $DURATION measured"
LOAD_STATUS=0
tipload load --base "$BASE" --ledger "$WORK/forms.jsonl" \
    --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" \
    --retry-percent "$RETRY_PERCENT" --double-percent "$DOUBLE_PERCENT" \
    --attach-percent "$ATTACH_PERCENT" --notice-percent "$NOTICE_PERCENT" --app-pid "$APP_PID" --split-tips "$SPLIT_TIPS" || LOAD_STATUS=$?
if [ -d "$WORK/forms.errors" ]; then
    cp -r "$WORK/forms.errors" "${RESULT%.txt}.errors"
    echo "(error pages copied to ${RESULT%.txt}.errors)"
fi

echo "== Stopping the app"
bench_stop_app
gzip -c "$APP_LOG" >"${RESULT%.txt}.app.log.gz"
echo "request log lines: $(grep -c 'HTTP ' "$APP_LOG" || true); warnings and errors in the app log: $(grep -cE '^\[[0-9:]+ (WRN|ERR|FTL)\]' "$APP_LOG" || true)"
grep -E '^\[[0-9:]+ (WRN|ERR|FTL)\]' "$APP_LOG" | sed -E 's/^\[[0-9:]+ /[/' | sort | uniq -c | sort -rn | head -5 || true
echo "(app log in ${RESULT%.txt}.app.log.gz)"
[ "$LOAD_STATUS" -eq 0 ] || { echo "The load run failed (exit $LOAD_STATUS)"; tail -20 "$APP_LOG"; exit "$LOAD_STATUS"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); the tipsters and the app share them"

echo "== Recount"
RECOUNT_STATUS=0
TIPLOAD_LOOKUP_KEY="$BENCH_LOOKUP_KEY" tipload recount --db "$BENCH_DB" --ledger "$WORK/forms.jsonl" || RECOUNT_STATUS=$?

echo "== One proof-of-work check at the production parameters (the load above runs without it)"
dotnet "$WORK/powcheck/PowCheck.dll" --checks "$POW_CHECKS"
exit "$RECOUNT_STATUS"

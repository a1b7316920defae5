# Shared start-up for the bench scripts: sourced, not run. Each script sets PORT, then calls
#   bench_require openssl curl ...     the tools it needs (dotnet is always checked)
#   bench_begin <name>                 work folder, cleanup on exit, output copied to bench/results/
#   bench_publish                      Release build of src/InfraTerra.Web into $WORK/app
#   bench_start_app <Environment> [NAME=value ...]   throwaway secrets, SQLite in $WORK/data
#   bench_stop_app                     graceful stop (SIGTERM), waits for the process
# and reads BASE, WORK, RESULT, APP_PID, APP_LOG, BENCH_DB and BENCH_LOOKUP_KEY.
# shellcheck shell=bash

BENCH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-5390}"
BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORK="" RESULT="" APP_PID="" APP_LOG="" BENCH_DB="" BENCH_LOOKUP_KEY=""

bench_require() {
    local tool
    for tool in dotnet "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required" >&2; exit 1; }
    done
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "Port $PORT is in use: set PORT to a free one." >&2
        exit 1
    fi
}

bench_cleanup() {
    bench_stop_app
    if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}

bench_begin() {
    local name="$1"
    mkdir -p "$BENCH_REPO/bench/results"
    RESULT="bench/results/$name-$(date -u +%Y%m%dT%H%M%SZ).txt"
    exec > >(tee "$BENCH_REPO/$RESULT") 2>&1
    echo "$name, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$BENCH_REPO" rev-parse --short HEAD 2>/dev/null || echo '?'), results also in $RESULT"
    WORK="$(mktemp -d /tmp/infraterra-bench.XXXXXX)"
    trap bench_cleanup EXIT
}

bench_publish() {
    echo "== Publishing src/InfraTerra.Web (Release) into $WORK/app"
    dotnet publish "$BENCH_REPO/src/InfraTerra.Web" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
        || { cat "$WORK/publish.log"; exit 1; }
}

# Throwaway secrets (the app refuses to start in Production without them; in Development they
# replace the generated dev keys so that a bench can check receipts), all dying with $WORK.
bench_make_secrets() {
    mkdir -p "$WORK/data" "$WORK/keys"
    BENCH_PFX_PASSWORD="$(openssl rand -hex 16)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=InfraTerra bench" \
        -keyout "$WORK/keys/dp.key" -out "$WORK/keys/dp.crt" >/dev/null 2>&1
    openssl pkcs12 -export -inkey "$WORK/keys/dp.key" -in "$WORK/keys/dp.crt" \
        -out "$WORK/keys/dp.pfx" -passout "pass:$BENCH_PFX_PASSWORD"
    BENCH_MASTER_KEY_ID="bench-$(openssl rand -hex 4)"
    BENCH_MASTER_KEY="$(openssl rand -base64 32)"
    BENCH_LOOKUP_KEY="$(openssl rand -base64 32)"
}

# Starts the published app on $BASE in the given environment with request logging (Serilog,
# console, into $APP_LOG) as production has it; extra NAME=value settings override configuration.
bench_start_app() {
    local environment="$1"
    shift
    bench_make_secrets
    BENCH_DB="$WORK/data/infraterra.db"
    APP_LOG="$WORK/app.log"
    echo "== Starting the app in $environment on $BASE (SQLite in $WORK/data, sample data seeded)"
    (
        cd "$WORK/app"
        exec env \
            ASPNETCORE_ENVIRONMENT="$environment" \
            ASPNETCORE_URLS="$BASE" \
            DataFolder="$WORK/data" \
            Database__Provider=Sqlite \
            Tips__MasterKeyId="$BENCH_MASTER_KEY_ID" \
            Tips__MasterKey="$BENCH_MASTER_KEY" \
            Tips__LookupKey="$BENCH_LOOKUP_KEY" \
            Audit__Key="$(openssl rand -base64 32)" \
            DataProtection__CertificatePath="$WORK/keys/dp.pfx" \
            DataProtection__CertificatePassword="$BENCH_PFX_PASSWORD" \
            "$@" \
            dotnet InfraTerra.Web.dll
    ) >"$APP_LOG" 2>&1 &
    APP_PID=$!

    for _ in $(seq 1 120); do
        if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then return 0; fi
        if ! kill -0 "$APP_PID" 2>/dev/null; then echo "The app exited:"; cat "$APP_LOG"; exit 1; fi
        sleep 0.5
    done
    curl -fsS -o /dev/null "$BASE/health/ready" || { echo "The app did not become ready:"; cat "$APP_LOG"; exit 1; }
}

bench_stop_app() {
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}

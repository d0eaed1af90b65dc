#!/usr/bin/env bash
# The API end to end: Python grpcio stubs generated from proto/ by grpcio-tools
# against the real onvera-server process (create, watch, list, destroy, watch
# with resume, health, reflection, error details, scopes, isolation), then a
# kill -9 with work in flight and a restart on the same data directory; then the
# server over TLS with a certificate reload on SIGHUP.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/python-venv.sh
ensure_venv
bin=${ONVERA_SERVER_BIN:-.build/debug/onvera-server}
[ -x "$bin" ] || swift build --product onvera-server
source tools/lib/python-stubs.sh
ensure_python_stubs
stubs=.build/py-onvera

data=$(mktemp -d)
log=$(mktemp)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
}
trap cleanup EXIT
"$bin" --listen 127.0.0.1:0 --data-dir "$data" --sim-step-duration 100ms --metrics-listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
target=""
for _ in $(seq 1 600); do
  target=$(sed -n 's/^onvera-server listening on \([^ ]*\) .*/\1/p' "$log")
  [ -n "$target" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$target" ] || { echo "onvera-server did not start"; cat "$log"; exit 1; }

export PYTHONPATH="$PWD/$stubs:$PWD/Tests/Interop/python"
ONVERA_METRICS_URL=$(sed -n 's/^metrics on \(.*\)$/\1/p' "$log") \
ONVERA_TARGET=$target ONVERA_KEY=$(cat "$data/bootstrap-api-key") ONVERA_ADMIN_KEY=$(cat "$data/admin-api-key") \
  "$ONVERA_VENV/bin/python" Tests/Interop/python/test_api_e2e.py
kill -TERM "$pid"
wait "$pid" || { echo "onvera-server did not exit 0 on SIGTERM"; cat "$log"; exit 1; }
pid=""

ONVERA_SERVER_BIN=$PWD/$bin "$ONVERA_VENV/bin/python" Tests/Interop/python/test_api_restart.py

certs=$(mktemp -d)
trap 'cleanup; rm -rf "$certs"' EXIT
for n in 1 2; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Onvera test CA $n" \
    -keyout "$certs/ca$n.key" -out "$certs/ca$n.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$certs/server$n.key" \
    -out "$certs/server$n.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$certs/san.ext"
  openssl x509 -req -in "$certs/server$n.csr" -CA "$certs/ca$n.pem" -CAkey "$certs/ca$n.key" -CAcreateserial \
    -days 2 -extfile "$certs/san.ext" -out "$certs/server$n.pem" 2>/dev/null
done
ONVERA_SERVER_BIN=$PWD/$bin ONVERA_TLS_DIR=$certs "$ONVERA_VENV/bin/python" Tests/Interop/python/test_api_tls.py

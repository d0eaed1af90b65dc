#!/usr/bin/env bash
# grpcio's health stub and reflection client against health and reflection on
# our transport (onvera-standard-services). ONVERA_STANDARD_SERVICES_BIN
# overrides the binary (default .build/debug/onvera-standard-services).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/python-venv.sh
source Tests/Interop/transport-lib.sh
ensure_venv
bin="${ONVERA_STANDARD_SERVICES_BIN:-.build/debug/onvera-standard-services}"
if [ ! -x "$bin" ]; then
  swift build --product onvera-standard-services
fi
out=.build/standard-services-interop
mkdir -p "$out"
log="$out/server-$$.log"
"$bin" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
target=$(wait_for_listening "$log" "$pid")
echo "onvera-standard-services on $target"
"$ONVERA_VENV/bin/python" Tests/Interop/standard-services/check_standard_services.py "$target"
# SIGTERM: graceful shutdown, exit 0.
kill -TERM "$pid"
wait "$pid"
trap - EXIT

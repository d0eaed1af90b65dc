#!/usr/bin/env bash
# grpcio's health stub and reflection client against health and reflection on
# our transport (onvera-standard-services), and grpcio stubs generated from
# proto/ against its stand-in EnvironmentService (ErrorInfo, bad bodies).
# ONVERA_STANDARD_SERVICES_BIN overrides the binary
# (default .build/debug/onvera-standard-services).
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
mkdir -p "$out/py"
well_known=$("$ONVERA_VENV/bin/python" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')
"$ONVERA_VENV/bin/python" -m grpc_tools.protoc -I proto -I "$well_known" \
  --python_out="$out/py" --grpc_python_out="$out/py" proto/onvera/v1/*.proto
log="$out/server-$$.log"
"$bin" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
target=$(wait_for_listening "$log" "$pid")
echo "onvera-standard-services on $target"
PYTHONPATH="$out/py" "$ONVERA_VENV/bin/python" Tests/Interop/standard-services/check_standard_services.py "$target"
# SIGTERM: graceful shutdown, exit 0.
kill -TERM "$pid"
wait "$pid"
trap - EXIT

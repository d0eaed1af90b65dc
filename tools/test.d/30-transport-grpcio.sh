#!/usr/bin/env bash
# grpcio (Python) against our transport: the echo service on onvera-echo as the
# server for grpcio's client, and (if built) our client against a grpcio server.
# ONVERA_ECHO_BIN overrides the binary (default .build/debug/onvera-echo).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/python-venv.sh
source Tests/Interop/transport-lib.sh
ensure_venv
transport_prepare

transport_start_echo
echo "onvera-echo on $ECHO_TARGET"
PYTHONPATH="$TRANSPORT_OUT/py:Tests/Interop/python" "$ONVERA_VENV/bin/python" \
  Tests/Interop/python/test_server.py "$ECHO_TARGET"

# The other direction: our client (onvera-echo client) against a grpcio server.
py_log="$TRANSPORT_OUT/py-server-$$.log"
PYTHONPATH="$TRANSPORT_OUT/py:Tests/Interop/python" "$ONVERA_VENV/bin/python" \
  Tests/Interop/python/echo_server.py >"$py_log" 2>&1 &
PY_PID=$!
trap 'kill $ECHO_PID $PY_PID 2>/dev/null || true' EXIT
py_target=$(wait_for_listening "$py_log" "$PY_PID")
echo "grpcio echo server on $py_target"
"$ONVERA_ECHO_BIN" client "$py_target"

#!/usr/bin/env bash
# Negative and protocol-level HTTP/2 probes (Python h2) against onvera-echo.
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
  Tests/Interop/python/h2_probes.py "$ECHO_TARGET"
kill -0 "$ECHO_PID" || { echo "onvera-echo died"; exit 1; }

# Graceful shutdown on a server of its own: SIGTERM gives the two-phase GOAWAY.
kill "$ECHO_PID"
transport_start_echo
PYTHONPATH="$TRANSPORT_OUT/py:Tests/Interop/python" "$ONVERA_VENV/bin/python" \
  Tests/Interop/python/h2_shutdown.py "$ECHO_TARGET" "$ECHO_PID"
for _ in $(seq 1 100); do kill -0 "$ECHO_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$ECHO_PID" 2>/dev/null; then echo "onvera-echo did not exit after graceful shutdown"; exit 1; fi
wait "$ECHO_PID" 2>/dev/null || true
echo "onvera-echo exited after graceful shutdown"

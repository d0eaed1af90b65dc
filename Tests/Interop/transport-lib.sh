# Sourced by the tools/test.d/3*-transport-*.sh scripts.
ONVERA_ECHO_BIN="${ONVERA_ECHO_BIN:-.build/debug/onvera-echo}"
TRANSPORT_OUT="${TRANSPORT_OUT:-.build/transport-interop}"

transport_prepare() {
  if [ ! -x "$ONVERA_ECHO_BIN" ]; then
    swift build --product onvera-echo
  fi
  mkdir -p "$TRANSPORT_OUT/py"
  "$ONVERA_VENV/bin/python" -m grpc_tools.protoc -I Tests/Interop/protos \
    --python_out="$TRANSPORT_OUT/py" --grpc_python_out="$TRANSPORT_OUT/py" \
    Tests/Interop/protos/echo.proto
}

# Starts onvera-echo on port 0 (extra arguments passed through) and sets
# ECHO_PID and ECHO_TARGET from the "listening on" line it prints.
transport_start_echo() {
  local log="$TRANSPORT_OUT/echo-$$.log"
  "$ONVERA_ECHO_BIN" --port 0 "$@" >"$log" 2>&1 &
  ECHO_PID=$!
  trap 'kill $ECHO_PID 2>/dev/null || true' EXIT
  local line=""
  for _ in $(seq 1 300); do
    line=$(grep -m1 '^listening on ' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$ECHO_PID" 2>/dev/null || { cat "$log"; echo "onvera-echo exited"; return 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { cat "$log"; echo "onvera-echo did not report its address"; return 1; }
  ECHO_TARGET=${line#listening on }
  ECHO_LOG=$log
}

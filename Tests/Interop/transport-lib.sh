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
  ECHO_TARGET=$(wait_for_listening "$log" "$ECHO_PID")
  ECHO_LOG=$log
}

# Prints HOST:PORT from the "listening on" line a server writes to $1 (pid $2),
# waiting up to 30 seconds for it.
wait_for_listening() {
  local log=$1 pid=$2 line=""
  for _ in $(seq 1 300); do
    line=$(grep -m1 '^listening on ' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "server exited" >&2; return 1; }
    sleep 0.1
  done
  [ -n "$line" ] || { cat "$log" >&2; echo "server did not report its address" >&2; return 1; }
  echo "${line#listening on }"
}

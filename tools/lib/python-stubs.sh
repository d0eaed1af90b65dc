# Sourced after python-venv.sh: generates the grpcio stubs of proto/ into
# .build/py-onvera (messages and services, by grpcio-tools).
ensure_python_stubs() {
  local stubs=.build/py-onvera
  local include
  include=$("$ONVERA_VENV/bin/python" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')
  rm -rf "$stubs" && mkdir -p "$stubs"
  "$ONVERA_VENV/bin/python" -m grpc_tools.protoc -I proto -I "$include" \
    --python_out="$stubs" --grpc_python_out="$stubs" proto/onvera/v1/*.proto
}

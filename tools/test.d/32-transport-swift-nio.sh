#!/usr/bin/env bash
# grpc-swift-2 with grpc-swift-nio-transport as the peer of our transport: its
# client against onvera-echo, and `onvera-echo client` against its server. The
# peer is the test-only package Tests/Interop/SwiftNIO (built here, into
# .build/transport-nio unless ONVERA_NIO_SCRATCH says otherwise).
# ONVERA_ECHO_BIN overrides the onvera-echo binary (default .build/debug/onvera-echo).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/python-venv.sh
source Tests/Interop/transport-lib.sh
ensure_venv
transport_prepare

scratch="${ONVERA_NIO_SCRATCH:-.build/transport-nio}"
swift build --package-path Tests/Interop/SwiftNIO --scratch-path "$scratch" 2>&1 | tail -3
nio_bin="$scratch/debug/nio-interop"

transport_start_echo
echo "== grpc-swift NIO client against onvera-echo on $ECHO_TARGET"
"$nio_bin" client "$ECHO_TARGET"

nio_log="$TRANSPORT_OUT/nio-server-$$.log"
"$nio_bin" serve >"$nio_log" 2>&1 &
NIO_PID=$!
trap 'kill $ECHO_PID $NIO_PID 2>/dev/null || true' EXIT
nio_target=$(wait_for_listening "$nio_log" "$NIO_PID")
echo "== onvera-echo client against the grpc-swift NIO server on $nio_target"
# Two cases are skipped against this server because grpcio's own client gets the
# same from it: a request over its 4 MiB limit is reset (CANCELLED, not
# RESOURCE_EXHAUSTED), and 200 concurrent calls on one connection end with
# GOAWAY(PROTOCOL_ERROR).
ONVERA_SKIP=unary_over_limit,concurrent_200 "$ONVERA_ECHO_BIN" client "$nio_target"

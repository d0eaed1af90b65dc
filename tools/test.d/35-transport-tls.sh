#!/usr/bin/env bash
# TLS on our transport (system OpenSSL) against real peers. Certificates are made
# here with the openssl command in a temporary directory: a CA, a server
# certificate (localhost, 127.0.0.1), client certificates from that CA and from
# another one, an expired certificate and a key that matches nothing.
#   - grpcio over TLS calls onvera-echo; TLS 1.3 preferred, 1.2 accepted, 1.1,
#     ALPN without h2, cleartext, untrusted CA and wrong host name refused;
#   - mTLS: a good client certificate accepted; none, another CA's, an expired one refused;
#   - a certificate reload (SIGHUP) serves the new certificate to new connections
#     and keeps the open one;
#   - bad certificate files make onvera-echo exit with a clear error;
#   - our client (onvera-echo client --tls) against grpcio TLS servers: all the
#     interop cases, mTLS, and refusals of a wrong host name, an untrusted CA, an
#     expired certificate and a server that does not select h2.
# After every refusal the server still serves others.
# ONVERA_ECHO_BIN overrides the binary (default .build/debug/onvera-echo).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/lib/python-venv.sh
source Tests/Interop/transport-lib.sh
ensure_venv
transport_prepare

certs=$(mktemp -d "${TMPDIR:-/tmp}/onvera-tls.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$certs"
}
trap cleanup EXIT

(
  cd "$certs"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  san="subjectAltName=DNS:localhost,IP:127.0.0.1"
  openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=Onvera Test CA" 2>/dev/null
  openssl req -x509 "${ec[@]}" -keyout other-ca.key -out other-ca.pem -days 2 -subj "/CN=Other CA" 2>/dev/null
  sign() {  # sign NAME CA SUBJECT [EXT]
    openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "$3" ${4:+-addext "$4"} 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" -days 2 \
      -copy_extensions copy 2>/dev/null
  }
  sign server ca "/CN=localhost" "$san"
  sign other-server other-ca "/CN=localhost" "$san"
  sign client ca "/CN=client"
  sign other-client other-ca "/CN=intruder"
  openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out wrong.key 2>/dev/null
  # Expired: validity entirely in the past; `openssl ca` takes explicit dates.
  mkdir ca-db && : >ca-db/index.txt && echo 1000 >ca-db/serial
  cat >ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
CNF
  openssl req "${ec[@]}" -keyout expired.key -out expired.csr -subj "/CN=localhost" -addext "$san" 2>/dev/null
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20200201000000Z -notext 2>/dev/null
  cp server.pem live.pem && cp server.key live.key
)

# env execs python, so a background server's $! is python itself and the cleanup kill reaches it.
pyenv=(env "PYTHONPATH=$TRANSPORT_OUT/py:Tests/Interop/python" "$ONVERA_VENV/bin/python")
py() { "${pyenv[@]}" "$@"; }

# start_bg LOG CMD...: runs CMD in the background, waits for "listening on", sets BG_PID and BG_TARGET.
start_bg() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  BG_PID=$!
  pids+=("$BG_PID")
  BG_TARGET=$(wait_for_listening "$log" "$BG_PID")
}

# expect_failure WHAT PATTERN CMD...: CMD must fail and print PATTERN (case-insensitive).
expect_failure() {
  local what=$1 pattern=$2 out
  shift 2
  if out=$("$@" 2>&1); then
    echo "FAIL $what: succeeded"
    echo "$out"
    return 1
  fi
  if ! grep -qi -- "$pattern" <<<"$out"; then
    echo "FAIL $what: no '$pattern' in:"
    echo "$out"
    return 1
  fi
  echo "ok   $what: $(grep -i -m1 -- "$pattern" <<<"$out" | cut -c1-300)"
}

out="$TRANSPORT_OUT/tls-$$"
mkdir -p "$out"

echo "== bad certificate files"
expect_failure "missing certificate file" "cannot read the certificate chain" \
  "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/nope.pem" --tls-key "$certs/server.key"
expect_failure "key not matching the certificate" "does not .*match" \
  "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/server.pem" --tls-key "$certs/wrong.key"
expect_failure "expired certificate" "expired" \
  "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/expired.pem" --tls-key "$certs/expired.key"
expect_failure "not a certificate" "does not hold a PEM certificate" \
  "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/ca.cnf" --tls-key "$certs/server.key"

echo "== grpcio (and Python ssl) against onvera-echo over TLS"
start_bg "$out/echo-tls.log" "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/server.pem" --tls-key "$certs/server.key"
py Tests/Interop/python/test_tls.py server "$BG_TARGET" "$certs"
# expect_log LOG WHAT PATTERN: the server logged a refusal saying why.
expect_log() {
  if ! grep -qi -- "$3" "$1"; then
    echo "FAIL server log for $2: no '$3' in:"
    cat "$1"
    return 1
  fi
  echo "ok   server says for $2: $(grep -i -m1 -- "$3" "$1" | cut -c1-300)"
}
expect_log "$out/echo-tls.log" "ALPN http/1.1" "no application protocol"
expect_log "$out/echo-tls.log" "no ALPN" "did not offer ALPN h2"
expect_log "$out/echo-tls.log" "TLS 1.1" "unsupported protocol"
echo "== our client against onvera-echo over TLS"
"$ONVERA_ECHO_BIN" client "$BG_TARGET" unary --ca-cert "$certs/ca.pem" --server-name localhost

echo "== grpcio against onvera-echo with mTLS"
start_bg "$out/echo-mtls.log" "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/server.pem" \
  --tls-key "$certs/server.key" --tls-client-ca "$certs/ca.pem"
mtls_target=$BG_TARGET
py Tests/Interop/python/test_tls.py mtls "$mtls_target" "$certs"
expect_log "$out/echo-mtls.log" "no client certificate" "peer did not return a certificate"
expect_log "$out/echo-mtls.log" "another CA's client certificate" "unable to get local issuer certificate"
expect_log "$out/echo-mtls.log" "an expired client certificate" "certificate has expired"
"$ONVERA_ECHO_BIN" client "$mtls_target" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost \
  --tls-cert "$certs/client.pem" --tls-key "$certs/client.key"
expect_failure "our client without a client certificate" "alert certificate required" \
  "$ONVERA_ECHO_BIN" client "$mtls_target" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost

echo "== certificate reload on SIGHUP"
start_bg "$out/echo-reload.log" "$ONVERA_ECHO_BIN" --port 0 --tls-cert "$certs/live.pem" --tls-key "$certs/live.key"
py Tests/Interop/python/test_tls.py reload "$BG_TARGET" "$certs" "$BG_PID" "$out/echo-reload.log"

echo "== our client against grpcio TLS servers"
start_bg "$out/py-tls.log" "${pyenv[@]}" Tests/Interop/python/tls_peer_server.py grpc "$certs/server.pem" "$certs/server.key"
py_target=$BG_TARGET
"$ONVERA_ECHO_BIN" client "$py_target" --ca-cert "$certs/ca.pem" --server-name localhost
expect_failure "wrong host name" "hostname mismatch" \
  "$ONVERA_ECHO_BIN" client "$py_target" unary_empty --ca-cert "$certs/ca.pem" --server-name wrong.example
expect_failure "untrusted CA" "certificate verification" \
  "$ONVERA_ECHO_BIN" client "$py_target" unary_empty --ca-cert "$certs/other-ca.pem" --server-name localhost
expect_failure "system store does not trust the test CA" "certificate verification" \
  "$ONVERA_ECHO_BIN" client "$py_target" unary_empty --tls --server-name localhost

start_bg "$out/py-expired.log" "${pyenv[@]}" Tests/Interop/python/tls_peer_server.py grpc "$certs/expired.pem" "$certs/expired.key"
expect_failure "expired server certificate" "certificate has expired" \
  "$ONVERA_ECHO_BIN" client "$BG_TARGET" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost

start_bg "$out/py-http1.log" "${pyenv[@]}" Tests/Interop/python/tls_peer_server.py http1 "$certs/server.pem" "$certs/server.key"
expect_failure "server without ALPN h2" "did not select ALPN h2" \
  "$ONVERA_ECHO_BIN" client "$BG_TARGET" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost

start_bg "$out/py-mtls.log" "${pyenv[@]}" Tests/Interop/python/tls_peer_server.py grpc "$certs/server.pem" "$certs/server.key" "$certs/ca.pem"
"$ONVERA_ECHO_BIN" client "$BG_TARGET" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost \
  --tls-cert "$certs/client.pem" --tls-key "$certs/client.key"

# The grpcio server is still fine after the refused handshakes.
"$ONVERA_ECHO_BIN" client "$py_target" unary_empty --ca-cert "$certs/ca.pem" --server-name localhost
echo "35-transport-tls: all passed"

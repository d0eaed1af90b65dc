"""grpcio and Python's ssl module against onvera-echo serving TLS.

Usage (the stubs generated from echo.proto on PYTHONPATH; CERTS from tools/test.d/35-transport-tls.sh):
  test_tls.py server HOST:PORT CERTS          server without client certificates
  test_tls.py mtls HOST:PORT CERTS            server started with --tls-client-ca CERTS/ca.pem
  test_tls.py reload HOST:PORT CERTS PID LOG  server on CERTS/live.{pem,key}; swaps them and sends SIGHUP
"""
import os
import shutil
import signal
import socket
import ssl
import sys
import time
import traceback
import warnings

import grpc

import echo_pb2 as pb
import echo_pb2_grpc as pbg


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def read(certs, name):
    with open(os.path.join(certs, name), "rb") as f:
        return f.read()


def channel(target, certs, ca="ca.pem", client=None, name="localhost"):
    creds = grpc.ssl_channel_credentials(
        root_certificates=read(certs, ca),
        private_key=read(certs, client + ".key") if client else None,
        certificate_chain=read(certs, client + ".pem") if client else None,
    )
    return grpc.secure_channel(target, creds, options=[("grpc.ssl_target_name_override", name)])


def echo(ch, payload=b"hello", timeout=10):
    return pbg.EchoStub(ch).Get(pb.EchoRequest(payload=payload), timeout=timeout).payload


def refused(ch):
    """The status of a call expected to fail (None if it succeeded)."""
    try:
        echo(ch, timeout=5)
    except grpc.RpcError as e:
        return e.code(), e.details()
    return None


def raw_tls(target, certs, alpn, max_version=None):
    """A bare TLS handshake with Python's ssl; returns (tls version, ALPN, first bytes read) or raises."""
    host, port = target.rsplit(":", 1)
    context = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    if alpn is not None:
        context.set_alpn_protocols(alpn)
    if max_version:
        context.maximum_version = max_version
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        with context.wrap_socket(sock, server_hostname="localhost") as tls:
            version, selected = tls.version(), tls.selected_alpn_protocol()
            try:
                data = tls.recv(1024)
            except (ssl.SSLError, OSError) as e:
                data = e
            return version, selected, data


# --- a server without client certificates -----------------------------------------


def grpcio_unary_and_stream(target, certs):
    ch = channel(target, certs)
    expect(echo(ch) == b"hello", "unary over TLS")
    big = bytes(range(256)) * (3 * 4096)
    expect(echo(ch, big) == big, "3 MiB over TLS")
    n = len(list(pbg.EchoStub(ch).Expand(pb.EchoRequest(payload=b"x"), metadata=(("x-echo-count", "50"),), timeout=10)))
    expect(n == 50, f"server stream over TLS: {n}")


def tls13_preferred_tls12_accepted(target, certs):
    version, selected, _ = raw_tls(target, certs, ["h2"])
    expect(version == "TLSv1.3" and selected == "h2", f"default: {version} {selected}")
    version, selected, _ = raw_tls(target, certs, ["h2"], ssl.TLSVersion.TLSv1_2)
    expect(version == "TLSv1.2" and selected == "h2", f"max 1.2: {version} {selected}")


def tls11_refused(target, certs):
    warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are deprecated: that is the point
    try:
        host, port = target.rsplit(":", 1)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_ciphers("ALL:@SECLEVEL=0")
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            with context.wrap_socket(sock) as tls:
                raise AssertionError(f"TLS 1.1 accepted: {tls.version()}")
    except ssl.SSLError as e:
        print(f"     TLS 1.1 refused: {e}")


def alpn_http11_refused(target, certs):
    try:
        result = raw_tls(target, certs, ["http/1.1"])
        raise AssertionError(f"handshake without h2 succeeded: {result}")
    except ssl.SSLError as e:
        expect("no application protocol" in str(e).lower(), f"alert: {e}")
        print(f"     ALPN http/1.1 refused: {e}")


def no_alpn_closed(target, certs):
    # OpenSSL does not ask the server to choose when no ALPN is offered; the server closes after the handshake.
    try:
        version, selected, data = raw_tls(target, certs, None)
    except (ssl.SSLError, OSError) as e:
        print(f"     no ALPN refused in the handshake: {e}")
        return
    expect(selected is None, f"selected {selected}")
    expect(data == b"" or isinstance(data, Exception), f"server spoke to a client without ALPN h2: {data!r}")
    print(f"     no ALPN: closed after the handshake ({data!r})")


def wrong_hostname_refused_by_grpcio(target, certs):
    status = refused(channel(target, certs, name="wrong.example"))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"wrong host name: {status}")


def untrusted_ca_refused_by_grpcio(target, certs):
    status = refused(channel(target, certs, ca="other-ca.pem"))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"untrusted CA: {status}")


def cleartext_client_refused(target, certs):
    status = refused(grpc.insecure_channel(target))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"h2c against TLS: {status}")


def still_serving(target, certs):
    expect(echo(channel(target, certs), b"after") == b"after", "server still serves after the refusals")


SERVER = [
    grpcio_unary_and_stream, tls13_preferred_tls12_accepted, tls11_refused, alpn_http11_refused, no_alpn_closed,
    wrong_hostname_refused_by_grpcio, untrusted_ca_refused_by_grpcio, cleartext_client_refused, still_serving,
]

# --- a server requiring client certificates (mTLS) ----------------------------------


def mtls_good_client_accepted(target, certs):
    expect(echo(channel(target, certs, client="client")) == b"hello", "good client certificate")


def mtls_no_client_certificate_refused(target, certs):
    status = refused(channel(target, certs))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"no client certificate: {status}")
    print(f"     {status[1]}")


def mtls_other_ca_refused(target, certs):
    status = refused(channel(target, certs, client="other-client"))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"other CA's client certificate: {status}")


def mtls_expired_client_refused(target, certs):
    status = refused(channel(target, certs, client="expired"))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"expired client certificate: {status}")


def mtls_still_serving(target, certs):
    expect(echo(channel(target, certs, client="client"), b"after") == b"after", "mTLS server still serves")


MTLS = [
    mtls_good_client_accepted, mtls_no_client_certificate_refused, mtls_other_ca_refused,
    mtls_expired_client_refused, mtls_still_serving,
]

# --- certificate reload --------------------------------------------------------------


def reload_keeps_connections(target, certs, pid, log):
    old = channel(target, certs)
    expect(echo(old) == b"hello", "before reload")
    shutil.copy(os.path.join(certs, "other-server.pem"), os.path.join(certs, "live.pem"))
    shutil.copy(os.path.join(certs, "other-server.key"), os.path.join(certs, "live.key"))
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + 20
    while "reloaded certificates" not in open(log).read():
        expect(time.monotonic() < deadline, "server did not report the reload")
        time.sleep(0.05)
    # The open connection keeps working; new ones present the new certificate.
    expect(echo(old, b"same connection") == b"same connection", "existing connection after reload")
    expect(echo(channel(target, certs, ca="other-ca.pem")) == b"hello", "new certificate after reload")
    status = refused(channel(target, certs))
    expect(status and status[0] == grpc.StatusCode.UNAVAILABLE, f"old CA after reload: {status}")


def main():
    mode, target, certs = sys.argv[1:4]
    cases = {"server": SERVER, "mtls": MTLS, "reload": [reload_keeps_connections]}[mode]
    extra = (int(sys.argv[4]), sys.argv[5]) if mode == "reload" else ()
    failed = 0
    for fn in cases:
        try:
            fn(target, certs, *extra)
            print(f"ok   {fn.__name__}", flush=True)
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL {fn.__name__}", flush=True)
            traceback.print_exc()
    print(f"{len(cases) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

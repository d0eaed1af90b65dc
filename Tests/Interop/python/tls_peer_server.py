"""TLS servers for our client to call. Prints "listening on 127.0.0.1:PORT" once serving.

  tls_peer_server.py grpc CERT KEY [CLIENT_CA]   the grpcio echo server over TLS (mTLS with CLIENT_CA)
  tls_peer_server.py http1 CERT KEY              a TLS server that selects ALPN http/1.1, never h2
"""
import socket
import ssl
import sys
import threading
from concurrent import futures

import grpc

import echo_pb2_grpc as pbg
from echo_server import Echo


def read(path):
    with open(path, "rb") as f:
        return f.read()


def serve_grpc(cert, key, client_ca=None):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))
    pbg.add_EchoServicer_to_server(Echo(), server)
    creds = grpc.ssl_server_credentials(
        [(read(key), read(cert))],
        root_certificates=read(client_ca) if client_ca else None,
        require_client_auth=client_ca is not None,
    )
    port = server.add_secure_port("127.0.0.1:0", creds)
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.wait_for_termination()


def serve_http1(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["http/1.1"])
    listener = socket.create_server(("127.0.0.1", 0))
    print(f"listening on 127.0.0.1:{listener.getsockname()[1]}", flush=True)

    def handle(sock):
        try:
            with context.wrap_socket(sock, server_side=True) as tls:
                tls.recv(1024)
        except (ssl.SSLError, OSError):
            pass

    while True:
        sock, _ = listener.accept()
        threading.Thread(target=handle, args=(sock,), daemon=True).start()


if __name__ == "__main__":
    if sys.argv[1] == "grpc":
        serve_grpc(*sys.argv[2:])
    else:
        serve_http1(*sys.argv[2:])

"""onvera-server over TLS: grpcio with ssl_channel_credentials calls the API,
and SIGHUP swaps the certificate for new connections without dropping open ones.
Run by tools/test.d/40-api-e2e.sh with ONVERA_SERVER_BIN and ONVERA_TLS_DIR (a
directory with ca1.pem, ca2.pem, server1.pem/key, server2.pem/key)."""
import os
import shutil
import signal
import unittest

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from onvera.v1 import deployments_pb2 as dep
from onvera.v1 import deployments_pb2_grpc as dep_grpc
from onvera_server import Server

BINARY = os.environ["ONVERA_SERVER_BIN"]
CERTS = os.environ["ONVERA_TLS_DIR"]
TIMEOUT = 30


def read(name):
    with open(os.path.join(CERTS, name), "rb") as f:
        return f.read()


class TLS(unittest.TestCase):
    def test_api_over_tls_and_certificate_reload(self):
        live_cert = os.path.join(CERTS, "live.pem")
        live_key = os.path.join(CERTS, "live.key")
        shutil.copy(os.path.join(CERTS, "server1.pem"), live_cert)
        shutil.copy(os.path.join(CERTS, "server1.key"), live_key)
        server = Server(BINARY, extra=["--tls-cert", live_cert, "--tls-key", live_key]).start()
        try:
            self.assertIn("(gRPC, TLS)", "".join(server.output))
            key = (("x-api-key", server.key),)
            first = grpc.secure_channel(server.target, grpc.ssl_channel_credentials(read("ca1.pem")),
                                        options=(("grpc.ssl_target_name_override", "localhost"),))
            health = health_pb2_grpc.HealthStub(first)
            self.assertEqual(health.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status,
                             health_pb2.HealthCheckResponse.SERVING)
            dep_grpc.DeploymentServiceStub(first).ListDeployments(dep.ListDeploymentsRequest(), metadata=key, timeout=TIMEOUT)

            # A cleartext client is refused, and the server keeps serving.
            plain = grpc.insecure_channel(server.target)
            with self.assertRaises(grpc.RpcError):
                health_pb2_grpc.HealthStub(plain).Check(health_pb2.HealthCheckRequest(), timeout=5)
            plain.close()

            # New certificate from another CA; SIGHUP reloads it.
            shutil.copy(os.path.join(CERTS, "server2.pem"), live_cert)
            shutil.copy(os.path.join(CERTS, "server2.key"), live_key)
            server.process.send_signal(signal.SIGHUP)
            deadline_ok = False
            for _ in range(100):
                if any("TLS certificates reloaded" in line for line in server.output):
                    deadline_ok = True
                    break
                import time
                time.sleep(0.05)
            self.assertTrue(deadline_ok, "".join(server.output[-5:]))
            second = grpc.secure_channel(server.target, grpc.ssl_channel_credentials(read("ca2.pem")),
                                         options=(("grpc.ssl_target_name_override", "localhost"),))
            self.assertEqual(health_pb2_grpc.HealthStub(second).Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status,
                             health_pb2.HealthCheckResponse.SERVING)
            # The connection opened before the reload still works.
            self.assertEqual(health.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status,
                             health_pb2.HealthCheckResponse.SERVING)
            # A new client that only trusts the old CA is refused.
            stale = grpc.secure_channel(server.target, grpc.ssl_channel_credentials(read("ca1.pem")),
                                        options=(("grpc.ssl_target_name_override", "localhost"),))
            with self.assertRaises(grpc.RpcError):
                health_pb2_grpc.HealthStub(stale).Check(health_pb2.HealthCheckRequest(), timeout=5)
            for channel in (first, second, stale):
                channel.close()
            self.assertEqual(server.stop(), 0)
        finally:
            if server.process.poll() is None:
                server.kill9()


if __name__ == "__main__":
    unittest.main(verbosity=2)

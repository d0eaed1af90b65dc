"""End to end: Python grpcio stubs generated from proto/ against the real
onvera-server process. Run by tools/test.d/40-api-e2e.sh, which starts the
server and passes ONVERA_TARGET, ONVERA_KEY, ONVERA_ADMIN_KEY and ONVERA_SERVER_CMD."""
import os
import signal
import subprocess
import sys
import time
import unittest
import uuid

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status
from google.rpc import error_details_pb2

from onvera.v1 import deployments_pb2 as dep
from onvera.v1 import deployments_pb2_grpc as dep_grpc
from onvera.v1 import operations_pb2 as ops
from onvera.v1 import operations_pb2_grpc as ops_grpc
from onvera.v1 import organizations_pb2 as orgs
from onvera.v1 import organizations_pb2_grpc as orgs_grpc
from onvera.v1 import environments_pb2 as envs
from onvera.v1 import environments_pb2_grpc as envs_grpc
from onvera.v1 import resources_pb2 as res

TARGET = os.environ["ONVERA_TARGET"]
KEY = os.environ["ONVERA_KEY"]
ADMIN_KEY = os.environ["ONVERA_ADMIN_KEY"]
TIMEOUT = 60


def auth(key=None):
    return (("x-api-key", key or KEY),)


def error_info(error):
    status = rpc_status.from_call(error)
    assert status is not None, "no grpc-status-details-bin on %s" % error
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    raise AssertionError("no ErrorInfo in %s" % status)


class API(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel(TARGET)
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT)
        cls.deployments = dep_grpc.DeploymentServiceStub(cls.channel)
        cls.operations = ops_grpc.OperationServiceStub(cls.channel)
        cls.orgs = orgs_grpc.OrganizationServiceStub(cls.channel)
        cls.envs = envs_grpc.EnvironmentServiceStub(cls.channel)

    def follow(self, operation_id, key=None):
        """Watches an operation to its end; returns the events."""
        events = list(self.operations.WatchOperation(
            ops.WatchOperationRequest(operation_id=operation_id), metadata=auth(key), timeout=TIMEOUT))
        self.assertEqual(events[0].kind, res.OperationEvent.KIND_SNAPSHOT)
        sequences = [e.sequence for e in events if e.kind != res.OperationEvent.KIND_HEARTBEAT]
        self.assertEqual(sequences, sorted(set(sequences)), "sequences repeat or go back")
        self.assertTrue(events[-1].operation.done)
        return events

    def test_health_and_reflection(self):
        health = health_pb2_grpc.HealthStub(self.channel)
        reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT)
        self.assertEqual(reply.status, health_pb2.HealthCheckResponse.SERVING)
        reply = health.Check(health_pb2.HealthCheckRequest(service="onvera.v1.DeploymentService"), timeout=TIMEOUT)
        self.assertEqual(reply.status, health_pb2.HealthCheckResponse.SERVING)
        reflection = reflection_pb2_grpc.ServerReflectionStub(self.channel)
        answers = list(reflection.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=TIMEOUT))
        names = {s.name for s in answers[0].list_services_response.service}
        for name in ("onvera.v1.DeploymentService", "onvera.v1.OperationService",
                     "onvera.v1.EnvironmentService", "onvera.v1.OrganizationService",
                     "grpc.health.v1.Health"):
            self.assertIn(name, names)

    def test_create_watch_list_destroy_superset_and_airflow(self):
        created = {}
        for app, name in ((res.APP_TYPE_SUPERSET, "My Superset"), (res.APP_TYPE_AIRFLOW, "Pipelines")):
            reply = self.deployments.CreateDeployment(
                dep.CreateDeploymentRequest(app_type=app, name=name, request_id=str(uuid.uuid4())),
                metadata=auth(), timeout=TIMEOUT)
            self.assertTrue(reply.deployment_id.startswith("dep_"))
            self.assertTrue(reply.operation_id.startswith("op_"))
            self.assertEqual(reply.deployment.status, res.DEPLOYMENT_STATUS_PROVISIONING)
            created[reply.deployment_id] = reply.operation_id
        for deployment_id, operation_id in created.items():
            events = self.follow(operation_id)
            final = events[-1].operation
            self.assertEqual(final.status, res.OPERATION_STATUS_SUCCEEDED, final)
            names = [s.name for s in final.steps]
            got = self.deployments.GetDeployment(dep.GetDeploymentRequest(deployment_id=deployment_id),
                                                 metadata=auth(), timeout=TIMEOUT)
            self.assertEqual(got.status, res.DEPLOYMENT_STATUS_READY)
            self.assertTrue(got.url.startswith("https://"), got.url)
            if got.app_type == res.APP_TYPE_AIRFLOW:
                self.assertIn("airflow_migrations", names)
                self.assertIn("airflow_health_check", names)
            else:
                self.assertIn("superset_init", names)
        listed = self.deployments.ListDeployments(dep.ListDeploymentsRequest(), metadata=auth(), timeout=TIMEOUT)
        ids = [d.id for d in listed.deployments]
        for deployment_id in created:
            self.assertIn(deployment_id, ids)
        for deployment_id in created:
            reply = self.deployments.DestroyDeployment(
                dep.DestroyDeploymentRequest(deployment_id=deployment_id), metadata=auth(), timeout=TIMEOUT)
            final = self.follow(reply.operation_id)[-1].operation
            self.assertEqual(final.status, res.OPERATION_STATUS_SUCCEEDED, final)
            got = self.deployments.GetDeployment(dep.GetDeploymentRequest(deployment_id=deployment_id),
                                                 metadata=auth(), timeout=TIMEOUT)
            self.assertEqual(got.status, res.DEPLOYMENT_STATUS_DESTROYED)

    def test_watch_deployments_resumes_by_revision(self):
        stream = self.deployments.WatchDeployments(dep.WatchDeploymentsRequest(), metadata=auth(), timeout=TIMEOUT)
        revision = 0
        for event in stream:
            if event.kind == res.DeploymentEvent.KIND_SYNCED:
                revision = event.revision
                break
        stream.cancel()
        reply = self.deployments.CreateDeployment(
            dep.CreateDeploymentRequest(app_type=res.APP_TYPE_SUPERSET, name="Watched"), metadata=auth(), timeout=TIMEOUT)
        self.follow(reply.operation_id)
        resumed = self.deployments.WatchDeployments(
            dep.WatchDeploymentsRequest(after_revision=revision), metadata=auth(), timeout=TIMEOUT)
        seen = []
        for event in resumed:
            if event.kind in (res.DeploymentEvent.KIND_BOOKMARK, res.DeploymentEvent.KIND_SYNCED):
                continue
            self.assertGreater(event.revision, revision)
            seen.append(event)
            if event.deployment.id == reply.deployment_id and event.deployment.status == res.DEPLOYMENT_STATUS_READY:
                break
        resumed.cancel()
        revisions = [e.revision for e in seen]
        self.assertEqual(revisions, sorted(set(revisions)))
        self.assertEqual(seen[0].kind, res.DeploymentEvent.KIND_ADDED)
        self.assertEqual(seen[0].deployment.id, reply.deployment_id)

    def test_errors_carry_error_info(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.GetDeployment(dep.GetDeploymentRequest(deployment_id="dep_00000000-0000-4000-8000-000000000000"),
                                           metadata=auth(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        info = error_info(caught.exception)
        self.assertEqual(info.reason, "DEPLOYMENT_NOT_FOUND")
        self.assertEqual(info.domain, "onvera.io")
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.ListDeployments(dep.ListDeploymentsRequest(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        self.assertEqual(error_info(caught.exception).reason, "MISSING_API_KEY")
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.ListDeployments(dep.ListDeploymentsRequest(), metadata=auth("onv_sk_live_nope"), timeout=TIMEOUT)
        self.assertEqual(error_info(caught.exception).reason, "INVALID_API_KEY")
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.CreateDeployment(dep.CreateDeploymentRequest(name="x"), metadata=auth(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(error_info(caught.exception).reason, "VALIDATION_ERROR")
        self.assertIn("app_type", caught.exception.details())
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.ListDeployments(dep.ListDeploymentsRequest(page_size=-1), metadata=auth(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)

    def test_scopes_and_key_lifecycle(self):
        created = self.orgs.CreateApiKey(orgs.CreateApiKeyRequest(name="reader", scopes=["deployments:read"]),
                                         metadata=auth(), timeout=TIMEOUT)
        self.assertTrue(created.secret.startswith("onv_sk_live_"))
        self.assertGreaterEqual(len(created.secret) - len("onv_sk_live_"), 32)
        self.deployments.ListDeployments(dep.ListDeploymentsRequest(), metadata=auth(created.secret), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.CreateDeployment(dep.CreateDeploymentRequest(app_type=res.APP_TYPE_AIRFLOW),
                                              metadata=auth(created.secret), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(error_info(caught.exception).reason, "INSUFFICIENT_SCOPE")
        self.assertIn("deployments:write", caught.exception.details())
        self.orgs.RevokeApiKey(orgs.RevokeApiKeyRequest(key_id=created.api_key.id), metadata=auth(), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.ListDeployments(dep.ListDeploymentsRequest(), metadata=auth(created.secret), timeout=TIMEOUT)
        self.assertEqual(error_info(caught.exception).reason, "API_KEY_REVOKED")

    def test_other_organizations_are_invisible(self):
        other = self.orgs.CreateOrganization(orgs.CreateOrganizationRequest(name="Other Co", owner_email="o@example.com"),
                                             metadata=auth(ADMIN_KEY), timeout=TIMEOUT)
        theirs = self.deployments.CreateDeployment(
            dep.CreateDeploymentRequest(app_type=res.APP_TYPE_SUPERSET, name="Theirs"),
            metadata=auth(other.api_key_secret), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError) as caught:
            self.deployments.GetDeployment(dep.GetDeploymentRequest(deployment_id=theirs.deployment_id),
                                           metadata=auth(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        with self.assertRaises(grpc.RpcError) as caught:
            self.operations.GetOperation(ops.GetOperationRequest(operation_id=theirs.operation_id),
                                         metadata=auth(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        mine = self.deployments.ListDeployments(dep.ListDeploymentsRequest(show_destroyed=True), metadata=auth(), timeout=TIMEOUT)
        self.assertNotIn(theirs.deployment_id, [d.id for d in mine.deployments])
        listed = self.envs.ListEnvironments(envs.ListEnvironmentsRequest(), metadata=auth(), timeout=TIMEOUT)
        self.assertIn("env_default", [e.id for e in listed.environments])


class Metrics(unittest.TestCase):
    """Runs after the API tests (unittest orders classes by name): the Prometheus endpoint counts them."""

    def test_metrics_endpoint(self):
        import urllib.request
        channel = grpc.insecure_channel(TARGET)
        stub = dep_grpc.DeploymentServiceStub(channel)
        reply = stub.CreateDeployment(dep.CreateDeploymentRequest(app_type=res.APP_TYPE_SUPERSET, name="Metered"),
                                      metadata=auth(), timeout=TIMEOUT)
        ops_grpc.OperationServiceStub(channel).WaitOperation(ops.WaitOperationRequest(operation_id=reply.operation_id),
                                                            metadata=auth(), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError):
            stub.GetDeployment(dep.GetDeploymentRequest(deployment_id="dep_00000000-0000-4000-8000-000000000000"),
                               metadata=auth(), timeout=TIMEOUT)
        url = os.environ["ONVERA_METRICS_URL"]
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            self.assertEqual(response.status, 200)
            text = response.read().decode()
        lines = text.splitlines()

        def value(prefix):
            found = [float(l.rsplit(" ", 1)[1]) for l in lines if l.startswith(prefix)]
            self.assertTrue(found, "no metric line starts with %s" % prefix)
            return found[0]

        self.assertGreaterEqual(value('onvera_rpcs_total{method="/onvera.v1.DeploymentService/CreateDeployment",code="ok"}'), 1)
        self.assertTrue([l for l in lines if l.startswith('onvera_rpcs_total{method="/onvera.v1.DeploymentService/GetDeployment"')
                         and 'code="ok"' not in l], "the failed GetDeployment is not counted by its code")
        self.assertGreaterEqual(value('onvera_rpc_duration_seconds_count{method="/onvera.v1.DeploymentService/CreateDeployment"}'), 1)
        self.assertGreaterEqual(value('onvera_operations{type="OPERATION_TYPE_DEPLOYMENT_CREATE",status="OPERATION_STATUS_SUCCEEDED"}'), 1)
        self.assertGreater(value("onvera_store_fdatasync_seconds_count"), 0)
        self.assertGreater(value("onvera_store_append_seconds_count"), 0)
        self.assertGreaterEqual(value("onvera_open_connections"), 1)
        value('onvera_watchers{kind="operation"}')
        value("onvera_rpcs_in_flight")
        self.assertGreater(value('onvera_heap_bytes{state="in_use"}'), 0)
        value('onvera_heap_bytes{state="free"}')
        value("onvera_heap_trims_total")
        self.assertGreaterEqual(value('onvera_heap_walk_seconds_count{kind="look"}'), 1)  # the look on start
        value("onvera_connection_output_held_total")
        channel.close()
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(url.replace("/metrics", "/other"), timeout=TIMEOUT)


if __name__ == "__main__":
    unittest.main(verbosity=2)

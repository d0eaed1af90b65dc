"""kill -9 of the real onvera-server while creates and destroys are in
flight, then a restart on the same data directory: every acknowledged create
exists, every operation reaches a terminal state, a retried create with the
same request id is not duplicated, and watchers resume by sequence and
revision without gaps."""
import os
import sys
import threading
import unittest
import uuid

import grpc

from onvera.v1 import deployments_pb2 as dep
from onvera.v1 import deployments_pb2_grpc as dep_grpc
from onvera.v1 import operations_pb2 as ops
from onvera.v1 import operations_pb2_grpc as ops_grpc
from onvera.v1 import resources_pb2 as res
from onvera_server import Server

BINARY = os.environ["ONVERA_SERVER_BIN"]
TIMEOUT = 60


class Restart(unittest.TestCase):
    def stubs(self, server):
        channel = grpc.insecure_channel(server.target)
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        return channel, dep_grpc.DeploymentServiceStub(channel), ops_grpc.OperationServiceStub(channel)

    def test_kill9_with_work_in_flight(self):
        server = Server(BINARY, step="150ms").start()
        key = (("x-api-key", server.key),)
        channel, deployments, operations = self.stubs(server)

        # Remember where the deployment watch is before anything happens.
        watch = deployments.WatchDeployments(dep.WatchDeploymentsRequest(), metadata=key, timeout=TIMEOUT)
        synced_revision = next(e.revision for e in watch if e.kind == res.DeploymentEvent.KIND_SYNCED)
        watch.cancel()

        # Some deployments get ready, then their destroys start; others are still being created.
        acknowledged = {}
        for i in range(3):
            request = dep.CreateDeploymentRequest(app_type=res.APP_TYPE_SUPERSET, name=f"early {i}",
                                                  request_id=str(uuid.uuid4()))
            reply = deployments.CreateDeployment(request, metadata=key, timeout=TIMEOUT)
            acknowledged[reply.deployment_id] = (request, reply.operation_id)
        for deployment_id, (_, operation_id) in acknowledged.items():
            operations.WaitOperation(ops.WaitOperationRequest(operation_id=operation_id), metadata=key, timeout=TIMEOUT)
        destroys = []
        for deployment_id in list(acknowledged):
            reply = deployments.DestroyDeployment(dep.DestroyDeploymentRequest(deployment_id=deployment_id),
                                                  metadata=key, timeout=TIMEOUT)
            destroys.append(reply.operation_id)
        in_flight = []
        for i in range(4):
            request = dep.CreateDeploymentRequest(app_type=res.APP_TYPE_AIRFLOW, name=f"late {i}",
                                                  request_id=str(uuid.uuid4()))
            reply = deployments.CreateDeployment(request, metadata=key, timeout=TIMEOUT)
            acknowledged[reply.deployment_id] = (request, reply.operation_id)
            in_flight.append(reply.operation_id)

        # Follow one create until a couple of changes were seen, then kill the server.
        followed = in_flight[0]
        seen = []
        stream = operations.WatchOperation(ops.WatchOperationRequest(operation_id=followed), metadata=key, timeout=TIMEOUT)
        for event in stream:
            if event.kind != res.OperationEvent.KIND_HEARTBEAT:
                seen.append(event.sequence)
            if len(seen) >= 3:
                break
        server.kill9()
        channel.close()

        server.start()
        channel, deployments, operations = self.stubs(server)
        for deployment_id, (request, operation_id) in acknowledged.items():
            got = deployments.GetDeployment(dep.GetDeploymentRequest(deployment_id=deployment_id), metadata=key, timeout=TIMEOUT)
            self.assertEqual(got.id, deployment_id)
            # The same request id returns the first result: no second deployment.
            again = deployments.CreateDeployment(request, metadata=key, timeout=TIMEOUT)
            self.assertEqual(again.deployment_id, deployment_id)
        for operation_id in [op for _, op in acknowledged.values()] + destroys:
            final = operations.WaitOperation(ops.WaitOperationRequest(operation_id=operation_id), metadata=key, timeout=TIMEOUT)
            self.assertTrue(final.done, final)
            self.assertIn(final.status, (res.OPERATION_STATUS_SUCCEEDED, res.OPERATION_STATUS_FAILED, res.OPERATION_STATUS_CANCELED))

        # The followed operation resumes right after the last sequence seen, with no gap.
        resumed = [e.sequence for e in operations.WatchOperation(
            ops.WatchOperationRequest(operation_id=followed, after_sequence=seen[-1]), metadata=key, timeout=TIMEOUT)
            if e.kind != res.OperationEvent.KIND_HEARTBEAT]
        self.assertTrue(resumed, "no events after resuming")
        self.assertEqual(resumed, list(range(seen[-1] + 1, seen[-1] + 1 + len(resumed))), resumed)

        # The deployment watch resumes from the revision before the kill, in order, with every deployment.
        stream = deployments.WatchDeployments(dep.WatchDeploymentsRequest(after_revision=synced_revision),
                                              metadata=key, timeout=TIMEOUT)
        revisions, ids = [], set()
        final_states = {}
        for event in stream:
            if event.kind == res.DeploymentEvent.KIND_BOOKMARK:
                break
            revisions.append(event.revision)
            ids.add(event.deployment.id)
            final_states[event.deployment.id] = event.deployment.status
        stream.cancel()
        self.assertEqual(revisions, sorted(set(revisions)))
        self.assertTrue(set(acknowledged) <= ids, set(acknowledged) - ids)
        self.assertEqual(server.stop(), 0, "graceful shutdown did not exit 0:\n" + "".join(server.output[-20:]))


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/env python3
"""Crash loop: the real onvera-server under 64 concurrent grpcio clients that create,
destroy, cancel, replay and watch, killed with SIGKILL at random moments (some during
startup, some while a snapshot is being written, some right after a snapshot's rename,
while the log is being compacted) for N cycles.

This process is the parent: every acknowledged response (create, destroy, cancel) is
appended to its own fsynced log (soaklib.AckLog) before it is counted. A client whose call
fails because the server died retries the same request (same request id) once the server
is back. After each restart: every acknowledged create exists under its request-derived
name, no two deployments share a name, every acknowledged destroy's deployment is
DESTROYING or DESTROYED. Periodically and at the end the clients are quiesced: every
acknowledged operation must reach a terminal state, deployments must agree with their
operations, the deployment watchers' view must equal the server's, and the stopped
server's store (`onvera-server inspect`) must hold no resource of a deployment that is not
READY and exactly the acknowledged idempotency entries. Operation watchers resume by
sequence after each kill; deployment watchers resume by revision.

    python tools/soak/crash_loop.py --server BIN --out FILE [--short] [--seed N] [--cycles N]
"""
import collections
import ctypes
import json
import os
import random
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------------------------------------
# The killer: a separate small process (no GIL shared with 64 client threads) that watches the
# store directory with inotify and sends SIGKILL to the server the moment a snapshot file is
# created (kill during the snapshot write) or renamed into place (kill during compaction).

IN_CREATE = 0x100
IN_MOVED_TO = 0x80


def killer_main(argv):
    pid, store_dir, mode, timeout = int(argv[0]), argv[1], argv[2], float(argv[3])
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        print("error inotify_init1", flush=True)
        return 2
    mask = IN_CREATE if mode == "snapshot" else IN_MOVED_TO
    if libc.inotify_add_watch(fd, store_dir.encode(), mask) < 0:
        print("error inotify_add_watch", flush=True)
        return 2
    print("armed", flush=True)
    deadline = time.monotonic() + timeout
    what = "timeout"
    while what == "timeout":
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            break
        data = os.read(fd, 65536)
        offset = 0
        while offset < len(data):
            _, event_mask, _, length = struct.unpack_from("iIII", data, offset)
            name = data[offset + 16:offset + 16 + length].rstrip(b"\0").decode()
            offset += 16 + length
            if mode == "snapshot" and event_mask & IN_CREATE and name.endswith(".snap.tmp"):
                what = "event " + name
            elif mode == "compaction" and event_mask & IN_MOVED_TO and name.endswith(".snap"):
                what = "event " + name
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        what = "gone"
    print("killed " + what, flush=True)
    return 0


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "_killer":
    sys.exit(killer_main(sys.argv[2:]))

# ---------------------------------------------------------------------------------------------

import re  # noqa: E402

os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")  # the server and killer are spawned, not forked into gRPC
import grpc  # noqa: E402

from soaklib import AckLog, Result, Server, arguments, raise_fd_limit  # noqa: E402
from onvera.v1 import deployments_pb2 as dep  # noqa: E402
from onvera.v1 import deployments_pb2_grpc as dep_grpc  # noqa: E402
from onvera.v1 import operations_pb2 as ops  # noqa: E402
from onvera.v1 import operations_pb2_grpc as ops_grpc  # noqa: E402
from onvera.v1 import resources_pb2 as res  # noqa: E402
from google.protobuf import duration_pb2  # noqa: E402

try:
    from grpc_status import rpc_status
    from google.rpc import error_details_pb2
except ImportError:  # reasons are then unknown; codes still checked
    rpc_status = None

CLIENTS = 64
DEPLOYMENT_WATCHERS = 4
CALL_TIMEOUT = 30
RETRY_WINDOW = 180          # a request is retried at most this long before it counts as failed
START_TIMEOUT = 60
IDLE_TIMEOUT = 120
RESTART_SAMPLE = 100        # older acknowledgements read back after each restart
FULL_CHECK_EVERY = 10       # restarts between full listings
READY_RESOURCES = {"db_tenant", "infrastructure", "application", "dns_record"}
STATUS = res.DeploymentStatus.Name
OPSTATUS = res.OperationStatus.Name
DONE_STATUSES = (res.OPERATION_STATUS_SUCCEEDED, res.OPERATION_STATUS_FAILED, res.OPERATION_STATUS_CANCELED)
# Allowed flows of a deployment's public status (proto: PROVISIONING -> READY | FAILED;
# READY | FAILED -> DESTROYING -> DESTROYED); a status may also stay (phase changes).
FLOWS = {
    res.DEPLOYMENT_STATUS_PROVISIONING: {res.DEPLOYMENT_STATUS_PROVISIONING, res.DEPLOYMENT_STATUS_READY,
                                         res.DEPLOYMENT_STATUS_FAILED},
    res.DEPLOYMENT_STATUS_READY: {res.DEPLOYMENT_STATUS_READY, res.DEPLOYMENT_STATUS_DESTROYING},
    res.DEPLOYMENT_STATUS_FAILED: {res.DEPLOYMENT_STATUS_FAILED, res.DEPLOYMENT_STATUS_DESTROYING},
    res.DEPLOYMENT_STATUS_DESTROYING: {res.DEPLOYMENT_STATUS_DESTROYING, res.DEPLOYMENT_STATUS_DESTROYED},
    res.DEPLOYMENT_STATUS_DESTROYED: set(),
}


class Abort(Exception):
    """The run is over (or a request could not be completed within its retry window)."""


def error_reason(error):
    if rpc_status is None:
        return ""
    try:
        status = rpc_status.from_call(error)
    except Exception:  # noqa: BLE001 - a malformed status is reported by its code alone
        return ""
    if status is None:
        return ""
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    return ""


class CrashServer(Server):
    """soaklib.Server with a ready event and the time its 'listening on' line arrived."""

    def start(self, timeout=START_TIMEOUT, expect_ready=True):
        self.output = []
        self.target = None
        self.exited = threading.Event()
        self.ready = threading.Event()
        self.spawned_at = time.monotonic()
        self.ready_at = None
        env = dict(os.environ, **(self.env or {}))
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, errors="replace", env=env)  # inherits our raised fd limit
        process, exited, ready, output = self.process, self.exited, self.ready, self.output

        def pump():
            for line in process.stdout:
                if len(output) < 20000:
                    output.append(line)
                elif len(output) == 20000:
                    output.append("... (output truncated)\n")
                if self.ready_at is None:
                    match = re.match(r"onvera-server listening on (\S+) ", line)
                    if match:
                        self.target = match.group(1)
                        self.ready_at = time.monotonic()
                        ready.set()
            process.wait()
            exited.set()
            ready.set()
        threading.Thread(target=pump, daemon=True).start()
        if expect_ready:
            if not ready.wait(timeout) or self.target is None:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("onvera-server did not start:\n" + self.tail())
        return self

    def tail(self, lines=30):
        return "".join(self.output[-lines:])


class Epochs:
    """Which server instance is up: clients wait on this (bounded) after a failed call instead
    of sleeping, and reconnect when a new instance is published."""

    def __init__(self):
        self.cond = threading.Condition()
        self.epoch = 0
        self.target = None
        self.up = False
        self.closed = False
        self.dead = {}

    def publish(self, target):
        with self.cond:
            self.epoch += 1
            self.dead[self.epoch] = threading.Event()
            self.target = target
            self.up = True
            self.cond.notify_all()

    def down(self):
        with self.cond:
            self.up = False

    def mark_dead(self):
        """The current instance has exited (killed or stopped)."""
        with self.cond:
            self.up = False
            self.dead[self.epoch].set()

    def died(self, epoch, timeout):
        """Waits (bounded) for the instance of `epoch` to have exited; True if it did."""
        with self.cond:
            event = self.dead.get(epoch)
        return event is not None and event.wait(timeout)

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def current(self):
        with self.cond:
            return self.epoch, self.target

    def wait_newer(self, epoch, timeout):
        """Waits until an instance newer than `epoch` is up (or closed, or the timeout)."""
        with self.cond:
            self.cond.wait_for(lambda: self.closed or (self.up and self.epoch > epoch), timeout)
            return self.closed


class Gate:
    """Pauses the mixed clients for a quiesce and tells the parent when all are idle."""

    def __init__(self, count):
        self.cond = threading.Condition()
        self.open = True
        self.busy = 0
        self.count = count

    def enter(self, stop):
        with self.cond:
            self.cond.wait_for(lambda: self.open or stop.is_set(), None)
            if stop.is_set():
                return False
            self.busy += 1
            return True

    def leave(self):
        with self.cond:
            self.busy -= 1
            self.cond.notify_all()

    def close_and_wait_idle(self, timeout):
        with self.cond:
            self.open = False
            return self.cond.wait_for(lambda: self.busy == 0, timeout)

    def reopen(self):
        with self.cond:
            self.open = True
            self.cond.notify_all()


class World:
    """What the clients were told (acknowledged) and what they saw; guarded by one lock."""

    def __init__(self, acklog):
        self.lock = threading.Lock()
        self.acklog = acklog
        self.creates = {}       # request_id -> {deployment_id, operation_id, name, app_type, epoch}
        self.by_deployment = {}  # deployment_id -> request_id
        self.destroys = {}      # deployment_id -> {request_id, operation_id}
        self.cancels = {}       # operation_id -> {done, cancel_requested, status}
        self.watched_final = {}  # operation_id -> last sequence a watcher saw when the op was done
        self.counts = collections.Counter()
        self.problems = collections.defaultdict(list)  # guarantee -> details (first few kept)

    def count(self, name, n=1):
        with self.lock:
            self.counts[name] += n

    def problem(self, kind, detail):
        with self.lock:
            self.counts["problem: " + kind] += 1
            if len(self.problems[kind]) < 10:
                self.problems[kind].append(detail)
        print(f"crash_loop: {kind}: {detail}", file=sys.stderr, flush=True)

    def ack_create(self, rid, entry):
        self.acklog.append({"kind": "create", "request_id": rid, **entry})
        with self.lock:
            self.creates[rid] = entry
            self.by_deployment[entry["deployment_id"]] = rid
            self.counts["acknowledged creates"] += 1

    def ack_destroy(self, deployment_id, rid, operation_id):
        self.acklog.append({"kind": "destroy", "deployment_id": deployment_id, "request_id": rid,
                            "operation_id": operation_id})
        with self.lock:
            self.destroys[deployment_id] = {"request_id": rid, "operation_id": operation_id}
            self.counts["acknowledged destroys"] += 1

    def ack_cancel(self, operation_id, op):
        entry = {"done": op.done, "cancel_requested": op.cancel_requested, "status": OPSTATUS(op.status)}
        self.acklog.append({"kind": "cancel", "operation_id": operation_id, **entry})
        with self.lock:
            self.cancels.setdefault(operation_id, entry)
            self.counts["acknowledged cancels"] += 1


def retryable(error, epochs, epoch, world):
    """A failure a client retries: the server went away (or the call timed out). UNKNOWN and
    INTERNAL count only if the server instance of the call was indeed killed."""
    code = error.code()
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED):
        ok = True
    elif code == grpc.StatusCode.RESOURCE_EXHAUSTED and "too many requests" in (error.details() or ""):
        ok = True  # the per-key rate limit (raised for this scenario, if the server has one)
    elif code in (grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL):
        ok = epochs.died(epoch, 10)
    else:
        ok = False
    if ok:
        world.count(f"failed attempts retried ({code.name})")
    return ok


class Client:
    """One of the 64 clients: its own channel to the current server instance."""

    def __init__(self, index, world, epochs, key, seed, stop):
        self.index = index
        self.world = world
        self.epochs = epochs
        self.metadata = (("x-api-key", key),)
        self.rng = random.Random(seed * 1000 + index)
        self.stop = stop
        self.epoch = None
        self.channel = None
        self.mine = []          # request ids of the creates this client made
        self.destroyed = set()  # deployment ids this client destroyed

    def connect(self):
        epoch, target = self.epochs.current()
        if epoch != self.epoch:
            if self.channel is not None:
                self.channel.close()
            self.channel = grpc.insecure_channel(target, options=[
                ("grpc.initial_reconnect_backoff_ms", 50), ("grpc.min_reconnect_backoff_ms", 50),
                ("grpc.max_reconnect_backoff_ms", 300), ("grpc.enable_retries", 0)])
            self.deployments = dep_grpc.DeploymentServiceStub(self.channel)
            self.operations = ops_grpc.OperationServiceStub(self.channel)
            self.epoch = epoch
        return epoch

    def close(self):
        if self.channel is not None:
            self.channel.close()

    def unary(self, call, request, what):
        """Calls until answered; the same request again after a failure of the server.
        Returns (response, attempts); raises grpc.RpcError for an answer that is an error."""
        deadline = time.monotonic() + RETRY_WINDOW
        attempts = 0
        while True:
            epoch = self.connect()
            attempts += 1
            try:
                return call(self)(request, metadata=self.metadata, timeout=CALL_TIMEOUT), attempts
            except grpc.RpcError as error:
                if not retryable(error, self.epochs, epoch, self.world):
                    raise
                if time.monotonic() > deadline:
                    self.world.problem("requests answered within the retry window",
                                       f"{what}: still {error.code().name} after {RETRY_WINDOW} s: {error.details()}")
                    raise Abort() from error
                if self.epochs.wait_newer(epoch, 0.5):
                    raise Abort() from error

    # --- actions ---------------------------------------------------------------------------

    def create(self, prefix="c"):
        rid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        app = self.rng.choice((res.APP_TYPE_AIRFLOW, res.APP_TYPE_SUPERSET))
        request = dep.CreateDeploymentRequest(app_type=app, name=f"{prefix}-{rid}", request_id=rid)
        try:
            reply, attempts = self.unary(lambda c: c.deployments.CreateDeployment, request, "CreateDeployment")
        except grpc.RpcError as error:
            self.world.problem("creates are accepted", f"{rid}: {error.code().name} {error.details()}")
            return None
        if not reply.deployment_id or reply.operation_id != reply.operation.id or \
                reply.deployment.name != request.name or reply.deployment_id != reply.deployment.id:
            self.world.problem("create responses are consistent", f"{rid}: {reply}")
        self.world.ack_create(rid, {"deployment_id": reply.deployment_id, "operation_id": reply.operation_id,
                                    "name": request.name, "app_type": app, "epoch": self.epoch})
        if attempts > 1:
            self.world.count("creates retried after a failure")
        self.mine.append(rid)
        return rid

    def replay(self):
        """Sends an acknowledged create again: same deployment and operation, nothing new."""
        if not self.mine:
            return
        rid = self.rng.choice(self.mine)
        with self.world.lock:
            first = dict(self.world.creates[rid])
        request = dep.CreateDeploymentRequest(app_type=first["app_type"], name=first["name"], request_id=rid)
        try:
            reply, _ = self.unary(lambda c: c.deployments.CreateDeployment, request, "CreateDeployment replay")
        except grpc.RpcError as error:
            self.world.problem("a replayed create returns the first result",
                               f"{rid}: {error.code().name} {error.details()}")
            return
        self.world.count("replayed creates")
        if (reply.deployment_id, reply.operation_id) != (first["deployment_id"], first["operation_id"]):
            self.world.problem("a replayed create returns the first result",
                               f"{rid}: first {first['deployment_id']}/{first['operation_id']}, "
                               f"again {reply.deployment_id}/{reply.operation_id}")

    def destroy(self):
        candidates = [r for r in self.mine[-20:] if self.world.creates[r]["deployment_id"] not in self.destroyed]
        if not candidates:
            return
        deployment_id = self.world.creates[self.rng.choice(candidates)]["deployment_id"]
        rid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        request = dep.DestroyDeploymentRequest(deployment_id=deployment_id, request_id=rid)
        try:
            reply, attempts = self.unary(lambda c: c.deployments.DestroyDeployment, request, "DestroyDeployment")
        except grpc.RpcError as error:
            reason = error_reason(error)
            if error.code() == grpc.StatusCode.FAILED_PRECONDITION and reason == "RESOURCE_CONFLICT":
                self.world.count("destroys refused while the create was in flight")
            else:
                self.world.problem("destroys are accepted or refused with RESOURCE_CONFLICT",
                                   f"{deployment_id}: {error.code().name} {reason} {error.details()}")
            return
        if reply.operation_id != reply.operation.id or reply.operation.resource_id != deployment_id or \
                reply.operation.type != res.OPERATION_TYPE_DEPLOYMENT_DESTROY:
            self.world.problem("destroy responses are consistent", f"{deployment_id}: {reply}")
        self.world.ack_destroy(deployment_id, rid, reply.operation_id)
        if attempts > 1:
            self.world.count("destroys retried after a failure")
        self.destroyed.add(deployment_id)
        return deployment_id

    def cancel(self, rid=None):
        if not self.mine:
            return
        rid = rid or self.rng.choice(self.mine[-3:])
        operation_id = self.world.creates[rid]["operation_id"]
        try:
            reply, attempts = self.unary(lambda c: c.operations.CancelOperation,
                                         ops.CancelOperationRequest(operation_id=operation_id), "CancelOperation")
        except grpc.RpcError as error:
            reason = error_reason(error)
            if error.code() == grpc.StatusCode.FAILED_PRECONDITION and reason == "OPERATION_ALREADY_DONE":
                self.world.count("cancels of operations already done")
            else:
                self.world.problem("cancels are accepted or refused with OPERATION_ALREADY_DONE",
                                   f"{operation_id}: {error.code().name} {reason} {error.details()}")
            return
        if reply.id != operation_id or not (reply.done or reply.cancel_requested):
            self.world.problem("an accepted cancel is recorded on the operation", f"{operation_id}: {reply}")
        self.world.ack_cancel(operation_id, reply)
        if attempts > 1:
            self.world.count("cancels retried after a failure")

    def watch(self):
        """Follows one of its operations to the end, resuming by sequence after each failure."""
        choices = []
        for rid in self.mine[-4:]:
            created = self.world.creates[rid]
            choices.append((created["operation_id"], created["epoch"]))
            destroy = self.world.destroys.get(created["deployment_id"])
            if destroy:
                choices.append((destroy["operation_id"], self.epoch))
        if choices:
            self.follow(*self.rng.choice(choices))

    def follow(self, operation_id, created_epoch):
        world = self.world
        last = 0
        resumed = False
        started = time.monotonic()
        while True:
            epoch = self.connect()
            first_in_stream = True
            try:
                stream = self.operations.WatchOperation(
                    ops.WatchOperationRequest(operation_id=operation_id, after_sequence=last),
                    metadata=self.metadata, timeout=CALL_TIMEOUT)
                for event in stream:
                    if event.kind == res.OperationEvent.KIND_HEARTBEAT:
                        world.count("operation heartbeats checked")
                        if last and event.sequence != last:
                            world.problem("operation heartbeats carry the latest sequence",
                                          f"{operation_id}: heartbeat {event.sequence} after {last}")
                        continue
                    world.count("operation events checked")
                    expected_kind = res.OperationEvent.KIND_SNAPSHOT if last == 0 and first_in_stream \
                        else res.OperationEvent.KIND_UPDATE
                    if event.kind != expected_kind or event.sequence != event.operation.sequence or \
                            event.operation.id != operation_id:
                        world.problem("operation events are well formed",
                                      f"{operation_id}: kind {event.kind} (expected {expected_kind}), sequence "
                                      f"{event.sequence}, operation sequence {event.operation.sequence}")
                    if event.sequence <= last:
                        world.problem("operation watchers see no duplicate or backward sequence",
                                      f"{operation_id}: {event.sequence} after {last} (resumed {resumed})")
                    elif last and event.sequence != last + 1:
                        if first_in_stream and resumed and event.operation.done:
                            # The server keeps the histories of unfinished operations and of the
                            # most recently finished ones; an older finished one is restated.
                            world.count("resumes that restated a finished operation")
                        elif first_in_stream and resumed:
                            world.problem(
                                "a resumed watch of an unfinished operation gets every change after its last sequence",
                                f"{operation_id}: resumed after {last}, first event {event.sequence} "
                                f"(operation not done)")
                        else:
                            world.problem("operation watchers see gap-free sequences",
                                          f"{operation_id}: {event.sequence} after {last} in one stream")
                    last = max(last, event.sequence)
                    first_in_stream = False
                    if event.operation.done:
                        with world.lock:
                            world.watched_final[operation_id] = last
                # The stream ended with OK: that must be right after the update that made it done.
                if operation_id not in world.watched_final:
                    world.problem("an operation watch ends only once the operation is done",
                                  f"{operation_id}: stream ended at sequence {last} without done")
                world.count("operation watches followed to the end")
                return
            except grpc.RpcError as error:
                if not retryable(error, self.epochs, epoch, world):
                    world.problem("operation watches fail only when the server goes away",
                                  f"{operation_id}: {error.code().name} {error.details()}")
                    return
                if time.monotonic() - started > RETRY_WINDOW:
                    world.problem("operation watches finish within the retry window", operation_id)
                    return
                if self.epochs.wait_newer(epoch, 0.5):
                    return
                resumed = True
                world.count("operation watches resumed")

    def create_and_watch(self):
        rid = self.create()
        if rid:
            created = self.world.creates[rid]
            self.follow(created["operation_id"], created["epoch"])

    def create_and_cancel(self):
        rid = self.create()
        if rid:
            self.stop.wait(self.rng.uniform(0.0, 0.3))  # lands the cancel in a random step
            self.cancel(rid)
            if self.rng.random() < 0.5:
                created = self.world.creates[rid]
                self.follow(created["operation_id"], created["epoch"])

    def destroy_and_watch(self):
        deployment_id = self.destroy()
        if deployment_id:
            self.follow(self.world.destroys[deployment_id]["operation_id"], self.epoch)

    def run_mixed(self, gate):
        actions = (("create", 2), ("create_and_watch", 2), ("create_and_cancel", 1.5), ("destroy", 1.5),
                   ("destroy_and_watch", 1), ("cancel", 0.5), ("watch", 1), ("replay", 0.5))
        names = [a for a, _ in actions]
        weights = [w for _, w in actions]
        try:
            while not self.stop.is_set():
                if not gate.enter(self.stop):
                    break
                try:
                    action = "create" if not self.mine else self.rng.choices(names, weights)[0]
                    getattr(self, action)()
                except Abort:
                    pass
                except Exception as error:  # noqa: BLE001 - reported as a failed check
                    self.world.problem("clients see only expected answers", f"client {self.index}: {error!r}")
                finally:
                    gate.leave()
                self.stop.wait(self.rng.uniform(0.3, 2.5))  # think time: shapes the load
        finally:
            self.close()


class DeploymentWatcher(Client):
    """Watches the organization's deployments from revision 0 for the whole run, resuming by
    revision after each failure; keeps its own view of every deployment's status."""

    def __init__(self, *a):
        super().__init__(*a)
        self.model = {}        # deployment id -> (status, revision)
        self.last = 0          # the revision to resume after
        self.cond = threading.Condition()
        self.restarts = 0

    def run(self):
        world = self.world
        synced = False
        try:
            while not self.stop.is_set():
                epoch = self.connect()
                resumed_after = self.last if synced else None
                try:
                    stream = self.deployments.WatchDeployments(
                        dep.WatchDeploymentsRequest(after_revision=self.last if synced else 0),
                        metadata=self.metadata)
                    self.stream = stream
                    for event in stream:
                        self.take(event, synced, resumed_after)
                        if event.kind == res.DeploymentEvent.KIND_SYNCED:
                            synced = True
                    world.problem("deployment watches end only when the server goes away", "stream ended OK")
                    return
                except grpc.RpcError as error:
                    if self.stop.is_set():
                        return
                    reason = error_reason(error)
                    if error.code() == grpc.StatusCode.OUT_OF_RANGE and reason == "WATCH_REVISION_COMPACTED":
                        world.count("deployment watches restarted from 0 (revision compacted)")
                        synced = False
                        with self.cond:
                            self.model = {}
                        continue
                    if not retryable(error, self.epochs, epoch, world):
                        world.problem("deployment watches fail only when the server goes away",
                                      f"{error.code().name} {reason} {error.details()}")
                        return
                    if self.epochs.wait_newer(epoch, 1.0):
                        return
                    if synced:
                        world.count("deployment watches resumed")
        finally:
            self.close()

    def take(self, event, synced, resumed_after):
        world = self.world
        kind = event.kind
        with self.cond:
            if kind == res.DeploymentEvent.KIND_SYNCED:
                self.last = event.revision
            elif kind == res.DeploymentEvent.KIND_BOOKMARK:
                if event.revision < self.last:
                    world.problem("deployment watch revisions never go back",
                                  f"bookmark {event.revision} after {self.last}")
                self.last = max(self.last, event.revision)
            elif not synced:
                # The initial listing: one ADDED per existing deployment.
                if kind != res.DeploymentEvent.KIND_ADDED or event.deployment.id in self.model:
                    world.problem("the initial listing has one ADDED per deployment", str(event))
                self.model[event.deployment.id] = (event.deployment.status, event.revision)
            else:
                world.count("deployment events checked")
                d = event.deployment
                if d.id in self.model and self.model[d.id][1] == event.revision:
                    world.problem("deployment watchers see no duplicate event",
                                  f"{d.id} at revision {event.revision} (resumed after {resumed_after})")
                if event.revision < self.last or (resumed_after is not None and event.revision <= resumed_after):
                    world.problem("deployment watch revisions never go back",
                                  f"{d.id}: revision {event.revision} after {self.last}")
                if event.revision == self.last:
                    world.count("deployment events sharing a revision")
                self.last = max(self.last, event.revision)
                before = self.model.get(d.id)
                if kind == res.DeploymentEvent.KIND_ADDED:
                    ok = before is None and d.status == res.DEPLOYMENT_STATUS_PROVISIONING
                elif kind == res.DeploymentEvent.KIND_REMOVED:
                    ok = before is not None and d.status == res.DEPLOYMENT_STATUS_DESTROYED
                else:
                    ok = before is not None and d.status != res.DEPLOYMENT_STATUS_DESTROYED
                if ok and before is not None:
                    ok = d.status in FLOWS[before[0]] and event.revision > before[1]
                if not ok:
                    world.problem("deployment watchers see every change (allowed status flows, none skipped)",
                                  f"{d.id}: {res.DeploymentEvent.Kind.Name(kind)} {STATUS(d.status)} at "
                                  f"{event.revision}; before: "
                                  f"{(STATUS(before[0]), before[1]) if before else 'unknown'}")
                self.model[d.id] = (d.status, event.revision)
            self.cond.notify_all()

    def wait_for(self, deployment_id, status, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: self.model.get(deployment_id, (None,))[0] == status, timeout)


# ---------------------------------------------------------------------------------------------


def store_listing(data_dir):
    try:
        return sorted(os.listdir(os.path.join(data_dir, "store")))
    except FileNotFoundError:
        return []


def newest_snapshot(names):
    snaps = [n for n in names if n.endswith(".snap")]
    return snaps[-1] if snaps else None


def store_bytes(data_dir):
    total = 0
    for name in store_listing(data_dir):
        try:
            total += os.path.getsize(os.path.join(data_dir, "store", name))
        except OSError:
            pass
    return total


class Parent:
    def __init__(self, args, result):
        self.args = args
        self.result = result
        self.rng = random.Random(args.seed)
        self.work = tempfile.mkdtemp(prefix="onvera-crash-")
        self.data = os.path.join(self.work, "data")
        os.makedirs(self.data)
        self.acklog = AckLog(os.path.join(self.work, "acks.jsonl"))
        self.world = World(self.acklog)
        self.epochs = Epochs()
        self.stop = threading.Event()
        self.gate = Gate(CLIENTS - DEPLOYMENT_WATCHERS)
        help_text = subprocess.run([args.server, "serve", "--help"], capture_output=True, text=True).stdout
        top_help = subprocess.run([args.server, "--help"], capture_output=True, text=True).stdout
        self.has_snapshot_flag = "--snapshot-interval" in help_text
        self.has_inspect = re.search(r"^\s*inspect\b", top_help, re.M) is not None
        extra = ["--log-level", "notice"]
        if "--rate-limit" in help_text:
            # Not what this scenario tests: the per-key limit would throttle the checks' listings.
            extra += ["--rate-limit", "1000000", "--rate-burst", "1000000"]
        if self.has_snapshot_flag:
            extra += ["--snapshot-interval", str(args.snapshot_interval)]
        self.server = CrashServer(args.server, data_dir=self.data, step=args.step, extra=extra)
        self.recoveries = []
        self.kills = collections.Counter()
        self.threads = []
        self.clients = []
        self.watchers = []
        self.restart_checks = collections.Counter()
        self.checked_creates = 0
        self.checked_destroys = 0
        self.log_lines = collections.Counter()

    # --- the server ------------------------------------------------------------------------

    def scan_output(self):
        """Counts the warning, error and critical lines of the instance that just ended."""
        for line in self.server.output:
            match = re.match(r"\S+ (warning|error|critical) (.*)$", line.strip())
            if match:
                message = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "N", match.group(2))[:200]
                self.log_lines[f"{match.group(1)}: {message}"] += 1

    def start_server(self):
        if self.server.process is not None:
            self.scan_output()
        self.server.start()
        self.recoveries.append(self.server.ready_at - self.server.spawned_at)
        self.epochs.publish(self.server.target)
        return self.epochs.epoch

    def died_by_itself(self, what):
        code = self.server.process.returncode
        self.world.problem("the server runs until it is killed",
                           f"{what}: exited with {code} on its own; output:\n{self.server.tail()}")
        raise Abort()

    def kill_cycle(self, cycle):
        """Runs the server for a random time (or until a snapshot event) and kills it."""
        before = store_listing(self.data)
        mode = self.rng.choices(("random", "snapshot", "compaction"),
                                (6, 2, 2) if self.has_snapshot_flag else (1, 0, 0))[0]
        run_for = self.rng.uniform(0.2, 3.0) if self.rng.random() < 0.8 else self.rng.uniform(0.0, 0.2)
        trigger = "timer"
        if mode == "random":
            if self.server.exited.wait(run_for):
                self.died_by_itself(f"cycle {cycle}")
            self.epochs.down()
            self.server.process.kill()
        else:
            killer = subprocess.Popen([sys.executable, os.path.abspath(__file__), "_killer", str(self.server.pid),
                                       os.path.join(self.data, "store"), mode, str(max(run_for, 1.0) + 2.0)],
                                      stdout=subprocess.PIPE, text=True)
            try:
                armed = killer.stdout.readline().strip()
                if armed != "armed":
                    raise RuntimeError(f"the killer did not arm: {armed!r}")
                # The killer ends by itself (event or its timeout); bounded here as well.
                line_box = []
                reader = threading.Thread(target=lambda: line_box.append(killer.stdout.readline()), daemon=True)
                reader.start()
                reader.join(max(run_for, 1.0) + 30)
                line = line_box[0].strip() if line_box else ""
                if not line.startswith("killed"):
                    raise RuntimeError(f"the killer did not report: {line!r}")
                trigger = "snapshot event" if line.startswith("killed event") else "timer"
                if line == "killed gone":
                    self.died_by_itself(f"cycle {cycle}")
            finally:
                if killer.poll() is None:
                    killer.kill()
                killer.wait()
            self.epochs.down()
        self.server.process.wait(30)
        self.server.exited.wait(10)
        self.epochs.mark_dead()
        code = self.server.process.returncode
        if code != -signal.SIGKILL:
            self.died_by_itself(f"cycle {cycle} (exit code {code})")
        after = store_listing(self.data)
        self.kills["kills"] += 1
        self.kills[f"kills by {mode} ({trigger})"] += 1
        if any(n.endswith(".snap.tmp") for n in after):
            self.kills["kills while a snapshot was being written (.snap.tmp on disk)"] += 1
        if newest_snapshot(after) != newest_snapshot(before):
            self.kills["kills in a run that wrote a new snapshot"] += 1
        if mode == "compaction" and trigger == "snapshot event":
            self.kills["kills right after a snapshot's rename (compaction)"] += 1
        # Some cycles kill again during the next startup (before or during recovery).
        if self.rng.random() < 0.15:
            self.scan_output()
            self.server.start(expect_ready=False)
            self.server.exited.wait(self.rng.uniform(0.0, 0.12))  # shapes when the kill lands
            listening = self.server.ready_at is not None
            self.server.process.kill()
            self.server.process.wait(30)
            self.server.exited.wait(10)
            self.kills["kills"] += 1
            self.kills["kills during startup" + (" (after listening)" if listening else " (before listening)")] += 1

    # --- checks ----------------------------------------------------------------------------

    def parent_client(self):
        client = Client(9999, self.world, self.epochs, self.key, self.args.seed, self.stop)
        return client

    def list_all(self, client, **flags):
        out = []
        token = ""
        while True:
            reply, _ = client.unary(lambda c: c.deployments.ListDeployments,
                                    dep.ListDeploymentsRequest(page_size=100, page_token=token, **flags),
                                    "ListDeployments")
            out.extend(reply.deployments)
            token = reply.next_page_token
            if not token:
                return out

    def list_operations(self, client):
        out = []
        token = ""
        while True:
            reply, _ = client.unary(lambda c: c.operations.ListOperations,
                                    ops.ListOperationsRequest(page_size=100, page_token=token), "ListOperations")
            out.extend(reply.operations)
            token = reply.next_page_token
            if not token:
                return out

    def check_after_restart(self, client, full):
        """Runs with the clients running: what was acknowledged before the check started must
        hold. `full` lists every deployment (also to find duplicates); otherwise the creates and
        destroys acknowledged since the previous check and a random sample of older ones are
        read back one by one (a full listing per restart would grow with the run)."""
        world = self.world
        counts = self.restart_checks
        with world.lock:
            creates = list(world.creates.items())
            destroys = list(world.destroys.items())
        counts["restarts checked"] += 1
        if full:
            counts["full listings"] += 1
            listing = self.list_all(client, show_destroyed=True)
            by_id = {d.id: d for d in listing}
            picked_creates, picked_destroys = creates, destroys
            names = collections.Counter(d.name for d in listing)
            for name, n in names.items():
                if n > 1:
                    world.problem("no two deployments carry the same request-derived name",
                                  f"{name}: {n} deployments: {[d.id for d in listing if d.name == name]}")
        else:
            old = creates[:self.checked_creates]
            picked_creates = creates[self.checked_creates:] + self.rng.sample(old, min(RESTART_SAMPLE, len(old)))
            old = destroys[:self.checked_destroys]
            picked_destroys = destroys[self.checked_destroys:] + self.rng.sample(old, min(RESTART_SAMPLE, len(old)))
            by_id = {}
            wanted = {c["deployment_id"] for _, c in picked_creates} | {dep_id for dep_id, _ in picked_destroys}
            for deployment_id in wanted:
                try:
                    d, _ = client.unary(lambda c: c.deployments.GetDeployment,
                                        dep.GetDeploymentRequest(deployment_id=deployment_id), "GetDeployment")
                    by_id[d.id] = d
                except grpc.RpcError as error:
                    if error.code() != grpc.StatusCode.NOT_FOUND:
                        raise
        self.checked_creates, self.checked_destroys = len(creates), len(destroys)
        counts["acknowledged creates checked"] += len(picked_creates)
        counts["acknowledged destroys checked"] += len(picked_destroys)
        for rid, created in picked_creates:
            d = by_id.get(created["deployment_id"])
            if d is None:
                world.problem("every acknowledged create exists after each restart",
                              f"{rid} -> {created['deployment_id']} missing after restart {counts['restarts checked']}")
            elif d.name != created["name"]:
                world.problem("every acknowledged create exists after each restart",
                              f"{created['deployment_id']} is named {d.name!r}, not {created['name']!r}")
        for deployment_id, _ in picked_destroys:
            d = by_id.get(deployment_id)
            if d is None or d.status not in (res.DEPLOYMENT_STATUS_DESTROYING, res.DEPLOYMENT_STATUS_DESTROYED):
                world.problem("every acknowledged destroy's deployment is DESTROYING or DESTROYED after each restart",
                              f"{deployment_id}: {STATUS(d.status) if d else 'missing'}")

    def quiesce(self, client, final):
        world = self.world
        result = self.result
        world.count("quiesces")
        if not self.gate.close_and_wait_idle(IDLE_TIMEOUT):
            world.problem("clients go idle when asked", f"{self.gate.busy} still busy after {IDLE_TIMEOUT} s")
            raise Abort()
        with world.lock:
            creates = dict(world.creates)
            destroys = dict(world.destroys)
        acked_ops = {c["operation_id"]: ("create", c["deployment_id"]) for c in creates.values()}
        acked_ops.update({d["operation_id"]: ("destroy", dep_id) for dep_id, d in destroys.items()})
        operations = {op.id: op for op in self.list_operations(client)}
        # Every acknowledged operation reaches a terminal state (bounded wait for each).
        for op_id in acked_ops:
            op = operations.get(op_id)
            if op is not None and op.done:
                continue
            try:
                op, _ = client.unary(lambda c: c.operations.WaitOperation,
                                     ops.WaitOperationRequest(operation_id=op_id,
                                                              timeout=duration_pb2.Duration(seconds=20)),
                                     "WaitOperation")
                operations[op_id] = op
            except grpc.RpcError as error:
                world.problem("every acknowledged operation reaches a terminal state",
                              f"{op_id}: {error.code().name} {error.details()}")
        not_done = [op_id for op_id in acked_ops if not (operations.get(op_id) and operations[op_id].done)]
        world.count("operations checked terminal", len(acked_ops))
        for op_id in not_done:
            op = operations.get(op_id)
            world.problem("every acknowledged operation reaches a terminal state",
                          f"{op_id}: {OPSTATUS(op.status) + ' ' + op.message if op else 'missing'}")
        # The marker: a last create whose READY event tells each deployment watcher it caught up.
        marker_client = Client(9998, world, self.epochs, self.key, self.args.seed + world.counts["quiesces"], self.stop)
        marker = marker_client.create(prefix="m")
        marker_op = world.creates[marker]["operation_id"]
        marker_dep = world.creates[marker]["deployment_id"]
        op, _ = client.unary(lambda c: c.operations.WaitOperation,
                             ops.WaitOperationRequest(operation_id=marker_op, timeout=duration_pb2.Duration(seconds=20)),
                             "WaitOperation")
        marker_client.close()
        if op.status != res.OPERATION_STATUS_SUCCEEDED:
            world.problem("the quiesce marker deployment becomes READY", f"{marker_op}: {OPSTATUS(op.status)}")
        with world.lock:
            creates = dict(world.creates)
        listing = self.list_all(client, show_destroyed=True)
        by_id = {d.id: d for d in listing}
        for name, n in collections.Counter(d.name for d in listing).items():
            if n > 1:
                world.problem("no two deployments carry the same request-derived name",
                              f"{name}: {n} deployments at a quiesce")
        operations = {op.id: op for op in self.list_operations(client)}
        # Deployments agree with their operations.
        final_creates = collections.Counter()
        for rid, created in creates.items():
            d = by_id.get(created["deployment_id"])
            if d is None:
                world.problem("every acknowledged create exists at each quiesce", rid)
                continue
            cop = operations.get(created["operation_id"])
            destroy = destroys.get(d.id)
            dop = operations.get(destroy["operation_id"]) if destroy else None
            if destroy:
                expected = res.DEPLOYMENT_STATUS_DESTROYED
                ok = dop is not None and dop.status == res.OPERATION_STATUS_SUCCEEDED and d.status == expected
            elif cop is None:
                ok = False
            elif cop.status == res.OPERATION_STATUS_SUCCEEDED:
                ok = d.status == res.DEPLOYMENT_STATUS_READY
            elif cop.status == res.OPERATION_STATUS_CANCELED:
                ok = d.status == res.DEPLOYMENT_STATUS_FAILED and d.failure.reason == "OPERATION_CANCELED"
            else:
                ok = d.status == res.DEPLOYMENT_STATUS_FAILED
            if ok and d.operation_id:
                ok = False
            if not ok:
                world.problem("deployment statuses agree with their operations once all are done",
                              f"{d.id}: {STATUS(d.status)} (operation_id {d.operation_id!r}), create "
                              f"{OPSTATUS(cop.status) if cop else 'missing'}, destroy "
                              f"{OPSTATUS(dop.status) if dop else ('missing' if destroy else 'none')}")
            if cop is not None:
                final_creates[OPSTATUS(cop.status)] += 1
        with world.lock:
            world.counts["create operations CANCELED"] = final_creates["OPERATION_STATUS_CANCELED"]
            world.counts["create operations FAILED"] = final_creates["OPERATION_STATUS_FAILED"]
            world.counts["create operations SUCCEEDED"] = final_creates["OPERATION_STATUS_SUCCEEDED"]
            cancels = dict(world.cancels)
            watched = dict(world.watched_final)
        for op_id, c in cancels.items():
            op = operations.get(op_id)
            if not c["done"] and (op is None or op.status != res.OPERATION_STATUS_CANCELED):
                world.problem("an operation whose cancel was acknowledged before it finished ends CANCELED",
                              f"{op_id}: {OPSTATUS(op.status) if op else 'missing'}")
        for op_id, last in watched.items():
            op = operations.get(op_id)
            if op is None or op.sequence != last:
                world.problem("a watcher that followed an operation to the end saw its final sequence",
                              f"{op_id}: watcher {last}, server {op.sequence if op else 'missing'}")
        # Nothing the clients were not told about: every deployment and operation was acknowledged.
        acked_deployments = {c["deployment_id"] for c in creates.values()}
        extra = [d.id for d in listing if d.id not in acked_deployments]
        if extra:
            world.problem("every deployment on the server was acknowledged to a client", f"{extra[:10]}")
        acked_ops = {c["operation_id"] for c in creates.values()} | {d["operation_id"] for d in destroys.values()}
        extra_ops = [op.id for op in operations.values() if op.id not in acked_ops and
                     op.type in (res.OPERATION_TYPE_DEPLOYMENT_CREATE, res.OPERATION_TYPE_DEPLOYMENT_DESTROY)]
        if extra_ops:
            world.problem("every deployment operation on the server was acknowledged to a client", f"{extra_ops[:10]}")
        # The deployment watchers caught up (they saw the marker READY) and agree with the listing.
        for w in self.watchers:
            if not w.wait_for(marker_dep, res.DEPLOYMENT_STATUS_READY, 60):
                world.problem("deployment watchers catch up after each quiesce",
                              f"watcher {w.index} did not see {marker_dep} READY")
                continue
            with w.cond:
                model = dict(w.model)
            wrong = []
            for d in listing:
                seen = model.get(d.id)
                if d.status == res.DEPLOYMENT_STATUS_DESTROYED:
                    if seen is not None and seen[0] != d.status:
                        wrong.append((d.id, STATUS(seen[0]), STATUS(d.status)))
                elif seen is None or seen[0] != d.status:
                    wrong.append((d.id, STATUS(seen[0]) if seen else "unseen", STATUS(d.status)))
            world.count("deployment states compared with watchers", len(listing))
            if wrong:
                world.problem("each deployment watcher's view equals the server's at each quiesce",
                              f"watcher {w.index}: {len(wrong)} differ, e.g. {wrong[:5]}")
        # Offline: the store's resources and idempotency entries.
        self.epochs.down()
        code = self.server.stop(timeout=120)
        self.epochs.mark_dead()
        if code != 0:
            world.problem("the server stops cleanly on SIGTERM", f"exit {code}:\n{self.server.tail()}")
        if self.has_inspect:
            self.check_inspect(creates, destroys)
        if not final:
            self.start_server()
            self.gate.reopen()

    def check_inspect(self, creates, destroys):
        world = self.world
        proc = subprocess.run([self.args.server, "inspect", "--data-dir", self.data], capture_output=True,
                              text=True, timeout=300)
        if proc.returncode != 0:
            world.problem("onvera-server inspect reads the stopped server's store",
                          f"exit {proc.returncode}: {proc.stderr[-2000:]}")
            return
        state = json.loads(proc.stdout)
        world.count("inspections")
        deployments = {d["id"]: d for d in state["deployments"]}
        world.count("resources checked", len(state["resources"]))
        for r in state["resources"]:
            d = deployments.get(r["deployment_id"])
            if d is None or d["status"] != "DEPLOYMENT_STATUS_READY":
                world.problem("no simulated resource is left for a deployment that is not READY "
                              "(destroyed, canceled or unknown)",
                              f"{r['kind']} {r['id']} of {r['deployment_id']} "
                              f"({d['status'] if d else 'unknown deployment'})")
        kinds = collections.defaultdict(set)
        for r in state["resources"]:
            kinds[r["deployment_id"]].add(r["kind"])
        keys = collections.Counter((r["kind"], r["id"]) for r in state["resources"])
        for key, n in keys.items():
            if n > 1:
                world.problem("no simulated resource is recorded twice", f"{key}: {n} times")
        ready = [d for d in state["deployments"] if d["status"] == "DEPLOYMENT_STATUS_READY"]
        world.count("READY deployments checked for their resources", len(ready))
        for d in ready:
            missing = READY_RESOURCES - kinds[d["id"]]
            if missing:
                world.problem("every READY deployment holds its database tenant, infrastructure, application "
                              "and DNS record", f"{d['id']} lacks {sorted(missing)}")
        expected = {}
        for rid, c in creates.items():
            expected[rid] = (c["deployment_id"], c["operation_id"])
        for dep_id, d in destroys.items():
            expected[d["request_id"]] = (dep_id, d["operation_id"])
        found = collections.Counter()
        world.count("idempotency entries checked", len(state["idempotency"]))
        for entry in state["idempotency"]:
            rid = entry["request_id"]
            found[rid] += 1
            want = expected.get(rid)
            if want != (entry["deployment_id"], entry["operation_id"]):
                world.problem("each idempotency entry maps to exactly the acknowledged deployment and operation",
                              f"{rid}: store {entry['deployment_id']}/{entry['operation_id']}, acknowledged {want}")
        for rid in expected:
            if found[rid] != 1:
                world.problem("each acknowledged request id has exactly one idempotency entry",
                              f"{rid}: {found[rid]} entries")
        by_id = {d["id"]: d for d in state["deployments"]}
        for rid, c in creates.items():
            d = by_id.get(c["deployment_id"])
            if d is None or d["name"] != c["name"]:
                world.problem("the stopped store holds every acknowledged create", rid)

    # --- the run ---------------------------------------------------------------------------

    def run(self):
        args = self.args
        world = self.world
        self.start_server()
        self.key = self.server.key
        for i in range(CLIENTS):
            if i < DEPLOYMENT_WATCHERS:
                w = DeploymentWatcher(i, world, self.epochs, self.key, args.seed, self.stop)
                self.watchers.append(w)
                t = threading.Thread(target=w.run, name=f"watcher-{i}", daemon=True)
            else:
                c = Client(i, world, self.epochs, self.key, args.seed, self.stop)
                self.clients.append(c)
                t = threading.Thread(target=c.run_mixed, args=(self.gate,), name=f"client-{i}", daemon=True)
            t.start()
            self.threads.append(t)
        checker = self.parent_client()
        quiesce_every = args.quiesce_every
        try:
            for cycle in range(1, args.cycles + 1):
                self.kill_cycle(cycle)
                self.start_server()
                self.check_after_restart(checker, full=cycle % FULL_CHECK_EVERY == 0 or cycle == args.cycles)
                if cycle % 10 == 0 or cycle == args.cycles:
                    print(f"crash_loop: cycle {cycle}/{args.cycles}: {world.counts['acknowledged creates']} creates, "
                          f"{world.counts['acknowledged destroys']} destroys, {len(world.problems)} kinds of problem",
                          flush=True)
                if cycle == args.cycles:
                    self.quiesce(checker, final=True)
                elif cycle % quiesce_every == 0:
                    self.quiesce(checker, final=False)
        finally:
            checker.close()

    def shutdown(self):
        self.stop.set()
        self.epochs.close()
        self.gate.reopen()
        for w in self.watchers:
            stream = getattr(w, "stream", None)
            if stream is not None:
                stream.cancel()
        if self.server.process is not None and self.server.alive():
            self.server.process.kill()
            self.server.process.wait(30)
        for t in self.threads:
            t.join(60)
        self.acklog.close()
        alive = [t.name for t in self.threads if t.is_alive()]
        return alive


def main():
    def add(parser):
        parser.add_argument("--cycles", type=int, default=None, help="kill cycles (default 500; --short 20)")
        parser.add_argument("--step", default="30ms", help="--sim-step-duration of the server")
        parser.add_argument("--snapshot-interval", type=int, default=50, help="records between snapshots")
        parser.add_argument("--quiesce-every", type=int, default=25, help="cycles between quiesces")
        parser.add_argument("--keep", action="store_true", help="keep the data directory and the ack log")
    args = arguments("Crash loop: kill -9 of onvera-server under concurrent clients", add)
    if args.cycles is None:
        args.cycles = 20 if args.short else 500
    raise_fd_limit()
    result = Result("crash", "Crash loop: kill -9 under 64 concurrent clients", args)
    result.param("cycles", args.cycles)
    result.param("clients", f"{CLIENTS} ({DEPLOYMENT_WATCHERS} deployment watchers, the rest mixed)")
    result.param("sim step", args.step)
    result.param("quiesce every", f"{args.quiesce_every} cycles and at the end")
    parent = Parent(args, result)
    result.param("snapshot interval", f"{args.snapshot_interval} records" if parent.has_snapshot_flag
                 else "server default (this binary has no --snapshot-interval)")
    result.param("server", os.path.basename(args.server))
    if not parent.has_snapshot_flag:
        result.note("the server binary has no --snapshot-interval: snapshots and compaction were not exercised")
    if not parent.has_inspect:
        result.note("the server binary has no `inspect` subcommand: resource and idempotency checks were skipped")
    aborted = None

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    try:
        parent.run()
    except Abort:
        aborted = "aborted after a failed check"
    except KeyboardInterrupt as error:
        aborted = f"interrupted ({error})"
    except Exception as error:  # noqa: BLE001 - recorded as a failure, with the traceback printed
        import traceback
        traceback.print_exc()
        aborted = f"{error!r}"
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        alive = parent.shutdown()
        if not args.keep:
            atexit_dir = parent.work
            import atexit
            atexit.register(shutil.rmtree, atexit_dir, True)
    world = parent.world
    cycles_done = parent.restart_checks["restarts checked"]
    result.injected(f"SIGKILL of the server at random moments, {parent.kills['kills']} kills in "
                    f"{cycles_done} cycles (0.2-3 s of run per cycle, some sooner)")
    for name, n in sorted(parent.kills.items()):
        if name != "kills":
            result.figure(name, n)
    result.check(aborted is None, f"the run completed all {args.cycles} cycles", aborted or "")
    result.check(not alive, "every client thread ended at shutdown", f"{alive}")
    c = world.counts
    checks = [
        ("every acknowledged create exists after each restart",
         f"every acknowledged create existed under its request-derived name after each of the {cycles_done} "
         f"restarts ({parent.restart_checks['acknowledged creates checked']} create checks: those acknowledged "
         f"since the previous restart and {RESTART_SAMPLE} older ones each time, all of them every "
         f"{FULL_CHECK_EVERY}th restart)"),
        ("no two deployments carry the same request-derived name",
         f"no two deployments carried the same request-derived name in {parent.restart_checks['full listings']} "
         f"full listings after a restart and at each quiesce ({c['acknowledged creates']} creates, "
         f"{c['creates retried after a failure']} retried after a kill, {c['replayed creates']} replayed)"),
        ("a replayed create returns the first result",
         f"a create sent again with its request id returned the first deployment and operation "
         f"({c['replayed creates']} replays)"),
        ("every acknowledged destroy's deployment is DESTROYING or DESTROYED after each restart",
         f"every acknowledged destroy's deployment was DESTROYING or DESTROYED after each restart "
         f"({parent.restart_checks['acknowledged destroys checked']} destroy checks)"),
        ("every acknowledged operation reaches a terminal state",
         f"every acknowledged operation reached a terminal state at each quiesce "
         f"({c['operations checked terminal']} operation checks in {c['quiesces']} quiesces)"),
        ("deployment statuses agree with their operations once all are done",
         "once all operations were done, each deployment's status agreed with its operations "
         "(READY, FAILED with OPERATION_CANCELED, or DESTROYED) and none had an operation in flight"),
        ("an operation whose cancel was acknowledged before it finished ends CANCELED",
         f"every operation whose cancel was acknowledged before it finished ended CANCELED "
         f"({c['acknowledged cancels']} cancels acknowledged)"),
        ("every deployment on the server was acknowledged to a client",
         "every deployment and deployment operation on the server was acknowledged to a client (none invented)"),
        ("every deployment operation on the server was acknowledged to a client", None),
        ("operation watchers see gap-free sequences",
         f"operation watchers saw gap-free sequences within each stream ({c['operation events checked']} events, "
         f"{c['operation watches followed to the end']} watches)"),
        ("operation watchers see no duplicate or backward sequence",
         f"operation watchers saw no duplicate or backward sequence across "
         f"{c['operation watches resumed']} resumes"),
        ("a resumed watch of an unfinished operation gets every change after its last sequence",
         f"a resumed watch of an unfinished operation got every change after its last sequence, across "
         f"snapshots and restarts ({c['resumes that restated a finished operation']} resumes of a finished "
         f"operation no longer in the server's history got its final state instead)"),
        ("an operation watch ends only once the operation is done",
         "every operation watch ended with OK right after the operation was done"),
        ("a watcher that followed an operation to the end saw its final sequence",
         "every operation watched to the end ended at the operation's final sequence"),
        ("operation events are well formed",
         "operation events were well formed (SNAPSHOT first, then UPDATEs, event sequence = operation sequence)"),
        ("deployment watch revisions never go back",
         f"deployment watch revisions never went back, also across {c['deployment watches resumed']} resumes "
         f"({c['deployment events checked']} events)"),
        ("deployment watchers see no duplicate event", "deployment watchers saw no duplicate event"),
        ("deployment watchers see every change (allowed status flows, none skipped)",
         "deployment watchers saw every change: only allowed status flows, ADDED before changes, REMOVED at DESTROYED"),
        ("each deployment watcher's view equals the server's at each quiesce",
         f"each deployment watcher's view equalled the server's at each quiesce "
         f"({c['deployment states compared with watchers']} states compared)"),
    ]
    if parent.has_inspect:
        checks += [
            ("no simulated resource is left for a deployment that is not READY (destroyed, canceled or unknown)",
             f"the stopped store held no simulated resource of a destroyed, canceled or unknown deployment "
             f"({c['resources checked']} resources in {c['inspections']} inspections)"),
            ("each idempotency entry maps to exactly the acknowledged deployment and operation",
             f"each idempotency entry mapped to exactly the acknowledged deployment and operation "
             f"({c['idempotency entries checked']} entries checked)"),
            ("every READY deployment holds its database tenant, infrastructure, application and DNS record",
             f"every READY deployment held its database tenant, infrastructure, application and DNS record "
             f"({c['READY deployments checked for their resources']} checks); no resource was recorded twice"),
            ("no simulated resource is recorded twice", None),
            ("each acknowledged request id has exactly one idempotency entry",
             "each acknowledged request id had exactly one idempotency entry"),
        ]
    known = set()
    for key, text in checks:
        known.add(key)
        if text is None:
            continue
        failures = world.problems.get(key, [])
        if key == "every deployment on the server was acknowledged to a client":
            failures = failures + world.problems.get("every deployment operation on the server was acknowledged to a client", [])
        if key.startswith("every READY deployment holds"):
            failures = failures + world.problems.get("no simulated resource is recorded twice", [])
        result.check(not failures, text, "; ".join(failures[:5]))
    for key, failures in world.problems.items():
        if key not in known:
            result.check(False, key, "; ".join(failures[:5]))
    for name in ("acknowledged creates", "acknowledged destroys", "acknowledged cancels", "replayed creates",
                 "creates retried after a failure", "destroys retried after a failure", "cancels retried after a failure",
                 "destroys refused while the create was in flight",
                 "cancels of operations already done", "create operations SUCCEEDED", "create operations CANCELED",
                 "create operations FAILED",
                 "operation watches resumed", "operation watches followed to the end", "operation events checked",
                 "operation heartbeats checked", "resumes that restated a finished operation",
                 "deployment watches resumed", "deployment events checked", "deployment events sharing a revision",
                 "deployment watches restarted from 0 (revision compacted)", "quiesces"):
        result.figure(name, c[name])
    result.figure("cycles", cycles_done)
    parent.scan_output()
    result.figure("server warning, error and critical lines", sum(parent.log_lines.values()))
    for line, n in parent.log_lines.most_common(5):
        result.note(f"server log ({n}x): {line}")
    for name in sorted(c):
        if name.startswith("failed attempts retried"):
            result.figure(name, c[name])
    result.figure("retried requests (creates, destroys, cancels answered after a failure)",
                  c["creates retried after a failure"] + c["destroys retried after a failure"]
                  + c["cancels retried after a failure"])
    result.figure("watch events checked (operation + deployment)",
                  c["operation events checked"] + c["deployment events checked"])
    # The fsynced log holds every acknowledgement the checks counted.
    logged = collections.Counter(e["kind"] for e in parent.acklog.entries())
    result.check(logged["create"] == c["acknowledged creates"] and logged["destroy"] == c["acknowledged destroys"]
                 and logged["cancel"] == c["acknowledged cancels"],
                 f"the parent's fsynced log holds every acknowledged response ({sum(logged.values())} entries)",
                 f"log {dict(logged)}, counted {c['acknowledged creates']}/{c['acknowledged destroys']}/"
                 f"{c['acknowledged cancels']}")
    if parent.recoveries:
        result.figure("mean restart (spawn to listening)", round(1000 * sum(parent.recoveries) / len(parent.recoveries)), "ms")
        result.figure("max restart (spawn to listening)", round(1000 * max(parent.recoveries)), "ms")
    result.figure("store size at end", round(store_bytes(parent.data) / 1024, 1), "KiB")
    if args.keep:
        print(f"crash_loop: kept {parent.work}", flush=True)
    sys.exit(result.write())


if __name__ == "__main__":
    main()

"""Disk faults: the real onvera-server while clients create and destroy deployments,
with the disk failing under it at a random moment.

Each round starts the server clean under libfiu (`fiu-run -x`, remote control on),
lets a few grpcio clients work for a random time, then turns one fault on with
`fiu-ctrl`: EIO on pwrite (random probability), EIO on fdatasync, ENOSPC on pwrite,
or EIO on fsync (the snapshot path, with --snapshot-interval small). A "full disk"
round instead puts the data directory on a small tmpfs and fills it with a filler
file. The server must fail-stop: a line on stderr beginning `onvera-server:
fail-stop:` naming the failing call and the OS error, exit status 74, within a
bound. Then it is restarted without fault injection on the same data directory
(after deleting the filler): every acknowledged create exists, every acknowledged
destroy stuck, a retried unacknowledged create (same request id) gives exactly one
deployment, and every operation reaches a terminal state."""
import collections
import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soaklib import AckLog, Result, Server, arguments, percentile, raise_fd_limit  # noqa: E402

# grpcio's fork handlers can deadlock a fork (seen: subprocess.Popen hung in
# __run_prefork_handlers); the children here never use grpc.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
import grpc  # noqa: E402
from grpc_status import rpc_status  # noqa: E402
from google.rpc import error_details_pb2  # noqa: E402
from google.protobuf import duration_pb2  # noqa: E402

from onvera.v1 import deployments_pb2 as dep  # noqa: E402
from onvera.v1 import deployments_pb2_grpc as dep_grpc  # noqa: E402
from onvera.v1 import operations_pb2 as ops  # noqa: E402
from onvera.v1 import operations_pb2_grpc as ops_grpc  # noqa: E402
from onvera.v1 import resources_pb2 as res  # noqa: E402

STEP = "50ms"                 # simulated provisioning step
START_TIMEOUT = 90            # bound on 'listening' after a (re)start (debug builds are slow)
EXIT_TIMEOUT = 20             # bound on the fail-stop after the fault is on
RPC_TIMEOUT = 20              # deadline of every client call
WAIT_TIMEOUT = 90             # bound on one WaitOperation after the restart
CLIENTS = 4
# The per-key rate limit is not under test here: raised so the clients' load passes.
SERVER_ENV = {"ONVERA_RATE_LIMIT": "100000", "ONVERA_RATE_BURST": "100000"}
RATE = 15                     # creates+destroys per second per client (load shaping)
FAIL_STOP_PREFIX = "onvera-server: fail-stop:"
TERMINAL = (res.OPERATION_STATUS_SUCCEEDED, res.OPERATION_STATUS_FAILED, res.OPERATION_STATUS_CANCELED)

# The libfiu faults, by kind: failure point, errno forced through failinfo, the call the
# fail-stop line must name, and the OS error text it must carry.
FIU_KINDS = {
    "pwrite-EIO": dict(point="posix/io/rw/pwrite", errno=errno.EIO, call="pwrite", probability=(0.05, 1.0)),
    "fdatasync-EIO": dict(point="posix/io/sync/fdatasync", errno=errno.EIO, call="fdatasync",
                          probability=(0.05, 1.0)),
    "pwrite-ENOSPC": dict(point="posix/io/rw/pwrite", errno=errno.ENOSPC, call="pwrite", probability=(0.2, 1.0)),
    # The snapshot writes its file and syncs the directory with fsync (appends use fdatasync).
    "snapshot-fsync-EIO": dict(point="posix/io/sync/fsync", errno=errno.EIO, call="fsync", probability=(0.1, 0.4)),
}
KIND_TEXT = {
    "pwrite-EIO": "EIO on pwrite(2) through libfiu (fiu-ctrl, random probability 0.05-1), at a random moment",
    "fdatasync-EIO": "EIO on fdatasync(2) through libfiu (fiu-ctrl, random probability 0.05-1), at a random moment",
    "pwrite-ENOSPC": "ENOSPC on pwrite(2) through libfiu (fiu-ctrl, random probability 0.2-1), at a random moment",
    "snapshot-fsync-EIO": "EIO on fsync(2) (snapshot file and directory sync) through libfiu at low probability "
                          "(0.1-0.4) with --snapshot-interval 25",
    "tmpfs-full": "a real full disk: data directory on a 16 MiB tmpfs, filled by a filler file at a random moment",
}


class SplitServer(Server):
    """soaklib's Server with stderr read apart from stdout (the fail-stop line must be on
    stderr), the time of the 'listening' line and of the exit, and an event set by the
    exit or by a stderr line matching `watch`."""

    def __init__(self, *a, watch=None, **kw):
        super().__init__(*a, **kw)
        self.watch = re.compile(watch) if watch else None

    def start(self, timeout=START_TIMEOUT, expect_ready=True):
        self.output, self.stderr_lines, self.target = [], [], None
        self.exited, self.event = threading.Event(), threading.Event()
        self.started_at, self.ready_at, self.exit_at = time.monotonic(), None, None
        env = dict(os.environ, **(self.env or {}))
        # No preexec_fn (the child inherits the open-file limit raised in main()), so Python
        # spawns without running fork handlers in this multi-threaded process.
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, errors="replace", env=env)
        process, ready, exited, event = self.process, threading.Event(), self.exited, self.event

        def pump_out():
            for line in process.stdout:
                self.output.append(line)
                match = re.match(r"onvera-server listening on (\S+) ", line)
                if match:
                    self.target, self.ready_at = match.group(1), time.monotonic()
                    ready.set()
            process.stdout.close()

        def pump_err():
            for line in process.stderr:
                self.output.append(line)
                self.stderr_lines.append(line)
                if self.watch and self.watch.search(line):
                    event.set()
            process.stderr.close()

        pumps = [threading.Thread(target=pump_out, daemon=True), threading.Thread(target=pump_err, daemon=True)]
        for p in pumps:
            p.start()

        def waiter():
            process.wait()
            self.exit_at = time.monotonic()
            for p in pumps:
                p.join(10)
            exited.set()
            event.set()
            ready.set()
        threading.Thread(target=waiter, daemon=True).start()
        if expect_ready and (not ready.wait(timeout) or self.target is None):
            self.process.kill()
            raise RuntimeError("onvera-server did not start:\n" + self.text()[-4000:])
        return self


def describe_exit(code, server):
    """How a server ended, for a failed check: status, signal, and its crash line if any."""
    if code is None:
        return f"still running {EXIT_TIMEOUT} s after the fault"
    if code < 0:
        crash = [line.strip() for line in server.output if "Program crashed" in line]
        return f"killed by {signal.Signals(-code).name} instead of exit status 74 {crash[0] if crash else ''}".strip()
    return f"exit status {code}"


def error_reason(error):
    """The ErrorInfo reason of a failed call, or None when it carries no details."""
    try:
        status = rpc_status.from_call(error)
    except Exception:  # malformed details count as none
        return None
    if status is None:
        return None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    return None


class Load:
    """CLIENTS threads creating deployments (request ids, unique names) and destroying some
    READY ones, at RATE calls per second each (back to back once the fault is on), until
    stopped or the server exits. Every
    acknowledged response goes to the AckLog before the next call; every failed call is
    kept with its time, code and ErrorInfo reason."""

    def __init__(self, server, round_no, tag, acks, rng, rate):
        self.rate = rate
        self.server, self.round, self.tag, self.acks = server, round_no, tag, acks
        self.seeds = [rng.getrandbits(32) for _ in range(CLIENTS)]
        self.stop = threading.Event()
        self.burst = threading.Event()   # set once the fault is on: no pacing, calls back to back
        self.lock = threading.Lock()
        self.errors = []      # (monotonic time, method, code name, reason or None, details)
        self.unacked = []     # CreateDeploymentRequest that failed
        self.acked_creates = 0
        self.acked_destroys = 0
        self.threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(CLIENTS)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(RPC_TIMEOUT + 10)
        return not any(t.is_alive() for t in self.threads)

    def failed(self, method, e):
        """Records a failed call; tells the client to stop once the connection is gone (an
        UNAVAILABLE with no details: the server exited), so it does not spin on a dead port."""
        reason = error_reason(e)
        with self.lock:
            self.errors.append((time.monotonic(), method, e.code().name, reason, e.details()))
        return e.code() == grpc.StatusCode.UNAVAILABLE and not reason

    def client(self, index):
        rng = random.Random(self.seeds[index])
        rate = self.rate
        channel = grpc.insecure_channel(self.server.target)
        stub = dep_grpc.DeploymentServiceStub(channel)
        key = (("x-api-key", self.server.key),)
        mine = []           # acknowledged deployment ids of this client not yet destroyed
        n = 0
        next_at = time.monotonic()
        try:
            while not self.stop.is_set() and not self.server.exited.is_set():
                if mine and rng.random() < 0.25:
                    deployment_id = mine.pop(rng.randrange(len(mine)))
                    try:
                        got = stub.GetDeployment(dep.GetDeploymentRequest(deployment_id=deployment_id),
                                                 metadata=key, timeout=RPC_TIMEOUT)
                        if got.status in (res.DEPLOYMENT_STATUS_READY, res.DEPLOYMENT_STATUS_FAILED):
                            reply = stub.DestroyDeployment(
                                dep.DestroyDeploymentRequest(deployment_id=deployment_id,
                                                             request_id=str(uuid.uuid4())),
                                metadata=key, timeout=RPC_TIMEOUT)
                            self.acks.append({"kind": "destroy", "dir": self.tag, "round": self.round,
                                              "deployment_id": deployment_id, "operation_id": reply.operation_id})
                            with self.lock:
                                self.acked_destroys += 1
                        else:
                            mine.append(deployment_id)
                    except grpc.RpcError as e:
                        if self.failed("DestroyDeployment", e):
                            break
                else:
                    n += 1
                    request = dep.CreateDeploymentRequest(
                        app_type=rng.choice((res.APP_TYPE_AIRFLOW, res.APP_TYPE_SUPERSET)),
                        name=f"r{self.round}-c{index}-{n}", request_id=str(uuid.uuid4()))
                    try:
                        reply = stub.CreateDeployment(request, metadata=key, timeout=RPC_TIMEOUT)
                    except grpc.RpcError as e:
                        with self.lock:
                            self.unacked.append(request)
                        if self.failed("CreateDeployment", e):
                            break
                    else:
                        self.acks.append({"kind": "create", "dir": self.tag, "round": self.round,
                                          "name": request.name, "request_id": request.request_id,
                                          "app_type": request.app_type, "deployment_id": reply.deployment_id,
                                          "operation_id": reply.operation_id})
                        with self.lock:
                            self.acked_creates += 1
                        mine.append(reply.deployment_id)
                next_at += 1 / rate
                if not self.burst.is_set():
                    self.stop.wait(max(0.0, next_at - time.monotonic()))  # load shaping, not synchronisation
        finally:
            channel.close()


def fiu_ctrl(prefix, pid, command):
    """Sends one libfiu remote-control command to the server (bounded); raises on an error."""
    proc = subprocess.Popen(["fiu-ctrl", "-f", prefix, "-c", command, str(pid)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError(f"fiu-ctrl '{command}' did not answer within 15 s")
    if proc.returncode != 0 or "error" in out.lower():
        raise RuntimeError(f"fiu-ctrl '{command}' failed ({proc.returncode}): {out.strip()}")


def rpc(method, request, **kw):
    """A verification call; waits out the per-key rate limit (RESOURCE_EXHAUSTED) as a bounded
    backoff, so the checks never fail on it (the load itself runs with the limit raised)."""
    for _ in range(200):
        try:
            return method(request, **kw)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                raise
            match = re.search(r"retry in (\d+) ms", e.details() or "")
            time.sleep((int(match.group(1)) if match else 100) / 1000 + 0.01)
    raise RuntimeError("still rate limited after 200 attempts")


def list_all(stub, key):
    """Every deployment of the organization, destroyed ones included: {id: Deployment}."""
    found, token = {}, ""
    for _ in range(100000):
        page = rpc(stub.ListDeployments, dep.ListDeploymentsRequest(page_size=100, page_token=token, show_destroyed=True),
                                    metadata=key, timeout=RPC_TIMEOUT)
        for d in page.deployments:
            found[d.id] = d
        token = page.next_page_token
        if not token:
            return found
    raise RuntimeError("ListDeployments never ended")


class Tally:
    """One guarantee over all rounds: how many instances were checked and which failed."""

    def __init__(self):
        self.checked = 0
        self.violations = []

    def add(self, ok, detail):
        self.checked += 1
        if not ok:
            self.violations.append(detail)

    def report(self, result, text):
        detail = "; ".join(self.violations[:5]) + (f" (+{len(self.violations) - 5} more)"
                                                  if len(self.violations) > 5 else "")
        result.check(not self.violations, text, detail)


class Scenario:
    def __init__(self, args, result):
        self.args, self.result = args, result
        self.rng = random.Random(args.seed)
        self.work = tempfile.mkdtemp(prefix="onvera-disk-")
        self.main_dir = os.path.join(self.work, "data")
        self.fifo_prefix = os.path.join(self.work, "fiu-ctrl")
        self.acks = AckLog(os.path.join(self.work, "acks.jsonl"))
        self.servers = []     # every server started, to kill on any exit path
        self.mounts = []      # tmpfs mount points to unmount
        self.t = collections.defaultdict(Tally)
        self.kinds_done = collections.Counter()
        self.fault_to_exit = []
        self.restart_times = []
        self.error_kinds = collections.Counter()
        self.creates = self.destroys = 0
        self.retried = self.retried_durable = 0
        self.operations = 0
        self.snapshot_outcomes = collections.Counter()
        self.tmpfs_texts = collections.Counter()

    # --- helpers -------------------------------------------------------------------------------

    def server(self, data_dir, fiu=False, extra=(), watch=None):
        wrapper = ["fiu-run", "-x", "-f", self.fifo_prefix] if fiu else []
        s = SplitServer(self.args.server, data_dir=data_dir, step=STEP, extra=extra, wrapper=wrapper, watch=watch,
                        env=SERVER_ENV)
        self.servers.append(s)
        return s

    def cleanup(self):
        for s in self.servers:
            if s.process is not None and s.process.poll() is None:
                s.process.kill()
                s.process.wait()
        for m in self.mounts:
            subprocess.run(["umount", "-l", m], capture_output=True, timeout=30)
        self.acks.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def tmpfs_allowed(self):
        probe = os.path.join(self.work, "probe")
        os.makedirs(probe)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], capture_output=True,
                           text=True, timeout=30)
        if r.returncode != 0:
            return False, (r.stderr or r.stdout).strip()
        subprocess.run(["umount", probe], capture_output=True, timeout=30)
        return True, ""

    def snapshot_supported(self):
        r = subprocess.run([self.args.server, "serve", "--help"], capture_output=True, text=True, timeout=60)
        return "--snapshot-interval" in r.stdout + r.stderr

    # --- one round -----------------------------------------------------------------------------

    def play_round(self, number, kind):
        work_time = self.rng.uniform(0.3, 1.5) if self.args.short else self.rng.uniform(0.5, 4.0)
        if kind == "tmpfs-full":
            mount = tempfile.mkdtemp(prefix="tmpfs-", dir=self.work)
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], check=True, timeout=30)
            self.mounts.append(mount)
            data_dir, tag = os.path.join(mount, "data"), f"tmpfs-{number}"
            server = self.server(data_dir).start()
        else:
            spec = FIU_KINDS[kind]
            data_dir, tag = self.main_dir, "main"
            extra = ["--snapshot-interval", "25"] if kind == "snapshot-fsync-EIO" else []
            watch = r"snapshot failed" if kind == "snapshot-fsync-EIO" else None
            server = self.server(data_dir, fiu=True, extra=extra, watch=watch).start()
        load = Load(server, number, tag, self.acks, self.rng, self.args.rate).start()
        label = f"round {number} ({kind})"
        try:
            if server.exited.wait(work_time):  # a bound on the working time, ended early only by an exit
                self.t["exit"].add(False, f"{label}: the server exited before any fault (status "
                                          f"{server.process.returncode}): {server.text()[-500:]}")
                load.finish()
                return
            fault_at = time.monotonic()
            if kind == "tmpfs-full":
                self.fill(data_dir, label)
                what = "filler file written"
            else:
                probability = round(self.rng.uniform(*spec["probability"]), 2)
                fiu_ctrl(self.fifo_prefix, server.pid, f"enable_random name={spec['point']},"
                                                       f"probability={probability},failinfo={spec['errno']}")
                what = f"{spec['point']} errno {spec['errno']} p={probability}"
            load.burst.set()  # calls back to back from now on, so some are in flight at the fail-stop
            print(f"{label}: fault after {work_time:.2f} s: {what}", flush=True)
            self.kinds_done[kind] += 1

            if kind == "snapshot-fsync-EIO":
                outcome = self.snapshot_outcome(server, load, label)
            else:
                outcome = "fail-stop"
            if outcome == "fail-stop":
                code = server.wait_exit(EXIT_TIMEOUT)
                exit_after = None if code is None else server.exit_at - fault_at
                self.t["exit"].add(code == 74, f"{label}: {describe_exit(code, server)}")
                if code is not None:
                    self.fault_to_exit.append(exit_after)
                if not self.check_message(server, kind, label) or code != 74:
                    self.keep_log(server, label)
                if code is None:
                    server.kill9()
            if not load.finish():
                self.t["clients"].add(False, f"{label}: a client call did not return within its deadline")
            self.check_errors(load, fault_at, label, outcome)
            self.creates += load.acked_creates
            self.destroys += load.acked_destroys
        finally:
            load.stop.set()
            if server.alive():
                server.kill9()
        if kind == "tmpfs-full":
            os.unlink(os.path.join(os.path.dirname(data_dir), "filler"))
        self.verify(number, tag, data_dir, load, label)
        if kind == "tmpfs-full":
            mount = os.path.dirname(data_dir)
            subprocess.run(["umount", mount], check=True, timeout=30)
            self.mounts.remove(mount)

    def keep_log(self, server, label):
        """Keeps the output of a server that failed a check next to the result file."""
        path = f"{os.path.splitext(self.args.out)[0]}-{label.split(' (')[0].replace(' ', '-')}.log"
        with open(path, "w", encoding="utf-8") as f:
            f.write(server.text())
        self.result.note(f"{label}: server output kept in {path}")

    def fill(self, data_dir, label):
        """Fills the tmpfs holding data_dir with a filler file up to ENOSPC."""
        path = os.path.join(os.path.dirname(data_dir), "filler")
        chunk = b"\0" * 65536
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            while True:
                try:
                    if os.write(fd, chunk) == 0:
                        break
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break
        finally:
            os.close(fd)

    def snapshot_outcome(self, server, load, label):
        """EIO on the snapshot's fsync: a fail-stop, or a logged "snapshot failed" the server
        survives. Waits (bounded) for the exit or the warning; on the warning turns the fault
        off and makes one create: it succeeds (survived) or fails and the server must exit."""
        if not server.event.wait(EXIT_TIMEOUT):
            self.t["snapshot"].add(False, f"{label}: neither a fail-stop nor a 'snapshot failed' warning within "
                                          f"{EXIT_TIMEOUT} s")
            self.snapshot_outcomes["nothing"] += 1
            return "none"
        if server.exited.is_set():
            self.snapshot_outcomes["fail-stop"] += 1
            self.t["snapshot"].add(True, "")
            return "fail-stop"
        try:
            fiu_ctrl(self.fifo_prefix, server.pid, "disable name=posix/io/sync/fsync")
        except RuntimeError:
            if server.exited.wait(EXIT_TIMEOUT):  # fiu-ctrl finds no process: it is exiting
                self.snapshot_outcomes["fail-stop"] += 1
                self.t["snapshot"].add(True, "")
                return "fail-stop"
            raise
        channel = grpc.insecure_channel(server.target)
        try:
            rpc(dep_grpc.DeploymentServiceStub(channel).CreateDeployment,
                dep.CreateDeploymentRequest(app_type=res.APP_TYPE_SUPERSET, request_id=str(uuid.uuid4()),
                                            name=f"r{load.round}-after-snapshot-warning"),
                metadata=(("x-api-key", server.key),), timeout=RPC_TIMEOUT)
        except grpc.RpcError:
            self.snapshot_outcomes["warning, then fail-stop"] += 1
            self.t["snapshot"].add(True, "")
            return "fail-stop"
        finally:
            channel.close()
        self.snapshot_outcomes["warning, survived"] += 1
        self.t["snapshot"].add(True, "")
        load.stop.set()
        code = server.stop(RPC_TIMEOUT)
        self.t["graceful"].add(code == 0, f"{label}: SIGTERM after a survived snapshot failure exited {code}")
        return "survived"

    def check_message(self, server, kind, label):
        lines = [line.rstrip("\n") for line in server.stderr_lines if line.startswith(FAIL_STOP_PREFIX)]
        if kind == "tmpfs-full":
            call, texts = "pwrite", ("No space left on device", "short write")
        else:
            spec = FIU_KINDS[kind]
            call, texts = spec["call"], (os.strerror(spec["errno"]),)
        ok = len(lines) == 1 and re.search(rf"\b{call}\b", lines[0]) is not None and any(t in lines[0] for t in texts)
        self.t["message"].add(ok, f"{label}: expected one '{FAIL_STOP_PREFIX}' line on stderr naming {call} and "
                                  f"{' or '.join(texts)}; got {lines or server.text()[-600:]!r}")
        if ok and kind == "tmpfs-full":
            self.tmpfs_texts[next(t for t in texts if t in lines[0])] += 1
        if lines and self.kinds_done[kind] == 1:
            self.result.note(f"{label} fail-stop line: {lines[0][:400]}")
        return ok

    def check_errors(self, load, fault_at, label, outcome):
        for at, method, code, reason, details in load.errors:
            if at < fault_at:
                self.t["errors"].add(False, f"{label}: {method} failed {code} ({details}) "
                                            f"{fault_at - at:.2f} s before the fault")
                continue
            ok = code == "UNAVAILABLE"
            self.t["errors"].add(ok, f"{label}: {method} failed {code} {reason or ''} ({details})")
            if reason:
                self.error_kinds[f"{code} {reason}"] += 1
            else:
                self.error_kinds[f"{code} without details (connection dropped at the exit)"] += 1

    # --- the restart -------------------------------------------------------------------------

    def verify(self, number, tag, data_dir, load, label):
        server = self.server(data_dir)
        try:
            server.start()
        except RuntimeError as e:
            self.t["restart"].add(False, f"{label}: {e}")
            return
        self.t["restart"].add(True, "")
        self.restart_times.append(server.ready_at - server.started_at)
        channel = grpc.insecure_channel(server.target)
        try:
            self.verify_state(server, channel, number, tag, load, label)
        finally:
            channel.close()
            if server.alive():
                code = server.stop(RPC_TIMEOUT * 2)
                self.t["graceful"].add(code == 0, f"{label}: SIGTERM of the restarted server exited {code}: "
                                                  f"{server.text()[-400:]}")

    def verify_state(self, server, channel, number, tag, load, label):
        stub, opstub = dep_grpc.DeploymentServiceStub(channel), ops_grpc.OperationServiceStub(channel)
        key = (("x-api-key", server.key),)
        entries = [e for e in self.acks.entries() if e["dir"] == tag]
        creates = [e for e in entries if e["kind"] == "create"]
        destroys = [e for e in entries if e["kind"] == "destroy"]

        # Every acknowledged create of this round, one by one; of every round, in the listing.
        for e in creates:
            if e["round"] != number:
                continue
            try:
                got = rpc(stub.GetDeployment, dep.GetDeploymentRequest(deployment_id=e["deployment_id"]),
                                         metadata=key, timeout=RPC_TIMEOUT)
                self.t["creates"].add(got.id == e["deployment_id"] and got.name == e["name"],
                                      f"{label}: {e['deployment_id']} came back as {got.id} {got.name!r}")
            except grpc.RpcError as err:
                self.t["creates"].add(False, f"{label}: acknowledged {e['deployment_id']} ({e['name']}): "
                                             f"{err.code().name} {err.details()}")
        listed = list_all(stub, key)
        for e in creates:
            d = listed.get(e["deployment_id"])
            self.t["creates"].add(d is not None and d.name == e["name"],
                                  f"{label}: acknowledged {e['deployment_id']} ({e['name']}, round {e['round']}) "
                                  f"{'missing from the listing' if d is None else 'listed as ' + repr(d.name)}")
        for e in destroys:
            d = listed.get(e["deployment_id"])
            self.t["destroys"].add(d is not None and d.status in (res.DEPLOYMENT_STATUS_DESTROYING,
                                                                  res.DEPLOYMENT_STATUS_DESTROYED),
                                   f"{label}: destroyed {e['deployment_id']} is "
                                   f"{'missing' if d is None else res.DeploymentStatus.Name(d.status)}")

        # Retry every unacknowledged create with its request id: one deployment, the same twice.
        by_name = collections.defaultdict(list)
        for d in listed.values():
            by_name[d.name].append(d.id)
        retried_ops = []
        for request in load.unacked:
            before = by_name.get(request.name, [])
            try:
                first = rpc(stub.CreateDeployment, request, metadata=key, timeout=RPC_TIMEOUT)
                second = rpc(stub.CreateDeployment, request, metadata=key, timeout=RPC_TIMEOUT)
            except grpc.RpcError as err:
                self.t["retries"].add(False, f"{label}: retry of {request.name}: {err.code().name} {err.details()}")
                continue
            self.retried += 1
            self.retried_durable += bool(before)
            ok = first.deployment_id == second.deployment_id and (not before or before == [first.deployment_id])
            self.t["retries"].add(ok, f"{label}: retry of {request.name} gave {first.deployment_id} then "
                                      f"{second.deployment_id}; before the retry the store had {before}")
            self.acks.append({"kind": "create", "dir": tag, "round": number, "name": request.name,
                              "request_id": request.request_id, "app_type": request.app_type,
                              "deployment_id": first.deployment_id, "operation_id": first.operation_id,
                              "retried": True})
            retried_ops.append(first.operation_id)
        if load.unacked:
            listed = list_all(stub, key)
        names = collections.Counter(d.name for d in listed.values())
        duplicates = {n: c for n, c in names.items() if c > 1}
        self.t["unique"].add(not duplicates, f"{label}: names created more than once: {dict(list(duplicates.items())[:5])}")
        for request in load.unacked:
            self.t["retries"].add(names[request.name] == 1, f"{label}: {request.name} exists {names[request.name]} "
                                                            f"times after its retries")

        # Every operation of this round reaches a terminal state; succeeded destroys are DESTROYED.
        round_ops = [e["operation_id"] for e in entries if e["round"] == number] + retried_ops
        finals = {}
        for operation_id in dict.fromkeys(round_ops):
            try:
                final = rpc(
                    opstub.WaitOperation, ops.WaitOperationRequest(operation_id=operation_id, timeout=duration_pb2.Duration(seconds=WAIT_TIMEOUT)),
                    metadata=key, timeout=WAIT_TIMEOUT + 10)
                finals[operation_id] = final
                self.t["operations"].add(final.done and final.status in TERMINAL,
                                         f"{label}: {operation_id} is {res.OperationStatus.Name(final.status)} "
                                         f"done={final.done} after {WAIT_TIMEOUT} s")
            except grpc.RpcError as err:
                self.t["operations"].add(False, f"{label}: WaitOperation {operation_id}: {err.code().name} "
                                                f"{err.details()}")
        self.operations += len(finals)
        for e in destroys:
            final = finals.get(e["operation_id"])
            if e["round"] != number or final is None or final.status != res.OPERATION_STATUS_SUCCEEDED:
                continue
            got = rpc(stub.GetDeployment, dep.GetDeploymentRequest(deployment_id=e["deployment_id"]), metadata=key,
                                     timeout=RPC_TIMEOUT)
            self.t["destroys"].add(got.status == res.DEPLOYMENT_STATUS_DESTROYED,
                                   f"{label}: {e['deployment_id']} is {res.DeploymentStatus.Name(got.status)} after "
                                   f"its destroy succeeded")

    # --- the whole run -------------------------------------------------------------------------

    def plan(self):
        kinds = list(FIU_KINDS)
        if self.args.kinds:
            kinds = [k for k in kinds if k in self.args.kinds.split(",")]
        notes = []
        if not self.snapshot_supported():
            kinds.remove("snapshot-fsync-EIO")
            notes.append("the server has no --snapshot-interval: the snapshot round was skipped")
        if shutil.which("fiu-run") is None or not os.path.exists("/usr/lib/fiu/fiu_posix_preload.so"):
            raise RuntimeError("fiu-utils (fiu-run, fiu-ctrl, the POSIX preload library) is not installed")
        allowed, why = self.tmpfs_allowed()
        if allowed and (not self.args.kinds or "tmpfs-full" in self.args.kinds.split(",")):
            kinds.append("tmpfs-full")
        else:
            notes.append(f"mount -t tmpfs is not allowed here ({why}): the real full-disk round was skipped")
        rounds = self.args.rounds or (6 if self.args.short else 20)
        plan = list(kinds)
        weights = [0.5 if k in ("tmpfs-full", "snapshot-fsync-EIO") else 1 for k in kinds]
        plan += self.rng.choices(kinds, weights, k=max(0, rounds - len(plan)))
        self.rng.shuffle(plan)
        return plan, notes

    def run(self):
        r = self.result
        plan, notes = self.plan()
        for n in notes:
            r.note(n)
        r.param("rounds", len(plan))
        r.param("clients", f"{CLIENTS} grpcio threads, {self.args.rate:g} calls/s each (creates with request ids, "
                           f"a quarter destroys of READY ones)")
        r.param("simulated step", STEP)
        r.param("work before the fault", "random 0.3-1.5 s" if self.args.short else "random 0.5-4 s")
        r.param("bounds", f"fail-stop within {EXIT_TIMEOUT} s; restart within {START_TIMEOUT} s; "
                          f"each operation terminal within {WAIT_TIMEOUT} s")
        r.param("server", self.args.server)
        r.param("server environment", " ".join(f"{k}={v}" for k, v in SERVER_ENV.items())
                + " (the per-key rate limit is not under test)")
        for number, kind in enumerate(plan, 1):
            self.play_round(number, kind)
        for kind in dict.fromkeys(plan):
            r.injected(f"{KIND_TEXT[kind]}: {self.kinds_done[kind]} round(s)")
        self.report()

    def report(self):
        r, t = self.result, self.t
        faults = t["exit"].checked
        t["exit"].report(r, f"the server fail-stops with exit status 74 within {EXIT_TIMEOUT} s of every store "
                            f"fault ({faults} fail-stops)")
        t["message"].report(r, f"each fail-stop prints one stderr line beginning '{FAIL_STOP_PREFIX}' that names the "
                               f"failing call (pwrite, fdatasync, fsync) and the OS error ({t['message'].checked} lines)")
        if self.kinds_done["snapshot-fsync-EIO"]:
            t["snapshot"].report(r, "an fsync error while writing a snapshot either fail-stops the server or is "
                                    "logged as 'snapshot failed' and survived ("
                                    + ", ".join(f"{v} {k}" for k, v in self.snapshot_outcomes.items()) + ")")
        t["restart"].report(r, f"the server restarts without fault injection on the same data directory after every "
                               f"fault ({t['restart'].checked} restarts)")
        t["creates"].report(r, f"every acknowledged create exists with its name after each restart "
                               f"({self.creates} acknowledged creates; {t['creates'].checked} look-ups over all rounds)")
        t["destroys"].report(r, f"every acknowledged destroy's deployment is DESTROYING or DESTROYED after each restart, "
                                f"and DESTROYED once its operation succeeded ({self.destroys} acknowledged destroys)")
        t["retries"].report(r, f"a retried unacknowledged create (same request id) returns one deployment, the same on "
                               f"a second retry, and its name exists exactly once ({self.retried} retries; "
                               f"{self.retried_durable} had been made durable before the fault)")
        t["unique"].report(r, "no deployment name exists twice in the store after any restart (no duplicate creates)")
        t["operations"].report(r, f"every operation of every round reaches a terminal state after the restart "
                                  f"({self.operations} operations)")
        errors = sum(self.error_kinds.values())
        t["errors"].report(r, f"clients saw errors only after the fault was on, and only UNAVAILABLE ({errors} errors)")
        if t["clients"].checked:
            t["clients"].report(r, "every client call returned within its deadline")
        t["graceful"].report(r, f"every restarted server stops on SIGTERM with status 0 ({t['graceful'].checked} stops)")
        for kind, count in sorted(self.kinds_done.items()):
            r.figure(f"rounds: {kind}", count, "rounds")
        r.figure("acknowledged creates", self.creates, "creates")
        r.figure("acknowledged destroys", self.destroys, "destroys")
        r.figure("unacknowledged creates retried after the restart", self.retried, "creates")
        r.figure("of which already durable before the fault", self.retried_durable, "creates")
        if self.fault_to_exit:
            r.figure("fault on to exit, p50", round(percentile(self.fault_to_exit, 50) * 1000), "ms")
            r.figure("fault on to exit, max", round(max(self.fault_to_exit) * 1000), "ms")
        if self.restart_times:
            r.figure("restart to listening, p50", round(percentile(self.restart_times, 50) * 1000), "ms")
            r.figure("restart to listening, max", round(max(self.restart_times) * 1000), "ms")
        for name, count in sorted(self.error_kinds.items()):
            r.figure(f"client errors: {name}", count, "calls")
        if self.tmpfs_texts:
            r.note("full tmpfs fail-stops named: " + ", ".join(f"{k} ({v})" for k, v in self.tmpfs_texts.items()))
        r.note("fault on to exit includes the wait for the next write to hit the fault (random probability)")


def main():
    def options(p):
        p.add_argument("--rate", type=float, default=RATE, help="calls per second of each of the %d clients" % CLIENTS)
        p.add_argument("--rounds", type=int, help="number of rounds (default: 6 with --short, else 20)")
        p.add_argument("--kinds", help="only these fault kinds, comma-separated: " + ",".join(KIND_TEXT))
    args = arguments(__doc__.split("\n")[0], options)
    raise_fd_limit()
    result = Result("disk", "Disk faults: EIO and ENOSPC on writes and syncs, a full disk", args)
    scenario = Scenario(args, result)

    def terminated(signum, frame):
        raise SystemExit(f"disk_faults: signal {signum}")
    signal.signal(signal.SIGTERM, terminated)
    try:
        scenario.run()
    except Exception as e:  # record, then clean up below
        import traceback
        traceback.print_exc()
        result.check(False, "the scenario ran to its end", f"{type(e).__name__}: {e}")
    finally:
        scenario.cleanup()
    sys.exit(result.write())


if __name__ == "__main__":
    main()

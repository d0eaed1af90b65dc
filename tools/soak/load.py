"""Load: many concurrent WatchOperation streams while deployments are created at a steady
rate (and some destroyed), checking that every watcher sees every change of its operation
exactly once, in order, up to the state GetOperation reports at the end.

The parent process runs the real server, paces the creates (and destroys a fraction of the
deployments that become READY), and announces every new operation to the worker processes.
Each worker holds its share of the streams over grpc.aio channels (at most 90 streams per
connection; the server allows 100): a watcher watches an operation from its SNAPSHOT to the
update that makes it done, then moves on to one of the newest operations, so the number of
open streams stays near the target. Workers check each stream as it arrives and report their
counts, the final states seen, a CRC of every UPDATE message (all watchers of an operation
must get the same bytes) and the delivery latency of every UPDATE (its `time` field, set by
the server when the change became durable, to its arrival; same machine clock).

Full (on demand): 10 minutes, 10,000 streams, 1,000 creates per minute, 2 s steps.
--short (CI): 1 minute, 2,000 streams."""
import array
import asyncio
import collections
import math
import multiprocessing
import os
import random
import shutil
import signal
import sys
import time
import urllib.request
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import soaklib  # noqa: E402  (puts the grpcio stubs on sys.path)
from soaklib import Result, Sampler, Server, percentile, raise_fd_limit  # noqa: E402

import grpc  # noqa: E402
from google.protobuf import duration_pb2  # noqa: E402
from onvera.v1 import deployments_pb2 as dep  # noqa: E402
from onvera.v1 import deployments_pb2_grpc as dep_grpc  # noqa: E402
from onvera.v1 import operations_pb2 as ops  # noqa: E402
from onvera.v1 import operations_pb2_grpc as ops_grpc  # noqa: E402
from onvera.v1 import organizations_pb2 as orgs  # noqa: E402
from onvera.v1 import organizations_pb2_grpc as orgs_grpc  # noqa: E402
from onvera.v1 import resources_pb2 as res  # noqa: E402

SNAPSHOT = res.OperationEvent.KIND_SNAPSHOT
UPDATE = res.OperationEvent.KIND_UPDATE
HEARTBEAT = res.OperationEvent.KIND_HEARTBEAT
SUCCEEDED = res.OPERATION_STATUS_SUCCEEDED
STREAMS_PER_CHANNEL = 90
WATCH_METHOD = "/onvera.v1.OperationService/WatchOperation"
CHANNEL_OPTIONS = [
    ("grpc.use_local_subchannel_pool", 1),  # one TCP connection per channel, not a shared one
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.keepalive_time_ms", 0),
]
MAX_DETAILS = 20


def status_name(value):
    return res.OperationStatus.Name(value)


def code_of(error):
    return error.code().name if isinstance(error, grpc.RpcError) else type(error).__name__


def retry_after(error):
    """Seconds to wait after a RESOURCE_EXHAUSTED (the server's retry_after_ms), else None."""
    if not isinstance(error, grpc.RpcError) or error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
        return None
    for key, value in (error.trailing_metadata() or ()):
        if key == "retry_after_ms":
            return int(value) / 1000
    return 0.05


# ---------------------------------------------------------------------------------------------
# Worker process: holds its share of the watch streams.


class Watchers:
    def __init__(self, cfg, conn, open_streams, received):
        self.cfg = cfg
        self.conn = conn
        self.open_streams = open_streams  # shared counters the parent samples
        self.received = received
        self.live = []                    # announced operations not yet seen done, oldest first
        self.done = set()
        self.watching = collections.Counter()
        self.watched = collections.Counter()  # streams opened per operation
        self.announced = asyncio.Event()
        self.draining = False
        self.finals = collections.defaultdict(collections.Counter)  # op -> (sequence, status) -> streams
        self.crcs = {}                    # (op, sequence) -> CRC-32 of the UPDATE message
        self.latencies = array.array("d")
        self.arrivals = array.array("d")
        self.counts = collections.Counter()
        self.errors = collections.Counter()
        self.violations = []
        self.lags = array.array("d")

    def violation(self, op, text):
        self.counts["violations"] += 1
        if len(self.violations) < MAX_DETAILS:
            self.violations.append(f"{op}: {text}")

    def on_message(self):
        while self.conn.poll():
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                os._exit(3)  # the parent is gone: nothing to report to

            if message[0] == "ops":
                self.live.extend(op for op in message[1] if op not in self.done)
                self.announced.set()
            elif message[0] == "drain":
                self.draining = True
                self.announced.set()

    async def pick(self):
        """The operation to watch next: among the newest live ones, the one with the fewest
        watchers here; while draining, only an operation not watched here yet (or None)."""
        while True:
            if self.draining:
                for op in self.live:
                    if not self.watched[op] and not self.watching[op]:
                        return op
                return None
            if self.live:
                newest = self.live[-self.cfg["choose_among"]:]
                return min(reversed(newest), key=lambda op: self.watching[op])
            self.announced.clear()
            await self.announced.wait()

    def finished(self, op):
        if op not in self.done:
            self.done.add(op)
            try:
                self.live.remove(op)
            except ValueError:
                pass

    async def watcher(self, index, channel, key):
        await asyncio.sleep(self.cfg["ramp"] * index / self.cfg["streams"])  # shapes the ramp-up
        metadata = (("x-api-key", key),)
        while True:
            op = await self.pick()
            if op is None:
                return
            self.watching[op] += 1
            self.watched[op] += 1
            try:
                for _ in range(100):
                    wait = await self.watch(channel, metadata, op)
                    if wait is None:
                        break
                    self.counts["refused"] += 1
                    await asyncio.sleep(wait * (1 + random.random()))  # as the server asks, spread
            finally:
                self.watching[op] -= 1

    async def watch(self, channel, metadata, op):
        """Follows one stream; returns seconds to wait if the open was refused by the rate limit."""
        call = channel(ops.WatchOperationRequest(operation_id=op), metadata=metadata,
                       timeout=self.cfg["stream_timeout"])
        self.counts["streams"] += 1
        self.open_streams.value += 1
        last = None      # last sequence seen
        final = None     # the done operation, once seen
        first = True
        try:
            async for raw, event in call:
                now = time.time()
                self.received.value += 1
                kind = event.kind
                if final is not None:
                    self.violation(op, f"event {res.OperationEvent.Kind.Name(kind)} after the update that made it done")
                    continue
                if first:
                    first = False
                    self.counts["snapshots"] += 1
                    if kind != SNAPSHOT:
                        self.violation(op, f"first event is {res.OperationEvent.Kind.Name(kind)}, not SNAPSHOT")
                    if event.operation.id != op or event.sequence != event.operation.sequence or event.sequence < 1:
                        self.violation(op, f"snapshot of {event.operation.id} sequence {event.sequence}/{event.operation.sequence}")
                    last = event.sequence
                elif kind == UPDATE:
                    self.counts["updates"] += 1
                    self.latencies.append(now - (event.time.seconds + event.time.nanos / 1e9))
                    self.arrivals.append(now)
                    seq = event.sequence
                    if seq != last + 1:
                        what = "duplicated" if seq <= last else f"missed {last + 1}..{seq - 1}"
                        self.violation(op, f"update sequence {seq} after {last} ({what})")
                    if event.operation.sequence != seq or event.operation.id != op:
                        self.violation(op, f"update sequence {seq} carries operation {event.operation.id} sequence {event.operation.sequence}")
                    crc = zlib.crc32(raw)
                    seen = self.crcs.setdefault((op, seq), crc)
                    if seen != crc:
                        self.violation(op, f"two watchers got different UPDATE messages for sequence {seq}")
                    last = max(last, seq)
                elif kind == HEARTBEAT:
                    self.counts["heartbeats"] += 1
                    if event.sequence != last:
                        self.violation(op, f"heartbeat sequence {event.sequence}, last change {last}")
                else:
                    self.violation(op, f"event kind {kind} after the first")
                if kind != HEARTBEAT and event.operation.done:
                    final = event.operation
            if final is None:
                self.violation(op, f"stream ended OK at sequence {last} before the operation was done")
            else:
                self.finals[op][(final.sequence, final.status)] += 1
                self.finished(op)
        except grpc.RpcError as error:
            wait = retry_after(error)
            if wait is not None and last is None:
                return wait  # refused by the per-key rate limit before anything was sent
            self.errors[code_of(error)] += 1
            if len(self.violations) < MAX_DETAILS:
                self.violations.append(f"{op}: stream failed with {code_of(error)}: {error.details()} "
                                       f"(after {'no event' if last is None else f'sequence {last}'})")
        finally:
            self.open_streams.value -= 1

    async def lag_monitor(self, stop):
        """How late the event loop wakes up for a 50 ms timer: this process's own backlog."""
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            start = loop.time()
            await asyncio.sleep(0.05)
            self.lags.append(loop.time() - start - 0.05)

    async def run(self):
        cfg = self.cfg
        loop = asyncio.get_running_loop()
        loop.add_reader(self.conn.fileno(), self.on_message)
        channels = []
        for _ in range(math.ceil(cfg["streams"] / STREAMS_PER_CHANNEL)):
            channel = grpc.aio.insecure_channel(cfg["target"], options=CHANNEL_OPTIONS)
            channels.append(channel)
        await asyncio.wait_for(asyncio.gather(*(c.channel_ready() for c in channels)), 60)
        calls = [c.unary_stream(WATCH_METHOD, request_serializer=ops.WatchOperationRequest.SerializeToString,
                                response_deserializer=lambda b: (b, res.OperationEvent.FromString(b)))
                 for c in channels]
        self.conn.send(("ready", len(channels)))
        stop = asyncio.Event()
        lag = asyncio.ensure_future(self.lag_monitor(stop))
        keys = cfg["keys"]
        tasks = [asyncio.ensure_future(self.watcher(i, calls[i // STREAMS_PER_CHANNEL], keys[i % len(keys)]))
                 for i in range(cfg["streams"])]
        await asyncio.gather(*tasks)
        stop.set()
        await lag
        loop.remove_reader(self.conn.fileno())
        for c in channels:
            await c.close()
        self.conn.send(("result", {
            "counts": dict(self.counts), "errors": dict(self.errors), "violations": self.violations,
            "finals": {op: dict(c) for op, c in self.finals.items()},
            "watched": dict(self.watched), "crcs": self.crcs,
            "latencies": self.latencies.tobytes(), "arrivals": self.arrivals.tobytes(), "lags": self.lags.tobytes(),
        }))


def worker_main(cfg, conn, open_streams, received):
    raise_fd_limit()
    try:
        asyncio.run(Watchers(cfg, conn, open_streams, received).run())
    except BaseException as error:  # the parent reports it; nothing must hang
        conn.send(("error", f"{type(error).__name__}: {error}"))
        raise


# ---------------------------------------------------------------------------------------------
# Parent process.


def make_keys(server, count):
    """API keys of the bootstrap owner's organization (rate limits are per key)."""
    channel = grpc.insecure_channel(server.target)
    stub = orgs_grpc.OrganizationServiceStub(channel)
    keys = []
    deadline = time.monotonic() + 120
    while len(keys) < count:
        try:
            reply = stub.CreateApiKey(orgs.CreateApiKeyRequest(name=f"load-{len(keys)}"),
                                      metadata=(("x-api-key", server.key),), timeout=30)
            keys.append(reply.secret)
        except grpc.RpcError as error:
            wait = retry_after(error)
            if wait is None or time.monotonic() > deadline:
                raise
            time.sleep(wait)  # the server's own retry_after_ms
    channel.close()
    return keys


def run_queue_wait(pid):
    """Seconds the process's threads spent runnable but waiting for a CPU (/proc/PID/task/*/schedstat)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def machine_busy():
    """CPU seconds used by everything on the machine so far (/proc/stat, all but idle and iowait)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def scrape(server):
    """The server's metrics (name with labels -> value), or {} if it does not answer."""
    out = {}
    try:
        with urllib.request.urlopen(server.metrics_url, timeout=2) as reply:
            for line in reply.read().decode().splitlines():
                if line and not line.startswith("#"):
                    name, _, value = line.rpartition(" ")
                    out[name] = float(value)
    except (OSError, ValueError):
        return {}
    return out


class Driver:
    """Creates deployments at the target rate, destroys a fraction of those that become READY,
    announces every operation to the workers and waits for each to finish."""

    def __init__(self, args, server, keys, conns, rng):
        self.args = args
        self.server = server
        self.keys = keys
        self.conns = conns
        self.rng = rng
        self.operations = {}  # op id -> "create" | "destroy"
        self.pending = []
        self.counts = collections.Counter()
        self.errors = []
        self.create_latency = []
        self.create_acks = []  # seconds from the first create to each acknowledgement
        self.creating = True
        self.i = 0

    def stubs(self):
        self.i += 1
        channel = self.channels[self.i % len(self.channels)]
        return (dep_grpc.DeploymentServiceStub(channel), ops_grpc.OperationServiceStub(channel),
                (("x-api-key", self.keys[self.i % len(self.keys)]),))

    async def call(self, what, make):
        """One unary call; waits as the server asks on RESOURCE_EXHAUSTED (counted)."""
        for _ in range(50):
            try:
                return await make()
            except grpc.RpcError as error:
                wait = retry_after(error)
                if wait is None:
                    raise
                self.counts["rate limited"] += 1
                await asyncio.sleep(wait)
        raise RuntimeError(f"{what}: still rate limited after 50 tries")

    def announce(self, op, kind):
        self.operations[op] = kind
        for conn in self.conns:
            conn.send(("ops", [op]))

    async def wait_done(self, op):
        deadline = time.monotonic() + self.args.op_timeout
        while time.monotonic() < deadline:
            deployments, operations, md = self.stubs()
            reply = await self.call("WaitOperation", lambda: operations.WaitOperation(
                ops.WaitOperationRequest(operation_id=op, timeout=duration_pb2.Duration(seconds=30)), metadata=md, timeout=60))
            if reply.done:
                return reply
        return None

    async def lifecycle(self):
        try:
            deployments, _, md = self.stubs()
            app = self.rng.choice((res.APP_TYPE_AIRFLOW, res.APP_TYPE_SUPERSET))
            start = time.monotonic()
            reply = await self.call("CreateDeployment", lambda: deployments.CreateDeployment(
                dep.CreateDeploymentRequest(app_type=app, request_id=str(uuid.uuid4())), metadata=md, timeout=30))
            self.create_latency.append(time.monotonic() - start)
            self.create_acks.append(time.monotonic() - self.started_monotonic)
            self.counts["creates"] += 1
            self.announce(reply.operation_id, "create")
            final = await self.wait_done(reply.operation_id)
            if final is None or final.status != SUCCEEDED:
                return
            if not self.creating or self.rng.random() >= self.args.destroy_fraction:
                return
            deployments, _, md = self.stubs()
            deployment_id = reply.deployment_id
            reply = await self.call("DestroyDeployment", lambda: deployments.DestroyDeployment(
                dep.DestroyDeploymentRequest(deployment_id=deployment_id), metadata=md, timeout=30))
            self.counts["destroys"] += 1
            self.announce(reply.operation_id, "destroy")
            await self.wait_done(reply.operation_id)
        except Exception as error:  # recorded, checked by the caller
            self.errors.append(f"{code_of(error)}: {getattr(error, 'details', lambda: error)()}")

    async def run(self, duration):
        self.channels = [grpc.aio.insecure_channel(self.server.target, options=CHANNEL_OPTIONS) for _ in range(8)]
        total = round(self.args.rate * duration / 60)
        loop = asyncio.get_running_loop()
        self.started = loop.time()
        self.started_monotonic = time.monotonic()
        for n in range(total):
            delay = self.started + n * 60 / self.args.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)  # paces the creates evenly
            self.pending.append(asyncio.ensure_future(self.lifecycle()))
        self.create_period = loop.time() - self.started
        self.creating = False

    async def finish(self, timeout):
        done, not_done = await asyncio.wait(self.pending, timeout=timeout)
        for channel in self.channels:
            await channel.close()
        return len(not_done)


def describe_error(error):
    """The status and details of a failed call, for a report."""
    if isinstance(error, grpc.RpcError):
        return f"{error.code().name}: {error.details()}"
    return repr(error)


async def final_states(server, keys, op_ids):
    """GetOperation of every operation (a few at a time per key)."""
    channels = [grpc.aio.insecure_channel(server.target, options=CHANNEL_OPTIONS) for _ in range(4)]
    limit = asyncio.Semaphore(64)
    out = {}

    async def get(i, op):
        async with limit:
            stub = ops_grpc.OperationServiceStub(channels[i % len(channels)])
            md = (("x-api-key", keys[i % len(keys)]),)
            # Rate-limited reads are retried after the wait the server asks for, until a bound
            # of 300 s (not a count: with 64 reads in flight per key group a count ran out).
            deadline = time.monotonic() + 300
            while True:
                try:
                    out[op] = await stub.GetOperation(ops.GetOperationRequest(operation_id=op), metadata=md, timeout=30)
                    return
                except grpc.RpcError as error:
                    wait = retry_after(error)
                    if wait is None or time.monotonic() + wait > deadline:
                        out[op] = error
                        return
                    await asyncio.sleep(wait)
    await asyncio.gather(*(get(i, op) for i, op in enumerate(op_ids)))
    for channel in channels:
        await channel.close()
    return out


def add_arguments(parser):
    parser.add_argument("--minutes", type=float, help="how long creates arrive (default 10; --short 1)")
    parser.add_argument("--streams", type=int, help="WatchOperation streams held open (default 10000; --short 2000)")
    parser.add_argument("--rate", type=float, default=1000, help="creates per minute")
    parser.add_argument("--step", default="2s", help="the server's --sim-step-duration")
    parser.add_argument("--workers", type=int, default=2, help="worker processes holding the streams")
    parser.add_argument("--destroy-fraction", type=float, default=0.25,
                        help="share of the deployments that become READY to destroy while creates arrive")
    parser.add_argument("--ramp", type=float, help="seconds over which the streams are first opened (default 10; --short 5)")
    parser.add_argument("--op-timeout", type=float, default=180, help="longest an operation may take to finish")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup below on SIGTERM too
    args = soaklib.arguments(__doc__.split("\n\n")[0], add_arguments)
    args.minutes = args.minutes or (1 if args.short else 10)
    args.streams = args.streams or (2000 if args.short else 10000)
    args.ramp = args.ramp if args.ramp is not None else (5 if args.short else 10)
    raise_fd_limit()
    rng = random.Random(args.seed)
    result = Result("load", "Load: concurrent WatchOperation streams during steady creates", args)
    for name, value in (("minutes of creates", args.minutes), ("watch streams (target)", args.streams),
                        ("creates per minute (target)", args.rate), ("simulated step", args.step),
                        ("destroyed share of READY deployments", args.destroy_fraction),
                        ("client worker processes", args.workers), ("streams per connection", STREAMS_PER_CHANNEL),
                        ("ramp-up of the streams (s)", args.ramp)):
        result.param(name, value)

    server = Server(args.server, step=args.step, extra=["--metrics-listen", "127.0.0.1:0"])
    workers = []
    try:
        server.start()
        run(args, rng, result, server, workers)
    except BaseException as error:  # SIGTERM and ^C too: the result is still written
        what = "interrupted by a signal" if isinstance(error, (SystemExit, KeyboardInterrupt)) else \
            f"{type(error).__name__}: {error}"
        result.check(False, "the load run completed", what)
    finally:
        for process, conn in workers:
            if process.is_alive():
                process.kill()
            process.join(10)
            conn.close()
        if server.alive():
            try:
                code = server.stop(60)
                result.check(code == 0, "the server shut down cleanly after the load (exit 0)", f"exit {code}")
            except Exception as error:
                server.kill9()
                result.check(False, "the server shut down cleanly after the load (exit 0)", str(error))
        elif server.process is not None:
            result.check(False, "the server stayed up through the load",
                         f"exit {server.process.returncode}; last output:\n{server.text()[-3000:]}")
        shutil.rmtree(server.data_dir, ignore_errors=True)
    sys.exit(result.write())


def run(args, rng, result, server, workers):
    keys = make_keys(server, max(4, math.ceil(args.streams / 50)) + 4)
    driver_keys, watch_keys = keys[:4], keys[4:]
    result.param("API keys (rate limits are per key)", len(keys))
    context = multiprocessing.get_context("spawn")
    shares = [args.streams // args.workers + (1 if i < args.streams % args.workers else 0) for i in range(args.workers)]
    counters = []
    for i, share in enumerate(shares):
        parent_end, child_end = context.Pipe()
        open_streams = context.Value("i", 0, lock=False)
        received = context.Value("q", 0, lock=False)
        cfg = {"target": server.target, "streams": share, "keys": watch_keys[i::args.workers] or watch_keys,
               "ramp": args.ramp, "choose_among": 4, "stream_timeout": args.op_timeout + 60}
        process = context.Process(target=worker_main, args=(cfg, child_end, open_streams, received), daemon=True)
        process.start()
        child_end.close()
        workers.append((process, parent_end))
        counters.append((open_streams, received))
    for process, conn in workers:
        if not conn.poll(90):
            raise RuntimeError("a worker did not connect within 90 s")
        message = conn.recv()
        if message[0] != "ready":
            raise RuntimeError(f"worker failed: {message}")

    samplers = [Sampler(server.pid), Sampler(os.getpid())] + [Sampler(p.pid) for p, _ in workers]
    for sampler in samplers:
        sampler.__enter__()
    pids = [server.pid, os.getpid()] + [p.pid for p, _ in workers]
    waits = [run_queue_wait(pid) for pid in pids]
    busy = machine_busy()
    driver = Driver(args, server, driver_keys, [c for _, c in workers], rng)
    samples = []          # (seconds since start, open streams, the server's metrics every 2 s)
    results = asyncio.run(load(args, driver, server, workers, counters, samples))
    waits = [run_queue_wait(pid) - w for pid, w in zip(pids, waits)]
    busy = machine_busy() - busy
    for sampler in samplers:
        sampler.__exit__(None, None, None)
    server_cpu, parent_cpu, worker_cpu = samplers[0], samplers[1], samplers[2:]
    report(args, result, driver, server, results, samples, server_cpu, parent_cpu, worker_cpu, keys, waits, busy)


async def load(args, driver, server, workers, counters, samples):
    loop = asyncio.get_running_loop()
    duration = args.minutes * 60
    start = loop.time()
    stop_sampling = asyncio.Event()

    async def sample():
        tick = 0
        while not stop_sampling.is_set():
            gauges = {}
            if tick % 4 == 0:
                gauges = await loop.run_in_executor(None, scrape, server)
            samples.append((loop.time() - start, sum(c[0].value for c in counters), gauges))
            tick += 1
            await asyncio.sleep(0.5)  # a measurement interval
    sampler = asyncio.ensure_future(sample())
    driver.wall_start = time.time()
    await driver.run(duration)
    driver.load_end = loop.time() - start
    for _, conn in workers:
        conn.send(("drain",))  # no new operations: each watcher finishes its stream and stops
    left = await driver.finish(args.op_timeout + 60)
    driver.unfinished_lifecycles = left
    # Every worker's answer (the pipe turns readable with it, or at EOF if the worker died); bounded.
    results = []
    deadline = loop.time() + args.op_timeout + 120
    for process, conn in workers:
        readable = loop.create_future()
        loop.add_reader(conn.fileno(), lambda f=readable: f.done() or f.set_result(None))
        try:
            await asyncio.wait_for(readable, max(1.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise RuntimeError(f"worker {process.pid} gave no result in time (alive: {process.is_alive()})") from None
        finally:
            loop.remove_reader(conn.fileno())
        try:
            message = conn.recv()
        except EOFError:
            raise RuntimeError(f"worker {process.pid} exited without a result (exit {process.exitcode})") from None
        if message[0] != "result":
            raise RuntimeError(f"worker failed: {message}")
        results.append(message[1])
    driver.drain_end = loop.time() - start
    driver.rss_after = server.rss_kib()  # every stream closed, every operation done
    # The heap figures are the trimmer's last look; it looks once the streams are gone (a few
    # seconds). Wait for that look (bounded): with little to free it may not come.
    looks = 'onvera_heap_walk_seconds_count{kind="look"}'
    looks_before = scrape(server).get(looks, 0)

    def after_a_look():
        m = scrape(server)
        return m if m.get(looks, 0) > looks_before else None

    try:
        driver.heap_after = await asyncio.to_thread(
            soaklib.wait_until, after_a_look, 20, "the heap trimmer's look after the streams closed", 0.25)
    except TimeoutError:
        driver.heap_after = scrape(server)
        driver.heap_after["stale"] = 1
    stop_sampling.set()
    await sampler
    driver.finals = await final_states(server, driver.keys, list(driver.operations))
    return results


def report(args, result, driver, server, results, samples, server_cpu, parent_cpu, worker_cpu, keys, waits, busy):
    ops_total = len(driver.operations)
    creates = [op for op, kind in driver.operations.items() if kind == "create"]
    destroys = [op for op, kind in driver.operations.items() if kind == "destroy"]
    counts = collections.Counter()
    errors = collections.Counter()
    violations = []
    finals = collections.defaultdict(collections.Counter)
    watched = collections.Counter()
    crcs = {}
    crc_conflicts = 0
    latencies = array.array("d")
    arrivals = array.array("d")
    lags = array.array("d")
    for r in results:
        counts.update(r["counts"])
        errors.update(r["errors"])
        violations += r["violations"]
        for op, seen in r["finals"].items():
            finals[op].update(seen)
        watched.update(r["watched"])
        for key, crc in r["crcs"].items():
            if crcs.setdefault(key, crc) != crc:
                crc_conflicts += 1
        latencies.frombytes(r["latencies"])
        arrivals.frombytes(r["arrivals"])
        lags.frombytes(r["lags"])

    result.injected(f"{args.rate:g} creates per minute for {args.minutes:g} min while {args.streams:,} WatchOperation "
                    f"streams are held open; {args.destroy_fraction:.0%} of the deployments that became READY destroyed")

    # The driver's own calls.
    result.check(not driver.errors, f"every create, destroy and wait call succeeded ({driver.counts['creates']:,} creates, "
                 f"{driver.counts['destroys']:,} destroys)", "; ".join(driver.errors[:5]) + f" ({len(driver.errors)} errors)")
    result.check(driver.unfinished_lifecycles == 0, "every create (and destroy) was followed to its end within the bound",
                 f"{driver.unfinished_lifecycles} still running after {args.op_timeout + 60:.0f} s")

    # Terminal states.
    got = driver.finals
    failed_get = [op for op in driver.operations if not isinstance(got.get(op), res.Operation)]
    not_succeeded = [op for op in driver.operations if isinstance(got.get(op), res.Operation)
                     and not (got[op].done and got[op].status == SUCCEEDED)]
    result.check(not failed_get and not not_succeeded,
                 f"every operation reached a terminal state, SUCCEEDED (nothing was set to fail): "
                 f"{len(creates):,} creates, {len(destroys):,} destroys",
                 f"GetOperation failed for {[(op, describe_error(got.get(op))) for op in failed_get[:3]]} "
                 f"({len(failed_get)}); not SUCCEEDED: "
                 + ", ".join(f"{op} {status_name(got[op].status)}" for op in not_succeeded[:3]) + f" ({len(not_succeeded)})")

    # Per-stream checks.
    streams = counts["streams"]
    result.check(counts["violations"] == 0 and not errors,
                 f"every watch stream began with a SNAPSHOT, then had one UPDATE per change with sequence +1 "
                 f"(none missed, none duplicated), heartbeats at the latest sequence, and ended OK right after "
                 f"the update that made the operation done ({streams:,} streams, {counts['updates']:,} updates)",
                 f"{counts['violations']} violations, stream errors {dict(errors)}; first: " + " | ".join(violations[:8]))
    mismatched = []
    for op, seen in finals.items():
        final = got.get(op)
        if not isinstance(final, res.Operation):
            continue
        for (sequence, status), n in seen.items():
            if (sequence, status) != (final.sequence, final.status):
                mismatched.append(f"{op}: {n} stream(s) ended at sequence {sequence} {status_name(status)}, "
                                  f"GetOperation says {final.sequence} {status_name(final.status)}")
    result.check(not mismatched, "the final state every stream saw equals GetOperation's (same sequence and status)",
                 "; ".join(mismatched[:5]) + f" ({len(mismatched)})")
    unwatched = [op for op in driver.operations if not finals.get(op)]
    result.check(not unwatched, f"every operation was watched to its end by at least one stream ({ops_total:,} operations)",
                 f"{len(unwatched)} not, e.g. {unwatched[:3]}")
    result.check(crc_conflicts == 0, f"every watcher of an operation received byte-identical UPDATE messages "
                 f"({len(crcs):,} distinct operation changes)", f"{crc_conflicts} changes differ between workers")
    result.check(len(latencies) == counts["updates"] and counts["updates"] > 0, "UPDATE events were delivered",
                 f"{counts['updates']} updates")

    # Figures.
    load_samples = [s for s in samples if args.ramp + 2 <= s[0] <= driver.load_end]
    opened = [s[1] for s in load_samples] or [0]
    gauges = [s[2]['onvera_watchers{kind="operation"}'] for s in load_samples
              if 'onvera_watchers{kind="operation"}' in s[2]] or [0]
    connections = [s[2]["onvera_open_connections"] for s in load_samples if "onvera_open_connections" in s[2]] or [0]
    result.figure("open streams min (from 2 s after the ramp-up to the last create)", min(opened), "streams")
    result.figure("open streams mean", round(sum(opened) / len(opened)), "streams")
    result.figure("open streams max", max(opened), "streams")
    result.figure("operation watchers the server counted, mean", round(sum(gauges) / len(gauges)), "streams")
    result.figure("client connections the server counted, mean", round(sum(connections) / len(connections)), "connections")
    # Creates acknowledged per minute, from the first request to the last acknowledgement.
    achieved = len(driver.create_acks) / (max(driver.create_acks, default=60) / 60)
    result.figure("creates achieved (first request to last acknowledgement)", round(achieved), "per minute")
    # Whether the load generator kept pace is a question of this machine's speed: checked in the
    # full run only (CI's short run on the debug server reports it).
    if not args.short:
        result.check(achieved >= 0.95 * args.rate and min(opened) >= 0.9 * args.streams,
                     f"the load was applied: at least 95% of {args.rate:g} creates per minute acknowledged and at least 90% "
                     f"of the {args.streams:,} streams open at every sample after the ramp-up",
                     f"{achieved:.0f} creates per minute; as few as {min(opened)} streams open")
    rss = server_cpu.rss
    if rss:
        per_sample = server_cpu.wall / len(rss)
        for share in (0.25, 0.5, 0.75, 1.0):
            at = min(len(rss) - 1, int((driver.load_end * share) / per_sample))
            result.figure(f"server RSS at {share:.0%} of the load", round(rss[at] / 1024, 1), "MiB")
    result.figure("server RSS once every stream had closed", round(driver.rss_after / 1024, 1), "MiB")
    when = "at the trimmer's last look, before the streams closed" if driver.heap_after.get("stale") else \
        "once every stream had closed"
    for state, what in (("in_use", "in use"), ("free", "freed and kept by the allocator")):
        value = driver.heap_after.get(f'onvera_heap_bytes{{state="{state}"}}')
        if value is not None:
            result.figure(f"server heap {what} {when}", round(value / 2**20, 1), "MiB")
    result.figure("destroys", driver.counts["destroys"], "operations")
    result.figure("watch streams opened in total", streams, "streams")
    result.figure("events delivered", counts["snapshots"] + counts["updates"] + counts["heartbeats"], "events")
    result.figure("UPDATE events delivered", counts["updates"], "events")
    result.figure("HEARTBEAT events delivered", counts["heartbeats"], "events")
    result.figure("events per second (mean over the run)",
                  round((counts["snapshots"] + counts["updates"] + counts["heartbeats"]) / max(driver.drain_end, 1)), "events/s")
    ms = [1000 * v for v in latencies]
    for name, p in (("p50", 50), ("p99", 99)):
        result.figure(f"UPDATE delivery latency {name}", round(percentile(ms, p) or 0, 1), "ms")
    result.figure("UPDATE delivery latency max", round(max(ms, default=0), 1), "ms")
    steady_from = driver.wall_start + args.ramp
    steady_to = driver.wall_start + driver.load_end
    steady = [1000 * v for v, at in zip(latencies, arrivals) if steady_from <= at <= steady_to]
    result.figure("UPDATE delivery latency p99 after ramp-up, while creates arrive",
                  round(percentile(steady, 99) or 0, 1), "ms")
    result.figure("watch opens refused by the per-key rate limit (retried)", counts["refused"], "opens")
    result.figure("CreateDeployment latency p99", round(1000 * (percentile(driver.create_latency, 99) or 0), 1), "ms")
    result.figures(server_cpu.figures("server"))
    client_cpu = sum(s.cpu for s in worker_cpu) + parent_cpu.cpu
    result.figure("client CPU (workers + driver)", round(100 * client_cpu / max(parent_cpu.wall, 1e-9), 1), "% of one core")
    for i, s in enumerate(worker_cpu):
        result.figure(f"client worker {i + 1} CPU", round(100 * s.cpu / max(s.wall, 1e-9), 1), "% of one core")
    lag_ms = [1000 * v for v in lags]
    result.figure("client event-loop lag p99", round(percentile(lag_ms, 99) or 0, 1), "ms")
    result.figure("client event-loop lag max", round(max(lag_ms, default=0), 1), "ms")
    if driver.counts["rate limited"]:
        result.note(f"{driver.counts['rate limited']} driver calls were refused by the per-key rate limit and retried")
    wall = max(parent_cpu.wall, 1e-9)
    worker_share = max((100 * s.cpu / max(s.wall, 1e-9) for s in worker_cpu), default=0)
    worker_wait = max((100 * w / wall for w in waits[2:]), default=0)
    server_wait = 100 * waits[0] / wall
    ours = server_cpu.cpu + client_cpu
    others = max(0.0, busy - ours)
    result.figure("server threads waiting for a CPU (run queue, summed over its threads)", round(server_wait, 1), "% of the run")
    result.figure("busiest client worker waiting for a CPU (run queue)", round(worker_wait, 1), "% of the run")
    result.figure("CPU used by other processes on the machine", round(100 * others / wall, 1), "% of one core")
    p99_lag = percentile(lag_ms, 99) or 0
    if worker_share > 80:
        verdict = "the client was the bottleneck (a worker used most of a core)"
    elif p99_lag > 100 and (worker_wait > 10 or others / wall > 0.3):
        verdict = ("the machine was oversubscribed (other processes ran too), so client and server waited for a CPU "
                   "and the latencies include that wait")
    elif p99_lag > 100:
        verdict = "the client fell behind"
    else:
        verdict = "the client kept up"
    result.note(f"{verdict}: busiest worker {worker_share:.0f}% of a core and {worker_wait:.0f}% of the run waiting "
                f"for a CPU, its event loop woke up {p99_lag:.0f} ms late at p99 (a 50 ms timer); server "
                f"{100 * server_cpu.cpu / wall:.0f}% of a core and {server_wait:.0f}% waiting; other processes "
                f"{100 * others / wall:.0f}% of a core; {os.cpu_count()} cores in all. Delivery latency runs from the "
                f"change's own timestamp (set before it is made durable) to its arrival in the client, so it includes "
                f"the store's fdatasync, the fan-out and any time queued in the client")
    if not counts["heartbeats"]:
        result.note("no HEARTBEAT was sent: every operation changed at least once per simulated step, well within the "
                    "server's 15 s heartbeat interval, so the heartbeat rule was checked on no event")
    result.note(f"{len(keys)} API keys of one organization spread the calls (the per-key rate limit is the server's default)")


if __name__ == "__main__":
    main()

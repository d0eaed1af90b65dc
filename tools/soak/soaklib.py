"""Shared pieces of the soak scenarios (tools/soak/*.py): the real onvera-server
as a child process, its memory and CPU, an fsynced acknowledgement log, and the
result file every scenario writes for `tools/soak --report`.

Every scenario is run as `python tools/soak/NAME.py --server BIN --out FILE
[--short] [--seed N] ...`, exits 0 only if every check held, and writes its
result (also when a check failed) with `Result.write`."""
import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, ".build", "py-onvera"))  # grpcio stubs from proto/


def arguments(description, add=None):
    """The common options (--server, --out, --short, --seed) plus the scenario's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--server", default=os.environ.get("ONVERA_SERVER_BIN",
                                                           os.path.join(ROOT, ".build/release/onvera-server")),
                        help="the onvera-server binary")
    parser.add_argument("--out", required=True, help="where to write the result (JSON)")
    parser.add_argument("--short", action="store_true", help="the short version run by tools/test")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="random seed (printed, for replay)")
    if add:
        add(parser)
    args = parser.parse_args()
    print(f"{os.path.basename(sys.argv[0])}: seed {args.seed}", flush=True)
    return args


def raise_fd_limit(want=65536):
    """Raises this process's open-file limit as far as the hard limit allows; returns it."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Server:
    """The real onvera-server on a free port. `wrapper` prefixes the command (e.g. fiu-run);
    `extra` appends arguments. Its output is kept in `output` (and in `log_path`)."""

    def __init__(self, binary, data_dir=None, step="100ms", extra=(), wrapper=(), env=None):
        self.binary = binary
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="onvera-soak-")
        self.step = step
        self.extra = list(extra)
        self.wrapper = list(wrapper)
        self.env = env
        self.process = None
        self.target = None
        self.metrics_url = None
        self.output = []
        self.exited = threading.Event()

    def command(self):
        return [*self.wrapper, self.binary, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
                "--sim-step-duration", self.step, *self.extra]

    def start(self, timeout=60, expect_ready=True):
        """Starts the server; waits (bounded) for its 'listening on' line unless told not to."""
        self.output = []
        self.target = None
        self.exited = threading.Event()
        env = dict(os.environ, **(self.env or {}))
        # The child inherits the raised open-file limit. No preexec_fn: that forces a fork()
        # of this multi-threaded process, which can hang in grpcio's fork handlers.
        raise_fd_limit()
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, errors="replace", env=env)
        ready = threading.Event()
        process = self.process
        exited = self.exited

        def pump():
            for line in process.stdout:
                self.output.append(line)
                match = re.match(r"onvera-server listening on (\S+) ", line)
                if match:
                    self.target = match.group(1)
                    ready.set()
                match = re.match(r"metrics on (\S+)", line)
                if match:
                    self.metrics_url = match.group(1)
            process.wait()
            exited.set()
            ready.set()
        threading.Thread(target=pump, daemon=True).start()
        if expect_ready:
            if not ready.wait(timeout) or self.target is None:
                self.process.kill()
                raise RuntimeError("onvera-server did not start:\n" + self.text())
        return self

    def text(self):
        return "".join(self.output)

    @property
    def pid(self):
        return self.process.pid

    @property
    def key(self):
        with open(os.path.join(self.data_dir, "bootstrap-api-key")) as f:
            return f.read().strip()

    @property
    def admin_key(self):
        with open(os.path.join(self.data_dir, "admin-api-key")) as f:
            return f.read().strip()

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        self.process.kill()
        self.process.wait()
        self.exited.wait(10)

    def stop(self, timeout=60):
        """SIGTERM, then waits for the exit; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout)
        self.exited.wait(10)
        return code

    def wait_exit(self, timeout):
        """Waits (bounded) for the server to exit by itself; returns its code or None."""
        if not self.exited.wait(timeout):
            return None
        return self.process.returncode

    def rss_kib(self):
        return proc_status(self.pid).get("VmRSS", 0)

    def peak_rss_kib(self):
        return proc_status(self.pid).get("VmHWM", 0)

    def cpu_seconds(self):
        return cpu_seconds(self.pid)


def proc_status(pid):
    """VmRSS, VmHWM, ... of /proc/PID/status in KiB (empty once the process is gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Vm"):
                    name, value = line.split(":", 1)
                    out[name] = int(value.split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


class Sampler:
    """Samples a process's RSS and CPU on a background thread (a measurement, not a
    synchronisation): peak and mean RSS, CPU as a share of one core."""

    def __init__(self, pid, interval=0.25):
        self.pid = pid
        self.interval = interval
        self.rss = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.start_cpu = cpu_seconds(self.pid)
        self.start_time = time.monotonic()
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            rss = proc_status(self.pid).get("VmRSS")
            if rss:
                self.rss.append(rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu = cpu_seconds(self.pid) - self.start_cpu
        self.wall = time.monotonic() - self.start_time

    def figures(self, prefix="server"):
        rss = self.rss or [0]
        return {
            f"{prefix} peak RSS": (round(max(rss) / 1024, 1), "MiB"),
            f"{prefix} mean RSS": (round(sum(rss) / len(rss) / 1024, 1), "MiB"),
            f"{prefix} CPU": (round(100 * self.cpu / max(self.wall, 1e-9), 1), "% of one core"),
        }


class AckLog:
    """The parent's own record of acknowledged responses: one JSON object per line, flushed
    and fsynced before `append` returns, so a crash of anything but this process loses none."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8")

    def append(self, entry):
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.lock:
            self.file.write(line)
            self.file.flush()
            os.fsync(self.file.fileno())

    def entries(self):
        with open(self.path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def close(self):
        self.file.close()


def percentile(values, p):
    """The p-th percentile (0-100) by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(p / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


class Result:
    """What a scenario reports: parameters, what was injected, the checks that held or
    failed, and figures. `write` stores it as JSON for `tools/soak --report`."""

    def __init__(self, scenario, title, args):
        self.data = {
            "scenario": scenario, "title": title, "mode": "short" if args.short else "full",
            "seed": args.seed, "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "parameters": {}, "injected": [], "held": [], "failures": [],
            "figures": {}, "notes": [],
        }
        self.out = args.out
        self.t0 = time.monotonic()

    def param(self, name, value):
        self.data["parameters"][name] = value

    def injected(self, text):
        self.data["injected"].append(text)

    def check(self, condition, text, detail=""):
        """Records a check: `text` says what holds; `detail` says what was seen if it does not."""
        if condition:
            self.data["held"].append(text)
        else:
            self.data["failures"].append(f"{text}: NOT HELD{': ' + detail if detail else ''}")
            print(f"FAILED: {text} {detail}", file=sys.stderr, flush=True)
        return condition

    def figure(self, name, value, unit=""):
        self.data["figures"][name] = [value, unit]

    def figures(self, mapping):
        for name, (value, unit) in mapping.items():
            self.figure(name, value, unit)

    def note(self, text):
        self.data["notes"].append(text)

    @property
    def ok(self):
        return not self.data["failures"]

    def write(self):
        self.data["duration_s"] = round(time.monotonic() - self.t0, 1)
        self.data["ok"] = self.ok
        os.makedirs(os.path.dirname(os.path.abspath(self.out)), exist_ok=True)
        with open(self.out, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=2, sort_keys=True)
            f.write("\n")
        status = "all checks held" if self.ok else f"{len(self.data['failures'])} check(s) failed"
        print(f"{self.data['scenario']}: {status} in {self.data['duration_s']} s; result in {self.out}", flush=True)
        return 0 if self.ok else 1


def machine():
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
    except OSError:
        load = "?"
    return {"cpus": os.cpu_count(), "load_at_start": load,
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def wait_until(predicate, timeout, what, poll=0.05):
    """Polls `predicate` until true or `timeout` seconds passed (bounded; for external state
    with no event to wait on, such as another process's files); raises TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)

"""Starts the real onvera-server for tests: a free port, a temporary data
directory, and the keys it created."""
import os
import re
import subprocess
import tempfile
import threading
import time


class Server:
    def __init__(self, binary, data_dir=None, step="100ms", extra=()):
        self.binary = binary
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="onvera-e2e-")
        self.step = step
        self.extra = list(extra)
        self.process = None
        self.target = None
        self.output = []

    def start(self, timeout=60):
        self.output = []
        self.process = subprocess.Popen(
            [self.binary, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
             "--sim-step-duration", self.step, *self.extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                match = re.match(r"onvera-server listening on (\S+) ", line)
                if match:
                    self.target = match.group(1)
                    ready.set()
        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout):
            self.process.kill()
            raise RuntimeError("onvera-server did not start:\n" + "".join(self.output))
        return self

    @property
    def key(self):
        with open(os.path.join(self.data_dir, "bootstrap-api-key")) as f:
            return f.read().strip()

    @property
    def admin_key(self):
        with open(os.path.join(self.data_dir, "admin-api-key")) as f:
            return f.read().strip()

    def kill9(self):
        self.process.kill()
        self.process.wait()

    def stop(self, timeout=30):
        """SIGTERM, then waits for a clean exit; returns the exit code."""
        self.process.terminate()
        return self.process.wait(timeout)

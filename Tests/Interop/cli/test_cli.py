"""The onvera CLI against real onvera-server processes on free ports.

Run by tools/test.d/50-cli.sh with ONVERA_BIN and ONVERA_SERVER_BIN set.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CLI = os.environ["ONVERA_BIN"]
SERVER = os.environ["ONVERA_SERVER_BIN"]
ECHO = os.environ.get("ONVERA_ECHO_BIN", "")
STATUS_LINE = re.compile(r"^Status: [a-z_]+ - .+ \(\d+(s|m\d\ds|h\d\dm) elapsed\)$")
passed = 0
failed = []


def check(name, condition, detail=""):
    global passed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed.append(name)
        print(f"FAIL {name}: {detail}")


class Server:
    """One onvera-server process on its own data directory."""

    def __init__(self, step="100ms", extra=(), port=0, data=None):
        self.data = data or tempfile.mkdtemp(prefix="onvera-cli-")
        self.log = open(os.path.join(self.data, "server.log"), "ab")
        args = [SERVER, "--listen", f"127.0.0.1:{port}", "--data-dir", self.data, "--sim-step-duration", step, *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.address = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("onvera-server exited before listening")
            m = re.match(r"onvera-server listening on (\S+) ", line)
            if m:
                self.address = m.group(1)
                break
        if self.address is None:
            raise RuntimeError("onvera-server did not start")
        self.key = open(os.path.join(self.data, "bootstrap-api-key")).read().strip()
        self.port = int(self.address.rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        self.proc.stdout.close()


def env_for(config_home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONVERA_")}
    env["XDG_CONFIG_HOME"] = config_home
    env.update(extra)
    return env


def run(args, env, input=None, timeout=120):
    return subprocess.run([CLI, *args], env=env, input=input, capture_output=True, text=True, timeout=timeout)


def follow_lines(stdout):
    return [l for l in stdout.splitlines() if l.startswith("Status: ")]


def start_cli(args, env):
    return subprocess.Popen([CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(stream, predicate, limit=60):
    """Reads lines until one satisfies predicate; returns (lines, matched). Bounded by the pipe closing."""
    lines = []
    while True:
        line = stream.readline()
        if not line:
            return lines, False
        lines.append(line.rstrip("\n"))
        if predicate(line):
            return lines, True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    home = tempfile.mkdtemp(prefix="onvera-cli-home-")
    server = Server()
    env = env_for(home)
    try:
        basics(server, env, home)
        deploys(server, env)
        destroys(server, env)
        json_output(server, env)
        org_commands(server, env)
        errors(server, env, home)
        watch(server, env)
    finally:
        server.stop()
    failure_path(home)
    interrupt(home)
    restart(home)
    tmux(home)
    tls(home)
    shutil.rmtree(home, ignore_errors=True)
    print(f"{passed} passed, {len(failed)} failed")
    if failed:
        print("failed: " + ", ".join(failed))
        sys.exit(1)


def basics(server, env, home):
    r = run(["list"], env)
    check("no key: exit 1", r.returncode == 1, r)
    check("no key: message", "not authenticated. Run 'onvera auth login' first" in r.stderr, r.stderr)
    r = run(["auth", "login", "--server", server.address, "--key", server.key], env)
    check("login with --key", r.returncode == 0 and "Logged in" in r.stdout, r)
    path = os.path.join(home, "onvera", "config.json")
    check("config mode 0600", oct(os.stat(path).st_mode & 0o777) == "0o600", oct(os.stat(path).st_mode))
    stored = json.load(open(path))
    check("config content", stored == {"server": server.address, "api_key": server.key}, stored)
    r = run(["auth", "status"], env)
    check("auth status", r.returncode == 0 and server.address in r.stdout and "default" in r.stdout, r)
    r = run(["auth", "logout"], env)
    check("logout says not revoked", r.returncode == 0 and "not revoked" in r.stdout and not os.path.exists(path), r)
    r = run(["auth", "login", "--server", server.address], env, input=server.key + "\n")
    check("login with key on stdin", r.returncode == 0 and os.path.exists(path), r)
    check("config still 0600 after rewrite", os.stat(path).st_mode & 0o777 == 0o600)


def deploys(server, env):
    for app in ("airflow", "superset"):
        r = run(["deploy", app, "--name", f"cli {app}"], env)
        lines = follow_lines(r.stdout)
        out = r.stdout.splitlines()
        check(f"deploy {app}: exit 0", r.returncode == 0, r)
        check(f"deploy {app}: ids first", out[0].startswith("Deployment ID: dep_") and out[1].startswith("Operation ID: op_"), out[:2])
        check(f"deploy {app}: status lines", len(lines) >= 5 and all(STATUS_LINE.match(l) for l in lines), lines)
        check(f"deploy {app}: no repeated line", len(lines) == len(set(lines)), lines)
        check(f"deploy {app}: URL at the end", re.match(r"^URL: https://cli-" + app + r"-\w+\.", out[-1]) is not None, out[-1])
        check(f"deploy {app}: no escape codes in a pipe", "\x1b" not in r.stdout)
    airflow = run(["deploy", "airflow", "--detach"], env)
    check("deploy --detach returns at once", airflow.returncode == 0 and not follow_lines(airflow.stdout), airflow)
    rid = "0b9d3f5e-2c1a-4e7f-8a6b-1c2d3e4f5a6b"
    a = run(["deploy", "superset", "--request-id", rid, "--detach"], env)
    b = run(["deploy", "superset", "--request-id", rid, "--detach"], env)
    check("same request id: same deployment", a.stdout.splitlines()[0] == b.stdout.splitlines()[0], (a.stdout, b.stdout))
    r = run(["list"], env)
    header = r.stdout.splitlines()[0].split()
    check("list table header", header == ["ID", "NAME", "APP", "STATUS", "URL", "AGE"], header)
    check("list shows the deployments", r.stdout.count("dep_") >= 4, r.stdout)
    r = run(["list", "--app-type", "airflow"], env)
    check("list --app-type filters", "superset" not in r.stdout and "airflow" in r.stdout, r.stdout)
    dep = a.stdout.splitlines()[0].split()[-1]
    r = run(["get", dep], env)
    check("get", r.returncode == 0 and dep in r.stdout and "superset" in r.stdout, r)


def destroys(server, env):
    r = run(["deploy", "airflow", "--name", "to-destroy"], env)
    dep = r.stdout.splitlines()[0].split()[-1]
    r = run(["destroy", dep], env, input="n\n")
    check("destroy answered n: prompt", f"Are you sure you want to destroy deployment {dep}? (y/N): " in r.stderr, r.stderr)
    check("destroy answered n: nothing happens", r.returncode == 0 and "Destroying" not in r.stdout, r)
    check("destroy answered n: still ready", "ready" in run(["get", dep], env).stdout)
    r = run(["destroy", dep], env, input="y\n")
    out = r.stdout.splitlines()
    check("destroy answered y: exit 0", r.returncode == 0, r)
    check("destroy answered y: lines", out[0] == f"Destroying deployment {dep}..." and out[1].startswith("Operation ID: op_")
          and out[-1] == "Destruction succeeded!" and len(follow_lines(r.stdout)) >= 2, out)
    r = run(["list"], env)
    check("destroyed hidden from list", dep not in r.stdout)
    check("list --all shows destroyed", dep in run(["list", "--all"], env).stdout)
    r = run(["deploy", "superset", "--detach"], env)
    dep2 = r.stdout.splitlines()[0].split()[-1]
    op2 = r.stdout.splitlines()[1].split()[-1]
    run(["ops", "wait", op2], env)
    r = run(["destroy", dep2, "--force"], env)
    check("destroy --force asks nothing", r.returncode == 0 and "Are you sure" not in r.stderr and "Destruction succeeded!" in r.stdout, r)


def json_output(server, env):
    r = run(["deploy", "superset", "--output", "json"], env)
    objects = [json.loads(l) for l in r.stdout.splitlines()]
    check("deploy json: every line an object", r.returncode == 0 and len(objects) >= 3, r)
    check("deploy json: response first", objects[0]["deploymentId"].startswith("dep_") and objects[0]["operationId"].startswith("op_"), objects[0])
    check("deploy json: operations follow", all(o.get("id", "").startswith("op_") for o in objects[1:-1]), objects[1:-1])
    check("deploy json: deployment last", objects[-1]["status"] == "DEPLOYMENT_STATUS_READY" and objects[-1]["url"].startswith("https://"), objects[-1])
    dep = objects[0]["deploymentId"]
    g = json.loads(run(["get", dep, "-o", "json"], env).stdout)
    check("get json", g["id"] == dep and g["appType"] == "APP_TYPE_SUPERSET" and g["createTime"].endswith("Z"), g)
    l = json.loads(run(["list", "-o", "json"], env).stdout)
    check("list json", any(d["id"] == dep for d in l["deployments"]), l)
    ops = json.loads(run(["ops", "list", "-o", "json", "--resource", dep], env).stdout)
    check("ops list json", len(ops["operations"]) == 1 and ops["operations"][0]["type"] == "OPERATION_TYPE_DEPLOYMENT_CREATE", ops)
    op = ops["operations"][0]["id"]
    o = json.loads(run(["ops", "get", op, "-o", "json"], env).stdout)
    check("ops get json", o["status"] == "OPERATION_STATUS_SUCCEEDED" and o["done"] is True, o)
    e = json.loads(run(["envs", "list", "-o", "json"], env).stdout)
    check("envs list json", e["environments"][0]["id"] == "env_default", e)
    s = json.loads(run(["auth", "status", "-o", "json"], env).stdout)
    check("auth status json", s["id"].startswith("org_"), s)


def org_commands(server, env):
    r = run(["envs", "list"], env)
    check("envs list", "env_default" in r.stdout and "Default" in r.stdout, r)
    r = run(["members", "add", "ana@example.com", "--role", "admin", "-o", "json"], env)
    check("members add", r.returncode == 0, r)
    member = json.loads(r.stdout)
    uid = member["member"]["userId"]
    r = run(["members", "list"], env)
    check("members list", "ana@example.com" in r.stdout and "admin" in r.stdout, r)
    r = run(["members", "remove", uid], env)
    check("members remove", r.returncode == 0 and uid in r.stdout, r)
    r = run(["keys", "create", "ci", "--scope", "deployments:read", "--expires", "30d", "-o", "json"], env)
    created = json.loads(r.stdout)
    check("keys create", created["secret"].startswith("onv_sk_live_") and created["apiKey"]["scopes"] == ["deployments:read"], created)
    kid = created["apiKey"]["id"]
    reader = dict(env, ONVERA_API_KEY=created["secret"])
    check("read-only key can list", run(["list"], reader).returncode == 0)
    r = run(["deploy", "airflow", "--verbose"], reader)
    check("read-only key cannot deploy: API error exit 1", r.returncode == 1 and r.stderr.startswith("API error: "), r)
    check("--verbose shows the reason", "INSUFFICIENT_SCOPE" in r.stderr, r.stderr)
    r = run(["keys", "list"], env)
    check("keys list", kid in r.stdout and "active" in r.stdout, r)
    r = run(["keys", "revoke", kid], env)
    check("keys revoke", r.returncode == 0 and kid in r.stdout, r)
    check("revoked key refused", run(["list"], reader).returncode == 1)
    r = run(["deploy", "airflow", "--detach"], env)
    op = r.stdout.splitlines()[1].split()[-1]
    r = run(["ops", "cancel", op], env)
    check("ops cancel", r.returncode == 0 and "Cancellation requested" in r.stdout, r)
    r = run(["ops", "wait", op, "--timeout", "60s"], env)
    check("ops wait on a canceled op: exit 3", r.returncode == 3 and "canceled" in r.stdout, r)
    r = run(["ops", "watch", op], env)
    check("ops watch of a canceled op: exit 3", r.returncode == 3, r)


def errors(server, env, home):
    r = run(["get", "dep_00000000-0000-0000-0000-000000000000"], env)
    check("unknown deployment: exit 1", r.returncode == 1 and r.stderr.startswith("API error: "), r)
    check("no reason without --verbose", "DEPLOYMENT_NOT_FOUND" not in r.stderr, r.stderr)
    r = run(["get", "dep_00000000-0000-0000-0000-000000000000", "--verbose"], env)
    check("reason with --verbose", "DEPLOYMENT_NOT_FOUND" in r.stderr, r.stderr)
    r = run(["deploy", "spark"], env)
    check("usage error: exit 2", r.returncode == 2, r)
    dead = f"127.0.0.1:{free_port()}"
    r = run(["list", "--server", dead], env)
    check("unreachable: exit 4", r.returncode == 4, r)
    check("unreachable names the address", dead in r.stderr, r.stderr)
    r = run(["list"], dict(env, ONVERA_SERVER=dead))
    check("ONVERA_SERVER overrides the config", r.returncode == 4 and dead in r.stderr, r)
    r = run(["list", "--server", server.address], dict(env, ONVERA_SERVER=dead))
    check("--server overrides ONVERA_SERVER", r.returncode == 0, r)
    r = run(["list"], dict(env, ONVERA_API_KEY="onv_sk_live_wrong"))
    check("ONVERA_API_KEY overrides the config", r.returncode == 1 and "API error" in r.stderr, r)
    r = run(["list", "--api-key", server.key], dict(env, ONVERA_API_KEY="onv_sk_live_wrong"))
    check("--api-key overrides ONVERA_API_KEY", r.returncode == 0, r)
    r = run(["list", "--tls"], env)
    check("--tls against an h2c server: exit 4 naming the address", r.returncode == 4 and f"https://{server.address}" in r.stderr, r)
    r = run(["list", "--server", "https://" + server.address], env)
    check("https:// address speaks TLS", r.returncode == 4 and f"https://{server.address}" in r.stderr, r)
    r = run(["list", "--ca-cert", "/nonexistent/ca.pem"], env)
    check("--ca-cert missing file: usage error", r.returncode == 2, r)
    r = run(["--version"], env)
    check("--version", r.returncode == 0 and "onvera" in r.stdout, r)


def watch(server, env):
    proc = start_cli(["watch"], env)
    _, synced = read_until(proc.stdout, lambda l: "synced" in l)
    check("watch: initial listing then synced", synced)
    d = run(["deploy", "airflow", "--detach", "--name", "watched"], env)
    dep = d.stdout.splitlines()[0].split()[-1]
    lines, seen = read_until(proc.stdout, lambda l: dep in l and " ready " in f" {l} ")
    check("watch: live changes until ready", seen, lines)
    proc.send_signal(signal.SIGINT)
    check("watch: Ctrl+C ends it with 0", proc.wait(timeout=30) == 0)
    proc.stdout.close()
    proc.stderr.close()


def failure_path(home):
    server = Server(extra=["--sim-fail", "database_provisioning"])
    try:
        env = env_for(home, ONVERA_SERVER=server.address, ONVERA_API_KEY=server.key)
        r = run(["deploy", "superset"], env)
        check("failed deploy: exit 3", r.returncode == 3, r)
        check("failed deploy: reason and message", "DATABASE_PROVISIONING" in r.stderr and "failed" in r.stderr, r.stderr)
        check("failed deploy: no URL", "URL:" not in r.stdout, r.stdout)
        r = run(["deploy", "airflow", "-o", "json"], env)
        last = json.loads(r.stdout.splitlines()[-1])
        check("failed deploy json: last op failed", r.returncode == 3 and last["status"] == "OPERATION_STATUS_FAILED", last)
    finally:
        server.stop()


def interrupt(home):
    server = Server(step="1s")
    try:
        env = env_for(home, ONVERA_SERVER=server.address, ONVERA_API_KEY=server.key)
        proc = start_cli(["deploy", "airflow"], env)
        lines, got = read_until(proc.stdout, lambda l: l.startswith("Status: "))
        op = next(l.split()[-1] for l in lines if l.startswith("Operation ID: "))
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        check("Ctrl+C: exit 130", code == 130, code)
        check("Ctrl+C: resume hint", f"onvera ops watch {op}" in err, err)
        r = run(["ops", "watch", op], env)
        check("resumed follow finishes", r.returncode == 0 and "succeeded" in r.stdout, r)
    finally:
        server.stop()


def restart(home):
    server = Server(step="400ms")
    env = env_for(home, ONVERA_SERVER=server.address, ONVERA_API_KEY=server.key)
    proc = start_cli(["deploy", "airflow"], env)
    lines, _ = read_until(proc.stdout, lambda l: "database_provisioning" in l)
    server.stop(signal.SIGKILL)
    time.sleep(0.5)  # the server stays down for a moment while the CLI retries; not synchronisation
    server = Server(step="400ms", port=server.port, data=server.data)
    try:
        rest = proc.stdout.read()
        code = proc.wait(timeout=120)
        proc.stdout.close()
        proc.stderr.close()
        all_lines = lines + rest.splitlines()
        status = follow_lines("\n".join(all_lines))
        check("restart: follow finishes", code == 0 and all_lines[-1].startswith("URL: https://"), all_lines)
        check("restart: no repeated line", len(status) == len(set(status)), status)
        check("restart: every phase seen", all(any(p in l for l in status) for p in
              ("initialization", "database_provisioning", "infrastructure_provisioning", "application_bootstrap", "subdomain_configuration")), status)
    finally:
        server.stop()


def tmux(home):
    if shutil.which("tmux") is None:
        check("tmux available", False, "apt tmux missing")
        return
    server = Server(step="300ms")
    sock = os.path.join(home, "tmux.sock")
    try:
        env = env_for(home, ONVERA_SERVER=server.address, ONVERA_API_KEY=server.key, TERM="xterm-256color")
        done = os.path.join(home, "tmux-done")
        cmd = f"{CLI} deploy superset --name tmux; echo exit=$? > {done}"
        subprocess.run(["tmux", "-S", sock, "new-session", "-d", "-x", "120", "-y", "40", cmd], env=env, check=True)
        subprocess.run(["tmux", "-S", sock, "set-option", "-t", "0", "remain-on-exit", "on"], env=env, check=True)
        spinner_seen = False
        deadline = time.monotonic() + 60
        while not os.path.exists(done) and time.monotonic() < deadline:
            pane = subprocess.run(["tmux", "-S", sock, "capture-pane", "-p", "-t", "0"], env=env, capture_output=True, text=True).stdout
            if re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \w+: ", pane):
                spinner_seen = True
            time.sleep(0.1)  # sampling the screen, not synchronisation
        pane = subprocess.run(["tmux", "-S", sock, "capture-pane", "-p", "-S", "-", "-t", "0"], env=env, capture_output=True, text=True).stdout
        print("--- tmux capture-pane after the deploy ---\n" + pane.rstrip() + "\n---")
        check("tmux: spinner with the current step while following", spinner_seen)
        check("tmux: exit 0", open(done).read().strip() == "exit=0" if os.path.exists(done) else False)
        lines = [l.rstrip() for l in pane.splitlines() if l.strip() and not l.startswith("Pane is dead")]
        check("tmux: ids first", lines and lines[0].startswith("Deployment ID: dep_") and lines[1].startswith("Operation ID: op_"), lines[:2])
        check("tmux: ends cleanly with the URL", lines and lines[-1].startswith("URL: https://tmux-"), lines[-3:])
        check("tmux: no spinner left on screen", not re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]", pane), pane)
        check("tmux: status lines intact", all(STATUS_LINE.match(l) for l in lines if l.startswith("Status:")) and
              sum(l.startswith("Status:") for l in lines) >= 5, lines)
    finally:
        subprocess.run(["tmux", "-S", sock, "kill-server"], capture_output=True)
        server.stop()


def tls(home):
    """TLS to a server on our transport (onvera-echo: it answers Onvera calls with UNIMPLEMENTED, which
    proves the handshake and HTTP/2 worked); onvera-server itself has no TLS flags yet."""
    if not ECHO or not os.path.exists(ECHO):
        check("tls: onvera-echo built", False, ECHO)
        return
    d = tempfile.mkdtemp(prefix="onvera-cli-tls-")
    ca, ca_key, cert, key, csr = (os.path.join(d, n) for n in ("ca.pem", "ca.key", "cert.pem", "cert.key", "cert.csr"))
    ext = os.path.join(d, "ext.cnf")
    open(ext, "w").write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    quiet = dict(check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca,
                    "-days", "1", "-subj", "/CN=onvera test CA"], **quiet)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"], **quiet)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
                    "-days", "1", "-extfile", ext], **quiet)
    echo = subprocess.Popen([ECHO, "--port", "0", "--tls-cert", cert, "--tls-key", key], stdout=subprocess.PIPE, text=True)
    try:
        lines, ok = read_until(echo.stdout, lambda l: "listening on" in l)
        address = lines[-1].split("listening on ")[1].split()[0]
        env = env_for(home, ONVERA_API_KEY="onv_sk_live_x")
        r = run(["list", "--server", "https://" + address, "--ca-cert", ca], env)
        check("tls: handshake with --ca-cert reaches the server", r.returncode == 1 and "API error" in r.stderr, r)
        r = run(["list", "--server", "https://" + address], env)
        check("tls: an untrusted certificate is refused (exit 4)", r.returncode == 4 and f"https://{address}" in r.stderr, r)
    finally:
        echo.terminate()
        echo.wait(timeout=30)
        echo.stdout.close()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Hostile input against the real onvera-server: random and mutated protobuf bodies to
every RPC, oversized messages and headers, thousands of idle connections, slowloris
clients, streams that are never read, rapid reset, and a flood of unauthenticated calls.

A fixed well-behaved workload (its own API key) is measured on the quiet server, then
while each attack runs, then while all run together (twice, to see that memory does not
grow from one round to the next). Each attack runs in its own process, so the attackers'
Python work does not hold the well-behaved client's interpreter lock.

    python tools/soak/hostile.py --server BIN --out FILE [--short] [--seed N]
"""
import json
import multiprocessing
import os
import random
import select
import shutil
import subprocess
import sys
import threading
import time
import traceback

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")  # grpcio logs every GOAWAY it receives otherwise
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import soaklib  # noqa: E402  (puts the stubs on sys.path)

import grpc  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402

TIMEOUT = 30
# Statuses a hostile request may get; anything else (INTERNAL, UNKNOWN, UNAVAILABLE...) is a failure.
NORMAL = {"OK", "INVALID_ARGUMENT", "NOT_FOUND", "FAILED_PRECONDITION", "ALREADY_EXISTS", "PERMISSION_DENIED",
          "RESOURCE_EXHAUSTED", "ABORTED", "OUT_OF_RANGE"}
# Calls that legitimately run until their deadline with a valid request.
LONG_CALLS = {"WatchDeployments", "WatchOperation", "WaitOperation", "Watch", "ServerReflectionInfo"}


# ----------------------------------------------------------------------------------------------
# Every RPC, from the descriptors


def every_method():
    """(path, method name, input message class, server streaming, client streaming) of every
    method of the API, health and reflection."""
    from google.protobuf import message_factory
    from grpc_reflection.v1alpha import reflection_pb2
    from onvera.v1 import deployments_pb2, environments_pb2, operations_pb2, organizations_pb2
    out = []
    for module in (deployments_pb2, environments_pb2, operations_pb2, organizations_pb2, health_pb2, reflection_pb2):
        for service in module.DESCRIPTOR.services_by_name.values():
            for m in service.methods:
                out.append((f"/{service.full_name}/{m.name}", m.name, message_factory.GetMessageClass(m.input_type),
                            m.server_streaming, m.client_streaming))
    # grpc.reflection.v1 has the same messages as v1alpha.
    for path, name, cls, ss, cs in list(out):
        if path.startswith("/grpc.reflection.v1alpha."):
            out.append((path.replace("v1alpha", "v1"), name, cls, ss, cs))
    return out


def random_value_message(cls, rng, strings, depth=0):
    """A request with fields filled from plausible and implausible values."""
    from google.protobuf.descriptor import FieldDescriptor as F
    msg = cls()
    for field in cls.DESCRIPTOR.fields:
        if rng.random() < 0.3:
            continue
        repeated = getattr(field, "is_repeated", None)
        repeated = repeated if repeated is not None else field.label == F.LABEL_REPEATED
        count = rng.randint(1, 3) if repeated else 1
        for _ in range(count):
            t = field.type
            if t == F.TYPE_STRING:
                v = rng.choice(strings)
            elif t == F.TYPE_BYTES:
                v = rng.randbytes(rng.randint(0, 20))
            elif t == F.TYPE_BOOL:
                v = rng.random() < 0.5
            elif t == F.TYPE_ENUM:
                v = rng.choice([0, 1, 2, 3, 5, 99, -1])
            elif t in (F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32):
                v = rng.choice([0, 1, 10, 100, 1000, -1, 2**31 - 1, -2**31])
            elif t in (F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64):
                v = rng.choice([0, 1, 10, -1, 2**63 - 1, -2**63, 315537897600])
            elif t in (F.TYPE_UINT32, F.TYPE_FIXED32):
                v = rng.choice([0, 1, 2**32 - 1])
            elif t in (F.TYPE_UINT64, F.TYPE_FIXED64):
                v = rng.choice([0, 1, 3, 2**64 - 1])
            elif t in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
                v = rng.choice([0.0, 1.5, -1.0, float("inf")])
            elif t == F.TYPE_MESSAGE:
                if depth > 3 or field.message_type.GetOptions().map_entry:
                    continue
                from google.protobuf import message_factory
                sub = random_value_message(message_factory.GetMessageClass(field.message_type), rng, strings,
                                           depth + 1)
                if repeated:
                    getattr(msg, field.name).add().CopyFrom(sub)
                else:
                    getattr(msg, field.name).CopyFrom(sub)
                continue
            else:
                continue
            try:
                if repeated:
                    getattr(msg, field.name).append(v)
                else:
                    setattr(msg, field.name, v)
            except (ValueError, TypeError):
                pass
    return msg


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def hostile_body(rng, valid, kind=None):
    """One hostile body: random bytes or a mutation of a valid encoded request. Returns (kind, bytes)."""
    kinds = ["random", "bitflip", "truncate", "insert", "delete", "duplicate", "huge_varint", "overlong_varint",
             "bad_length", "deep_groups", "deep_nesting", "unbalanced_group", "invalid_utf8", "bad_wire_type",
             "field_zero", "huge_field_number", "valid"]
    kind = kind or rng.choice(kinds)
    b = bytearray(valid)
    if kind == "random":
        return kind, rng.randbytes(rng.choice([1, 2, 5, 16, 100, 1000, 10000]))
    if kind == "bitflip" and b:
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return kind, bytes(b)
    if kind == "truncate" and b:
        return kind, bytes(b[:rng.randrange(len(b))])
    if kind == "insert":
        i = rng.randint(0, len(b))
        return kind, bytes(b[:i] + rng.randbytes(rng.randint(1, 50)) + b[i:])
    if kind == "delete" and b:
        i = rng.randrange(len(b))
        return kind, bytes(b[:i] + b[i + rng.randint(1, 10):])
    if kind == "duplicate" and b:
        i = rng.randrange(len(b))
        return kind, bytes(b[:i] + b[i:] + b[i:])
    if kind == "huge_varint":  # field 1 varint of 10 bytes (max), or a length of 2^63
        return kind, rng.choice([b"\x08" + b"\xff" * 9 + b"\x01", b"\x0a" + b"\xff" * 9 + b"\x7f",
                                 b"\x12" + b"\xff\xff\xff\xff\x0f" + b"x"]) + bytes(b)
    if kind == "overlong_varint":  # 11+ byte varints never end properly
        return kind, b"\x08" + b"\x80" * rng.choice([10, 11, 20, 1000]) + b"\x00"
    if kind == "bad_length":  # a length-delimited field longer than what follows
        return kind, bytes(b) + b"\x12" + varint(rng.choice([5, 1000, 2**31, 2**32 + 5])) + b"abc"
    if kind == "deep_groups":  # start-group tags nested very deep (an unknown field), closed or not
        depth = rng.choice([100, 10000, 100000, 1000000])
        close = rng.random() < 0.5
        return kind, bytes(b) + b"\xfb\x07" * depth + (b"\xfc\x07" * depth if close else b"")
    if kind == "deep_nesting":  # an unknown length-delimited field containing itself, deep
        inner = b""
        for _ in range(rng.choice([100, 1000, 3000])):
            inner = b"\xfa\x07" + varint(len(inner)) + inner
        return kind, bytes(b) + inner
    if kind == "unbalanced_group":
        return kind, bytes(b) + rng.choice([b"\xfc\x07", b"\xfb\x07\xfc\x08", b"\x0b\x0c\x0c"])
    if kind == "invalid_utf8":  # in the first string field of most requests (field 1 or 2)
        bad = rng.choice([b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"abc\x80", b"\xf4\x90\x80\x80", b"\xe2\x82"])
        field = rng.choice([1, 2, 3])
        return kind, bytes(b) + bytes([(field << 3) | 2]) + varint(len(bad)) + bad
    if kind == "bad_wire_type":
        return kind, bytes(b) + bytes([(1 << 3) | rng.choice([6, 7])]) + b"\x01\x02"
    if kind == "field_zero":
        return kind, b"\x00\x01" + bytes(b)
    if kind == "huge_field_number":
        return kind, bytes(b) + varint((2**29 - 1) << 3) + b"\x01" + varint(2**32 << 3) + b"\x01"
    return "valid", bytes(b)


# ----------------------------------------------------------------------------------------------
# The attacks; each runs in its own (spawned) process: attack(ctx) -> dict


def code_name(error):
    try:
        return error.code().name
    except Exception:  # noqa: BLE001
        return "EXCEPTION"


def attack_fuzz(ctx):
    """Random and mutated bodies to every RPC through grpcio generic calls, with valid keys
    (each key paced under the per-key rate limit). Counts statuses per method."""
    from concurrent.futures import ThreadPoolExecutor
    methods = every_method()
    strings = ["", "x", "dep_" + "0" * 8, "not an id", "\u00e9\u4e2d\U0001F600", "a" * 64, "a" * 5000,
               "env_default", "default", "me@example.com", "deployments:read", "nope:scope",
               *ctx["ids"], *(i + "x" for i in ctx["ids"])]
    keys = ctx["fuzz_keys"]
    stop_at = time.monotonic() + ctx["duration"]
    limit = ctx["fuzz_calls"]
    per_key_rate = 40.0
    counts, bad, kinds = {}, [], {}
    lock = threading.Lock()
    channels = [grpc.insecure_channel(ctx["target"], options=[("grpc.max_receive_message_length", 64 << 20)])
                for _ in range(2)]

    def build(i):
        # Each call's body comes from its own generator (seed, i): reproducible, built when sent.
        r = random.Random(f"{ctx['seed']}-{i}")
        path, name, cls, server_streaming, client_streaming = methods[i % len(methods)]
        valid = random_value_message(cls, r, strings).SerializeToString()
        kind, body = hostile_body(r, valid)
        return path, name, server_streaming, client_streaming, kind, body, keys[i % len(keys)]

    def one(i):
        path, name, server_streaming, client_streaming, kind, body, key = build(i)
        ch = channels[i % len(channels)]
        md = (("x-api-key", key),)
        timeout = 3 if name in LONG_CALLS else TIMEOUT
        try:
            if client_streaming:
                call = ch.stream_stream(path, request_serializer=None, response_deserializer=None)
                it = call(iter([body]), metadata=md, timeout=timeout)
                next(it, None)
                it.cancel()
                code = "OK"
            elif server_streaming:
                call = ch.unary_stream(path, request_serializer=None, response_deserializer=None)
                it = call(body, metadata=md, timeout=timeout)
                next(it, None)
                it.cancel()
                code = "OK"
            else:
                ch.unary_unary(path, request_serializer=None, response_deserializer=None)(body, metadata=md,
                                                                                           timeout=timeout)
                code = "OK"
        except grpc.RpcError as e:
            code = code_name(e)
            if code == "CANCELLED" and (server_streaming or client_streaming):
                code = "OK"  # our own cancel after the first message
            if code == "DEADLINE_EXCEEDED" and name in LONG_CALLS:
                code = "OK(deadline of a long call)"
        with lock:
            counts.setdefault(path, {}).setdefault(code, 0)
            counts[path][code] += 1
            kinds[kind] = kinds.get(kind, 0) + 1
            if code not in NORMAL and not code.startswith("OK"):
                if len(bad) < 20:
                    bad.append({"call": i, "seed": ctx["seed"], "path": path, "kind": kind, "code": code,
                                "body_hex": body[:200].hex(), "body_len": len(body)})

    interval = 1.0 / (per_key_rate * len(keys))
    sent = 0
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        next_at = time.monotonic()
        i = 0
        # At least `limit` calls, and calls for the whole phase.
        while i < limit or time.monotonic() < stop_at:
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)  # shapes the rate under the per-key limit
            next_at += interval
            futures.append(pool.submit(one, i))
            sent += 1
            i += 1
        for f in futures:
            f.result()
    for ch in channels:
        ch.close()
    return {"counts": counts, "bad": bad, "kinds": kinds, "calls": sent}


def attack_framing(ctx):
    """gRPC framing abuse over raw h2: length prefixes that lie (longer, shorter, 4 GiB),
    the compressed flag with no encoding, a message split over many DATA frames, a gzip
    bomb that inflates beyond the limit, two messages to a unary method."""
    import gzip
    import hostile_h2 as h
    key = ctx["fuzz_keys"][0]
    path = "/onvera.v1.DeploymentService/GetDeployment"
    body = b"\x0a" + varint(len(ctx["ids"][0])) + ctx["ids"][0].encode()  # an existing deployment
    bomb = gzip.compress(b"\x00" * (ctx["max_message"] * 2 + 1024))
    cases = {
        "prefix longer than data": (h.header_block(path, key), [h.grpc_frame(body, declared=1000)]),
        "prefix shorter than data": (h.header_block(path, key), [h.grpc_frame(body, declared=2)]),
        "prefix of 4 GiB - 1": (h.header_block(path, key), [h.grpc_frame(body, declared=2**32 - 1)]),
        "compressed flag without encoding": (h.header_block(path, key), [h.grpc_frame(body, compressed=True)]),
        "unknown grpc-encoding": (h.header_block(path, key, [("grpc-encoding", "br0tli")]),
                                  [h.grpc_frame(body, compressed=True)]),
        "gzip bomb beyond the message limit": (h.header_block(path, key, [("grpc-encoding", "gzip")]),
                                               [h.grpc_frame(bomb, compressed=True)]),
        "corrupt gzip": (h.header_block(path, key, [("grpc-encoding", "gzip")]),
                         [h.grpc_frame(b"\x1f\x8b\x08\x00garbage", compressed=True)]),
        "two messages to a unary call": (h.header_block(path, key), [h.grpc_frame(body) + h.grpc_frame(body)]),
        "half a prefix": (h.header_block(path, key), [b"\x00\x00"]),
        "one byte per DATA frame": (h.header_block(path, key), [bytes([x]) for x in h.grpc_frame(body)]),
        "no body at all": (h.header_block(path, key), []),
    }
    results = {}
    for name, (block, datas) in cases.items():
        conn = h.Conn(ctx["target"])
        try:
            if datas:
                conn.send(h.headers_frame(1, block))
                for j, d in enumerate(datas):
                    # DATA frames up to the default max frame size (16 KiB).
                    for k in range(0, max(len(d), 1), 16384):
                        last = j == len(datas) - 1 and k + 16384 >= len(d)
                        conn.send(h.data_frame(1, d[k:k + 16384], end_stream=last))
            else:
                conn.send(h.headers_frame(1, block, end_stream=True))
        except OSError:
            pass
        results[name] = (conn.wait_status(1, 20), conn.messages.get(1, ""))
        conn.close()
    return {"framing": results}


def attack_oversized(ctx):
    """Messages above --max-message-bytes (grpcio and a raw prefix that claims one), huge
    metadata through grpcio and a CONTINUATION flood of header bytes over raw h2."""
    import hostile_h2 as h
    key = ctx["fuzz_keys"][0]
    stop_at = time.monotonic() + ctx["duration"]
    out = {"oversized": {}, "metadata": {}, "continuation": []}
    ch = grpc.insecure_channel(ctx["target"], options=[("grpc.max_send_message_length", -1),
                                                       ("grpc.max_metadata_size", 4 << 20)])
    get = ch.unary_unary("/onvera.v1.DeploymentService/GetDeployment", request_serializer=None,
                         response_deserializer=None)
    # Huge metadata may end its connection: its own channel, so the oversized calls keep theirs.
    meta_ch = grpc.insecure_channel(ctx["target"], options=[("grpc.max_metadata_size", 4 << 20)])
    meta_get = meta_ch.unary_unary("/onvera.v1.DeploymentService/GetDeployment", request_serializer=None,
                                   response_deserializer=None)
    sizes = [ctx["max_message"] + 1, ctx["max_message"] * 2, 32 << 20]
    # A valid request for an existing deployment: OK means the call was served despite its headers.
    valid_get = b"\x0a" + varint(len(ctx["ids"][0])) + ctx["ids"][0].encode()
    meta_sizes = [17 << 10, 64 << 10, 1 << 20]
    rounds = 0
    while True:
        rounds += 1
        for size in sizes:
            body = b"\x0a" + varint(size) + b"a" * size  # deployment_id of `size` bytes
            try:
                get(body, metadata=(("x-api-key", key),), timeout=TIMEOUT, wait_for_ready=True)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            out["oversized"].setdefault(f"{size} bytes", {}).setdefault(code, 0)
            out["oversized"][f"{size} bytes"][code] += 1
        for size in meta_sizes:
            try:
                meta_get(valid_get, metadata=(("x-api-key", key), ("x-pad", "p" * size)), timeout=TIMEOUT,
                         wait_for_ready=True)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            out["metadata"].setdefault(f"{size} bytes of metadata", {}).setdefault(code, 0)
            out["metadata"][f"{size} bytes of metadata"][code] += 1
        if rounds <= 3:
            out["continuation"].append(h.continuation_flood(ctx["target"], key, 8 << 20))
        if time.monotonic() > stop_at:
            break
    ch.close()
    meta_ch.close()
    return out


def attack_idle(ctx):
    """Connections that send the HTTP/2 preface and SETTINGS and then nothing (half), and
    plain TCP connections that send nothing (half); held for the phase. Counts how many
    the server closed, and how many could not be opened."""
    import hostile_h2 as h
    n = ctx["idle_connections"]
    socks, refused, errors = [], 0, {}
    start = time.monotonic()
    for i in range(n):
        try:
            s = h.connect(ctx["target"], 10)
            s.setblocking(False)
            if i % 2 == 0:
                s.send(h.PREFACE + h.SettingsFrame(0).serialize())
            socks.append([s, i % 2 == 0, None])
        except OSError as e:
            refused += 1
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
    opened_in = time.monotonic() - start
    stop_at = start + ctx["duration"]
    # Watch for server closes (a measurement loop, bounded by the phase). epoll, not poll: poll
    # walks all 10,000 sockets in the kernel on every call, and that work, which a real attacker
    # holding idle connections would not do, delayed the server's threads by milliseconds.
    poller = select.epoll(len(socks) + 1)
    by_fd = {}
    for entry in socks:
        poller.register(entry[0], select.EPOLLIN)
        by_fd[entry[0].fileno()] = entry
    while time.monotonic() < stop_at:
        for fd, _ in poller.poll(0.2):
            entry = by_fd[fd]
            try:
                data = entry[0].recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                entry[2] = time.monotonic() - start
                poller.unregister(fd)
    poller.close()
    closed_h2 = [e[2] for e in socks if e[1] and e[2] is not None]
    closed_tcp = [e[2] for e in socks if not e[1] and e[2] is not None]
    for e in socks:
        e[0].close()
    return {"opened": len(socks), "opened_tcp": sum(1 for e in socks if not e[1]), "refused": refused, "errors": errors, "opened_in_s": round(opened_in, 1),
            "closed_by_server_h2": len(closed_h2), "closed_by_server_tcp": len(closed_tcp),
            "median_close_s_h2": soaklib.percentile(closed_h2, 50),
            "median_close_s_tcp": soaklib.percentile(closed_tcp, 50)}


def attack_slowloris(ctx):
    """Clients that send the preface+SETTINGS+a request one byte per second (a third), that
    send the preface at once and then HEADERS one byte per second (a third), and that send
    a request whose body arrives one byte per second (a third)."""
    import hostile_h2 as h
    key = ctx["fuzz_keys"][1 % len(ctx["fuzz_keys"])]
    block = h.header_block("/onvera.v1.DeploymentService/ListDeployments", key)
    request = h.headers_frame(1, block) + h.data_frame(1, h.grpc_frame(b"\x08\x01"))
    full = h.PREFACE + h.SettingsFrame(0).serialize() + request
    n = ctx["slowloris"]
    clients = []
    start = time.monotonic()
    for i in range(n):
        try:
            s = h.connect(ctx["target"], 10)
        except OSError:
            continue
        s.setblocking(False)
        mode = ("preface", "headers", "body")[i % 3]
        if mode == "preface":
            pending = full
        elif mode == "headers":
            s.send(h.PREFACE + h.SettingsFrame(0).serialize())
            pending = request
        else:
            s.send(h.PREFACE + h.SettingsFrame(0).serialize() + h.headers_frame(1, block))
            pending = h.data_frame(1, h.grpc_frame(b"\x08\x01"))
        clients.append({"sock": s, "mode": mode, "pending": pending, "closed": None, "got": 0})
    stop_at = start + ctx["duration"]
    tick = time.monotonic()
    while time.monotonic() < stop_at:
        for c in clients:
            if c["closed"] is not None:
                continue
            try:
                while True:
                    data = c["sock"].recv(65536)
                    if not data:
                        c["closed"] = time.monotonic() - start
                        break
                    c["got"] += len(data)
            except BlockingIOError:
                pass
            except OSError:
                c["closed"] = time.monotonic() - start
            if c["closed"] is None and c["pending"]:
                try:
                    c["sock"].send(c["pending"][:1])
                    c["pending"] = c["pending"][1:]
                except BlockingIOError:
                    pass
                except OSError:
                    c["closed"] = time.monotonic() - start
        tick += 1.0
        time.sleep(max(0.0, tick - time.monotonic()))  # one byte per second per client
    out = {"clients": len(clients)}
    for mode in ("preface", "headers", "body"):
        cs = [c for c in clients if c["mode"] == mode]
        closed = [c["closed"] for c in cs if c["closed"] is not None]
        out[mode] = {"clients": len(cs), "closed_by_server": len(closed),
                     "median_close_s": soaklib.percentile(closed, 50)}
    for c in clients:
        c["sock"].close()
    return out


def attack_nonreaders(ctx):
    """Connections that open up to the advertised max concurrent streams of WatchDeployments
    (from revision 0), WatchOperation and big ListDeployments, and never read. A third announce
    a zero stream window (SETTINGS_INITIAL_WINDOW_SIZE=0, no WINDOW_UPDATE ever); a third never
    call recv at all, so the socket buffers and TCP window fill up; a third announce the largest
    windows HTTP/2 allows (2^31-1 for every stream and the connection), so that only the
    server's own buffering bounds what it queues for them, and never call recv either."""
    import hostile_h2 as h
    key = ctx["fuzz_keys"][2 % len(ctx["fuzz_keys"])]
    paths = [("/onvera.v1.DeploymentService/WatchDeployments", b""),
             ("/onvera.v1.DeploymentService/ListDeployments", b"\x08\x64\x30\x01"),
             ("/onvera.v1.OperationService/WatchOperation", b"\x0a" + varint(len(ctx["op_id"])) + ctx["op_id"].encode()),
             ("/grpc.health.v1.Health/Watch", b"")]
    blocks = [(h.header_block(p, key), h.grpc_frame(b)) for p, b in paths]
    conns, streams, refused = [], 0, 0
    stop_at = time.monotonic() + ctx["duration"]
    for i in range(ctx["nonreader_connections"]):
        zero, huge = i % 3 == 0, i % 3 == 2
        try:
            if zero:
                c = h.Conn(ctx["target"], settings=h.settings_frame(initial_window_size=0), read=True)
                c.settings_seen.wait(10)
                want = min(c.max_streams or 100, 1000)
            elif huge:
                c = h.Conn(ctx["target"], settings=h.settings_frame(initial_window_size=2**31 - 1)
                           + h.WindowUpdateFrame(0, window_increment=2**31 - 1 - 65535).serialize(), read=False)
                want = 100
            else:
                c = h.Conn(ctx["target"], read=False)
                want = 100
        except OSError:
            refused += 1
            continue
        conns.append(c)
        payload = b""
        for s in range(want):
            block, data = blocks[s % len(blocks)]
            sid = 1 + 2 * s
            payload += h.headers_frame(sid, block) + h.data_frame(sid, data)
        if zero:
            c.try_send(payload)
        else:
            # Never reading: sending may block once the server's window and buffers are full.
            c.sock.settimeout(5)
            c.try_send(payload)
        streams += want
    # Hold them for the phase while deployments are created (5 per second, under the key's rate
    # limit): every one of them sends events to the watchers that never read.
    from onvera.v1 import deployments_pb2 as dep
    from onvera.v1 import deployments_pb2_grpc as dep_grpc
    creates = {}
    with grpc.insecure_channel(ctx["target"]) as ch:
        stub = dep_grpc.DeploymentServiceStub(ch)
        next_at = time.monotonic()
        while time.monotonic() < stop_at:
            try:
                stub.CreateDeployment(dep.CreateDeploymentRequest(app_type=1), metadata=(("x-api-key", key),),
                                      timeout=TIMEOUT)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            creates[code] = creates.get(code, 0) + 1
            next_at += 0.2
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # the pace of the event source
    closed = sum(1 for c in conns if c.closed.is_set())
    goaways = [h.GOAWAY_CODES.get(c.goaway[1], c.goaway[1]) for c in conns if c.goaway]
    reset = sum(1 for c in conns for v in c.status.values() if str(v).startswith("RST"))
    for c in conns:
        c.close()
    return {"connections": len(conns), "streams": streams, "refused": refused, "closed_by_server": closed,
            "creates": creates,
            "goaways": goaways, "streams_reset_by_server": reset}


def attack_rapid_reset(ctx):
    """HEADERS+DATA then RST_STREAM(CANCEL) right away, in batches, on one connection after
    another (reconnecting at once when the server ends or refuses one), like CVE-2023-44487.
    It connects from its own loopback address (127.0.0.2), as an attacker on a network would:
    the server refuses a flooding peer's address for a while, not every client's."""
    import hostile_h2 as h
    source = ctx.get("attacker_address", "127.0.0.2")
    key = ctx["fuzz_keys"][3 % len(ctx["fuzz_keys"])]
    block = h.header_block("/onvera.v1.DeploymentService/ListDeployments", key)
    data = h.grpc_frame(b"\x08\x64")
    stop_at = time.monotonic() + ctx["duration"]
    connections = []
    total = 0
    while time.monotonic() < stop_at:
        try:
            c = h.Conn(ctx["target"], source=source)
        except OSError as e:
            # Refused on accept (reset before the preface was written) or not accepted at all.
            connections.append({"streams": 0, "outcome": "refused" if isinstance(e, ConnectionError)
                                else "connect failed"})
            if not isinstance(e, ConnectionError):
                time.sleep(0.2)  # the listen backlog is full: give it a moment
            continue
        started = time.monotonic()
        sid = 1
        sent = 0
        while time.monotonic() < stop_at and not c.closed.is_set() and c.goaway is None and sid < 2**31 - 200:
            batch = b"".join(h.headers_frame(s, block) + h.data_frame(s, data) + h.rst_frame(s)
                             for s in range(sid, sid + 200, 2))
            if not c.try_send(batch):
                break
            sid += 200
            sent += 100
        c.closed.wait(5)
        outcome = (f"GOAWAY {h.GOAWAY_CODES.get(c.goaway[1], c.goaway[1])}"
                   + (f" ({c.goaway[2].decode(errors='replace')})" if c.goaway[2] else "")
                   if c.goaway else ("open at the end" if not c.closed.is_set()
                                     else "closed" if c.settings_seen.is_set() else "refused"))
        connections.append({"streams": sent, "outcome": outcome, "seconds": round(time.monotonic() - started, 2),
                            "goaway_after_s": round(c.goaway_at - started, 2) if c.goaway_at else None})
        total += sent
        c.close()
    return {"connections": len(connections), "streams": total, "detail": connections[:5],
            "outcomes": {o: sum(1 for x in connections if x["outcome"] == o)
                         for o in {x["outcome"] for x in connections}}}


def attack_unauth(ctx):
    """A flood of calls without a key, with malformed keys and with well-formed unknown keys,
    from several threads (paced to `unauth_rate` calls per second in all)."""
    from onvera.v1 import deployments_pb2 as dep
    from onvera.v1 import deployments_pb2_grpc as dep_grpc
    stop_at = time.monotonic() + ctx["duration"]
    threads = 4
    counts = {}
    lock = threading.Lock()
    metas = [(), (("x-api-key", ""),), (("x-api-key", "garbage"),), (("x-api-key", "x" * 4000),),
             (("authorization", "Bearer"),), (("authorization", "Basic dXNlcjpwYXNz"),),
             (("x-api-key", "onv_sk_live_" + "0" * 40),)]

    def worker(t):
        ch = grpc.insecure_channel(ctx["target"])
        stub = dep_grpc.DeploymentServiceStub(ch)
        r = random.Random(ctx["seed"] + 100 + t)
        interval = threads / ctx["unauth_rate"]
        next_at = time.monotonic()
        while time.monotonic() < stop_at:
            md = r.choice(metas + [(("x-api-key", "onv_sk_live_" + r.randbytes(20).hex()),)])
            try:
                if r.random() < 0.5:
                    stub.ListDeployments(dep.ListDeploymentsRequest(), metadata=md, timeout=TIMEOUT)
                else:
                    stub.CreateDeployment(dep.CreateDeploymentRequest(app_type=1), metadata=md, timeout=TIMEOUT)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            with lock:
                counts[code] = counts.get(code, 0) + 1
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # shapes the flood's rate
        ch.close()
    ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(ctx["duration"] + 120)
    return {"counts": counts}


def attack_cancel(ctx):
    """Ordinary grpcio clients that cancel their unary calls right after starting them (as a
    client does when its user gives up), 2 threads paced at 40 calls/s each on its own key."""
    from onvera.v1 import deployments_pb2 as dep
    from onvera.v1 import deployments_pb2_grpc as dep_grpc
    stop_at = time.monotonic() + ctx["duration"]
    counts = {"cancelled by us": 0}
    lock = threading.Lock()

    def worker(key):
        with grpc.insecure_channel(ctx["target"]) as ch:
            stub = dep_grpc.DeploymentServiceStub(ch)
            md = (("x-api-key", key),)
            next_at = time.monotonic()
            while time.monotonic() < stop_at:
                f = stub.ListDeployments.future(dep.ListDeploymentsRequest(page_size=10), metadata=md,
                                                timeout=TIMEOUT)
                f.cancel()
                with lock:
                    counts["cancelled by us"] += 1
                next_at += 1 / 40
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # the pace under the key's rate limit
    ts = [threading.Thread(target=worker, args=(k,)) for k in ctx["cancel_keys"]]
    for t in ts:
        t.start()
    for t in ts:
        t.join(ctx["duration"] + 60)
    return {"counts": counts}


ATTACKS = {"cancel": attack_cancel, "fuzz": attack_fuzz, "framing": attack_framing, "oversized": attack_oversized, "idle": attack_idle,
           "slowloris": attack_slowloris, "nonreaders": attack_nonreaders, "rapid_reset": attack_rapid_reset,
           "unauth": attack_unauth}


def _child(name, ctx, queue, go):
    soaklib.raise_fd_limit()
    # Attackers share this machine's CPUs with the server; on a real network they would not.
    # At a lower priority they take the CPU the server and the well-behaved clients leave.
    if ctx.get("attacker_nice"):
        os.nice(ctx["attacker_nice"])
    if ctx.get("attacker_sched_idle"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    import hostile_h2  # noqa: F401  (loaded before the phase starts, like the rest)
    queue.put((name, "ready", None))
    if not go.wait(300):
        return
    try:
        queue.put((name, "ok", ATTACKS[name](ctx)))
    except BaseException:  # noqa: BLE001
        queue.put((name, "error", traceback.format_exc()))


class Attackers:
    """The attacks of one phase, each in its own child process. They are started and loaded
    (interpreter, imports, lowered priority) before the phase is measured, then all let go at
    once by `run`."""

    def __init__(self, names, ctx):
        mp = multiprocessing.get_context("spawn")
        self.names = names
        self.queue = mp.Queue()
        self.go = mp.Event()
        self.procs = {n: mp.Process(target=_child, args=(n, ctx, self.queue, self.go), daemon=True) for n in names}
        for p in self.procs.values():
            p.start()
        self.early = []
        ready = set()
        deadline = time.monotonic() + 120
        while len(ready) < len(names) and time.monotonic() < deadline:
            try:
                item = self.queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Exception:  # noqa: BLE001  (queue.Empty)
                break
            if item[1] == "ready":
                ready.add(item[0])
            else:
                self.early.append(item)  # failed while loading

    def run(self, timeout):
        """Lets the attacks go; returns {name: result} (bounded wait)."""
        self.go.set()
        results = {name: (value if status == "ok" else {"error": value}) for name, status, value in self.early}
        deadline = time.monotonic() + timeout
        try:
            while len(results) < len(self.names):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    name, status, value = self.queue.get(timeout=remaining)
                except Exception:  # noqa: BLE001  (queue.Empty)
                    break
                if status != "ready":
                    results[name] = value if status == "ok" else {"error": value}
        finally:
            for n, p in self.procs.items():
                p.join(5 if n in results else 0.1)
                if p.is_alive():
                    p.kill()
                    p.join(5)
                if n not in results:
                    results[n] = {"error": "did not finish in time"}
        return results


# ----------------------------------------------------------------------------------------------
# The well-behaved clients


class Workload:
    """4 grpcio threads (2 channels) at a fixed pace: GetDeployment, ListDeployments (10),
    GetOperation, and every 20th call a CreateDeployment; plus a probe that opens a fresh
    connection every second and makes one call. Latencies are kept per phase."""

    def __init__(self, target, key, dep_id, op_id, rate_per_thread=5.0, threads=4):
        from onvera.v1 import deployments_pb2_grpc as dep_grpc
        from onvera.v1 import operations_pb2_grpc as ops_grpc
        self.target, self.key, self.dep_id, self.op_id = target, key, dep_id, op_id
        self.rate = rate_per_thread
        self.n = threads
        self.channels = [grpc.insecure_channel(target) for _ in range(2)]
        for ch in self.channels:
            grpc.channel_ready_future(ch).result(timeout=TIMEOUT)
        self.deps = [dep_grpc.DeploymentServiceStub(ch) for ch in self.channels]
        self.ops = [ops_grpc.OperationServiceStub(ch) for ch in self.channels]
        self.lock = threading.Lock()
        self.phase = None
        self.samples = {}    # phase -> [latency s]
        self.errors = {}     # phase -> {code: n}
        self.fresh = {}      # phase -> [latency s of connect + call]
        self.fresh_errors = {}
        self.trace = []      # (phase, seconds since the phase began, call, latency s, code), for --trace
        self.phase_began = time.monotonic()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]
        self.threads.append(threading.Thread(target=self._fresh, daemon=True))

    def start(self, phase):
        self.set_phase(phase)
        for t in self.threads:
            t.start()

    def set_phase(self, phase):
        with self.lock:
            self.phase = phase
            self.phase_began = time.monotonic()
            self.trace.append((phase, "began at monotonic", self.phase_began))
            self.samples.setdefault(phase, [])
            self.errors.setdefault(phase, {})
            self.fresh.setdefault(phase, [])
            self.fresh_errors.setdefault(phase, {})

    def _record(self, phase, latency, code, fresh=False, call="GetDeployment (fresh connection)", t0=None):
        with self.lock:
            if phase is None:
                return
            if t0 is not None:
                self.trace.append((phase, round(t0 - self.phase_began, 4), call, round(latency * 1000, 3), code))
            if code == "OK":
                (self.fresh if fresh else self.samples)[phase].append(latency)
            else:
                errors = (self.fresh_errors if fresh else self.errors)[phase]
                errors[code] = errors.get(code, 0) + 1

    def _run(self, i):
        from onvera.v1 import deployments_pb2 as dep
        from onvera.v1 import operations_pb2 as ops
        md = (("x-api-key", self.key),)
        stub_d, stub_o = self.deps[i % 2], self.ops[i % 2]
        interval = 1.0 / self.rate
        next_at = time.monotonic() + interval * i / self.n
        k = 0
        while not self.stop.is_set():
            delay = next_at - time.monotonic()
            if delay > 0 and self.stop.wait(delay):  # the fixed pace
                break
            next_at += interval
            if next_at < time.monotonic() - 1:
                next_at = time.monotonic()  # do not burst to catch up after a stall
            k += 1
            phase = self.phase
            if k % 20 == 0:
                call, method, request = ("CreateDeployment", stub_d.CreateDeployment,
                                         dep.CreateDeploymentRequest(app_type=1 + k % 2))
            elif k % 3 == 0:
                call, method, request = ("GetDeployment", stub_d.GetDeployment,
                                         dep.GetDeploymentRequest(deployment_id=self.dep_id))
            elif k % 3 == 1:
                call, method, request = ("ListDeployments", stub_d.ListDeployments,
                                         dep.ListDeploymentsRequest(page_size=10))
            else:
                call, method, request = ("GetOperation", stub_o.GetOperation,
                                         ops.GetOperationRequest(operation_id=self.op_id))
            t0 = time.monotonic()
            try:
                method(request, metadata=md, timeout=TIMEOUT)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            self._record(phase, time.monotonic() - t0, code, call=call, t0=t0)

    def _fresh(self):
        from onvera.v1 import deployments_pb2 as dep
        from onvera.v1 import deployments_pb2_grpc as dep_grpc
        md = (("x-api-key", self.key),)
        next_at = time.monotonic()
        while not self.stop.is_set():
            delay = next_at - time.monotonic()
            if delay > 0 and self.stop.wait(delay):
                break
            next_at = max(next_at + 1.0, time.monotonic())
            phase = self.phase
            t0 = time.monotonic()
            ch = grpc.insecure_channel(self.target, options=[("grpc.use_local_subchannel_pool", 1)])
            try:
                dep_grpc.DeploymentServiceStub(ch).GetDeployment(
                    dep.GetDeploymentRequest(deployment_id=self.dep_id), metadata=md, timeout=10,
                    wait_for_ready=False)
                code = "OK"
            except grpc.RpcError as e:
                code = code_name(e)
            finally:
                ch.close()
            self._record(phase, time.monotonic() - t0, code, fresh=True, t0=t0)

    def close(self):
        self.stop.set()
        for t in self.threads:
            if t.is_alive():
                t.join(TIMEOUT + 5)
        for ch in self.channels:
            ch.close()


# ----------------------------------------------------------------------------------------------


def health(target):
    with grpc.insecure_channel(target) as ch:
        try:
            reply = health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        except grpc.RpcError as e:
            return code_name(e)


def settle(server, limit=0.2, timeout=120):
    """Waits (bounded) until the server uses under `limit` of a core over a second, so that
    one phase's leftover work is not measured in the next; returns the seconds it took."""
    start = time.monotonic()
    last = [server.cpu_seconds(), time.monotonic()]

    def quiet():
        cpu, now = server.cpu_seconds(), time.monotonic()
        if now - last[1] < 1.0:
            return False
        share = (cpu - last[0]) / (now - last[1])
        last[:] = [cpu, now]
        return share < limit
    try:
        soaklib.wait_until(quiet, timeout, "the server to go quiet", poll=0.25)
    except TimeoutError:
        return None
    return round(time.monotonic() - start, 1)


def metrics(server):
    """The server's Prometheus gauges and counters as {line name with labels: value}."""
    import urllib.request
    soaklib.wait_until(lambda: server.metrics_url, 30, "the server's 'metrics on' line")
    url = server.metrics_url if server.metrics_url.startswith("http") else "http://" + server.metrics_url
    if not url.endswith("/metrics"):
        url += "/metrics"
    out = {}
    with urllib.request.urlopen(url, timeout=30) as reply:
        for line in reply.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    return out


DISK_PROBE = r'''
import os, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, b"\0" * (4 << 20))
os.fsync(fd)
block, offset = b"p" * 512, 0
while True:
    t = time.monotonic()
    os.pwrite(fd, block, offset)
    os.fdatasync(fd)
    print(f"{t:.6f} {time.monotonic() - t:.6f}", flush=True)
    offset = (offset + 4096) % (4 << 20)
    time.sleep(0.05)
'''


class DiskProbe:
    """The disk's own latency beside the server's: a separate process writes 512 bytes over a
    preallocated file on the data directory's file system and fdatasyncs, 20 times a second, as
    the store does for a small commit. Reported per phase, so that a slow CreateDeployment can be
    told apart from a slow disk."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "onvera-disk-probe.dat")
        self.samples = []
        self.process = subprocess.Popen([sys.executable, "-c", DISK_PROBE, self.path], stdout=subprocess.PIPE,
                                        text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            t, d = line.split()
            self.samples.append((float(t), float(d)))

    def between(self, start, end):
        return [d for t, d in list(self.samples) if start <= t < end]

    def close(self):
        self.process.kill()
        self.process.wait()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def ms(x):
    return None if x is None else round(x * 1000, 2)


def main():
    def extra(parser):
        parser.add_argument("--attacker-nice", type=int, default=19,
                            help="nice value of the attacking processes (0: the same priority as the server)")
        parser.add_argument("--attacker-sched", choices=["idle", "normal"], default="idle",
                            help="scheduling class of the attacking processes: idle (SCHED_IDLE: on this shared "
                                 "machine they get only the CPU the server and well-behaved clients leave, as "
                                 "attackers on other machines would) or normal")
        parser.add_argument("--phases", default="",
                            help="comma-separated subset of the phases to run (quiet always runs), e.g. "
                                 "quiet,idle; default: all")
        parser.add_argument("--trace", default="",
                            help="write every well-behaved call (phase, seconds into the phase, call, latency ms, "
                                 "status) and each phase's start ([phase, \"began at monotonic\", seconds]) to "
                                 "this file, one JSON array per line, to see which calls were slow; the server's log goes to FILE.server.log")
    args = soaklib.arguments(__doc__.split("\n")[0], extra)
    fd_limit = soaklib.raise_fd_limit()
    short = args.short
    result = soaklib.Result("hostile", "Hostile input", args)
    phase_s = 5 if short else 40
    max_message = 4 << 20
    params = {
        "phase duration": f"{phase_s} s",
        "idle connections": 1000 if short else 10000,
        "slowloris clients": 30 if short else 200,
        "non-reading connections": 4 if short else 20,
        "fuzz calls": (400 if short else 5000),
        "unauthenticated flood": "200 calls/s" if short else "400 calls/s",
        "well-behaved workload": "4 threads x 5 calls/s (Get/List/GetOperation, 1 in 20 CreateDeployment) "
                                 "+ a fresh connection and call every second",
        "server": os.path.basename(args.server),
        "open-file limit": fd_limit,
        "sim step": "100ms",
    }
    for k, v in params.items():
        result.param(k, v)
    result.param("fuzz pace", "160 calls/s on 4 keys for the whole phase, at least the number of fuzz calls")
    ratio_limit = 3.0
    if short:
        result.note("--short (CI): latency and memory figures are reported, not checked. Phases of 5 s on a "
                    "shared machine, often against the debug server, measure the machine; timing and memory "
                    "are checked in the full run only (p99 within 3x of the quiet run, memory bounded and "
                    "settling).")
    data_dir = None
    server = None
    workload = None
    probe = None
    try:
        server = soaklib.Server(args.server, step="100ms", extra=["--metrics-listen", "127.0.0.1:0"])
        data_dir = server.data_dir
        server.start()
        target = server.target
        owner = server.key
        from onvera.v1 import deployments_pb2 as dep
        from onvera.v1 import deployments_pb2_grpc as dep_grpc
        from onvera.v1 import organizations_pb2 as orgs
        from onvera.v1 import organizations_pb2_grpc as orgs_grpc
        with grpc.insecure_channel(target) as ch:
            grpc.channel_ready_future(ch).result(timeout=TIMEOUT)
            o = orgs_grpc.OrganizationServiceStub(ch)
            own = (("x-api-key", owner),)
            good_key = o.CreateApiKey(orgs.CreateApiKeyRequest(name="well-behaved"), metadata=own,
                                      timeout=TIMEOUT).secret
            fuzz_keys = [o.CreateApiKey(orgs.CreateApiKeyRequest(name=f"attacker-{i}"), metadata=own,
                                        timeout=TIMEOUT).secret for i in range(4)]
            cancel_keys = [o.CreateApiKey(orgs.CreateApiKeyRequest(name=f"canceller-{i}"), metadata=own,
                                          timeout=TIMEOUT).secret for i in range(2)]
            d = dep_grpc.DeploymentServiceStub(ch)
            created = [d.CreateDeployment(dep.CreateDeploymentRequest(app_type=1 + i % 2), metadata=own,
                                          timeout=TIMEOUT) for i in range(3)]
        dep_id, op_id = created[0].deployment_id, created[0].operation_id
        ctx = {"target": target, "fuzz_keys": fuzz_keys, "cancel_keys": cancel_keys, "seed": args.seed,
               "duration": phase_s,
               "ids": [c.deployment_id for c in created] + [c.operation_id for c in created],
               "op_id": op_id, "max_message": max_message, "idle_connections": params["idle connections"],
               "slowloris": params["slowloris clients"], "nonreader_connections": params["non-reading connections"],
               "fuzz_calls": params["fuzz calls"], "unauth_rate": 200 if short else 400,
               "attacker_nice": args.attacker_nice, "attacker_sched_idle": args.attacker_sched == "idle"}
        result.param("attacker processes' nice value", args.attacker_nice)
        result.param("attacker processes' scheduling class", "SCHED_IDLE (only CPU nothing else wants)"
                     if args.attacker_sched == "idle" else "normal")

        workload = Workload(target, good_key, dep_id, op_id)
        phases = [("quiet", []), ("fuzz", ["fuzz", "framing"]), ("oversized", ["oversized"]), ("idle", ["idle"]),
                  ("slowloris", ["slowloris"]), ("nonreaders", ["nonreaders"]), ("cancel", ["cancel"]),
                  ("rapid_reset", ["rapid_reset"]), ("unauth", ["unauth"]),
                  ("all-1", ["fuzz", "oversized", "idle", "slowloris", "nonreaders", "cancel", "rapid_reset",
                             "unauth"]),
                  ("all-2", ["fuzz", "oversized", "idle", "slowloris", "nonreaders", "cancel", "rapid_reset",
                             "unauth"])]
        if args.phases:
            wanted = {"quiet", *args.phases.split(",")}
            unknown = wanted - {p for p, _ in phases}
            if unknown:
                raise SystemExit(f"unknown phases {sorted(unknown)}; known: {[p for p, _ in phases]}")
            phases = [(p, n) for p, n in phases if p in wanted]
            result.param("phases", ",".join(p for p, _ in phases))
        outcomes = {}
        peaks = {}
        windows = {}
        probe = DiskProbe(os.path.dirname(os.path.abspath(data_dir)))
        workload.start("warmup")
        # Warm-up: one second of the workload (grpcio connections, server caches), not measured.
        time.sleep(1.0)
        for phase, names in phases:
            if not server.alive():
                break
            attackers = Attackers(names, dict(ctx, seed=args.seed + len(outcomes))) if names else None
            workload.set_phase(phase)
            began = time.monotonic()
            with soaklib.Sampler(server.pid) as sampler:
                if attackers:
                    outcomes[phase] = attackers.run(phase_s + 240)
                else:
                    time.sleep(phase_s)  # the quiet run: the workload alone for the phase
            workload.set_phase(None)
            windows[phase] = (began, time.monotonic())
            peaks[phase] = max(sampler.rss or [0]) / 1024
            result.figure(f"{phase}: server peak RSS", round(peaks[phase], 1), "MiB")
            result.figure(f"{phase}: server CPU", round(100 * sampler.cpu / max(sampler.wall, 1e-9), 1),
                          "% of one core")
            state = health(target) if server.alive() else "server exited"
            result.check(state == "SERVING", f"{phase}: the server is alive and its health check says SERVING "
                                             "after the phase", state)
            print(f"phase {phase}: {names} peak {peaks[phase]:.1f} MiB, health {state}", flush=True)
            if names and server.alive():
                took = settle(server)
                result.figure(f"{phase}: seconds until the server was quiet again (under 20% of a core)",
                              took if took is not None else "more than 120", "s")
                result.check(took is not None, f"{phase}: the server goes quiet (under 20% of a core) within "
                                               "120 s after the attack ends", "still busy after 120 s")
                try:
                    result.figure(f"{phase}: RPCs in flight once quiet again (the workload's own: 0 to 5)",
                                  metrics(server).get("onvera_rpcs_in_flight"), "RPCs")
                except OSError as e:
                    result.note(f"{phase}: metrics not read: {e}")
        workload.close()
        probe.close()
        for phase, (start, end) in windows.items():
            syncs = probe.between(start, end)
            result.figure(f"{phase}: disk probe fdatasync p99 (512 B over preallocated space, 20/s, "
                          "a separate process)", ms(soaklib.percentile(syncs, 99)), "ms")
            result.figure(f"{phase}: disk probe fdatasync max", ms(max(syncs) if syncs else None), "ms")
        if args.trace:
            with open(args.trace, "w", encoding="utf-8") as f:
                for row in workload.trace:
                    f.write(json.dumps(row) + "\n")
        quiet = workload.samples.get("quiet", [])
        q99 = soaklib.percentile(quiet, 99)
        result.figure("quiet: well-behaved p50", ms(soaklib.percentile(quiet, 50)), "ms")
        result.figure("quiet: well-behaved p99", ms(q99), "ms")
        result.figure("quiet: well-behaved calls", len(quiet), "calls")
        for phase, names in phases:
            lat = workload.samples.get(phase, [])
            errs = workload.errors.get(phase, {})
            fresh = workload.fresh.get(phase, [])
            fresh_errs = workload.fresh_errors.get(phase, {})
            p50, p99 = soaklib.percentile(lat, 50), soaklib.percentile(lat, 99)
            if phase != "quiet":
                result.figure(f"{phase}: well-behaved p50", ms(p50), "ms")
                result.figure(f"{phase}: well-behaved p99", ms(p99), "ms")
                ratio = round(p99 / q99, 2) if p99 and q99 else None
                result.figure(f"{phase}: well-behaved p99 / quiet p99", ratio, "x")
                if not short:
                    result.check(p99 is not None and q99 and p99 <= ratio_limit * q99,
                                 f"{phase}: the well-behaved clients' p99 stays within {ratio_limit:g}x of the quiet "
                                 f"run ({ms(p99)} ms vs {ms(q99)} ms, {len(lat)} calls)", f"ratio {ratio}")
            result.figure(f"{phase}: fresh-connection call p99", ms(soaklib.percentile(fresh, 99)), "ms")
            result.check(not errs and len(lat) > 0,
                         f"{phase}: every well-behaved call succeeded ({len(lat)} calls)", f"errors {errs}")
            result.check(not fresh_errs and len(fresh) > 0,
                         f"{phase}: a well-behaved client opening a new connection each second was served every "
                         f"time ({len(fresh)} connections)", f"errors {fresh_errs}")
        report_attacks(result, outcomes, max_message, phase_s)
        # Memory: a second identical round of everything must not peak much higher than the first,
        # and RSS must settle once the attacks are over.
        if "all-1" in peaks and "all-2" in peaks:
            growth = peaks["all-2"] / max(peaks["all-1"], 1e-9)
            result.figure("peak RSS, second round of all attacks / first round", round(growth, 2), "x")
            if not short:
                result.check(growth <= 1.25, "memory is bounded: the second round of all attacks together peaked "
                                             f"at {peaks['all-2']:.1f} MiB, within 1.25x of the first round "
                                             f"({peaks['all-1']:.1f} MiB)", f"{growth:.2f}x")
        # Once every attacker and well-behaved client is gone, nothing may be left behind.
        def leftovers():
            try:
                m = metrics(server)
            except OSError:
                return -1, -1
            return m.get("onvera_rpcs_in_flight", -1), m.get("onvera_open_connections", -1)
        try:
            soaklib.wait_until(lambda: leftovers() == (0, 0), 30, "no RPC in flight and no connection open")
        except TimeoutError:
            pass
        in_flight, open_connections = leftovers()
        result.figure("RPCs in flight after every client left", in_flight, "RPCs")
        result.figure("connections open after every client left", open_connections, "connections")
        result.check(in_flight == 0, "no RPC is left in flight once every client has gone (onvera_rpcs_in_flight "
                                     "returns to 0 within 30 s)", f"{in_flight:g} still in flight")
        result.check(open_connections == 0, "no connection is left open once every client has gone "
                                             "(onvera_open_connections returns to 0 within 30 s)",
                     f"{open_connections:g} still open")
        peak_all = max(peaks.values()) if peaks else 0
        result.figure("server peak RSS over the whole run", round(peak_all, 1), "MiB")
        result.figure("server VmHWM at the end", round(server.peak_rss_kib() / 1024, 1), "MiB")
        # The allocator may keep what 10,000 connections took at their peak (about 170 MiB), so
        # the bound is generous; what must not happen is a leak that keeps growing.
        quiet_peak = peaks.get("quiet", 0)
        bound = quiet_peak + 256
        # What the heap trimmer gives back once the attacks are over: RSS once within 64 MiB of
        # the quiet run's peak, or after 30 s.
        try:
            soaklib.wait_until(lambda: server.rss_kib() / 1024 <= quiet_peak + 64, 30, "RSS to come down")
        except TimeoutError:
            pass
        settled = server.rss_kib() / 1024
        result.figure("server RSS after the attacks (once within 64 MiB of the quiet peak, at most 30 s)",
                      round(settled, 1), "MiB")
        try:
            m = metrics(server)
            for kind, what in (("look", "looks at the heap"), ("trim", "trims")):
                n = m.get(f'onvera_heap_walk_seconds_count{{kind="{kind}"}}', 0)
                total = m.get(f'onvera_heap_walk_seconds_sum{{kind="{kind}"}}', 0)
                result.figure(f"heap trimmer: {what} over the run (count, mean ms)",
                              f"{n:g}, {total * 1000 / n:.1f}" if n else "0", "")
        except OSError as e:
            result.note(f"metrics not read at the end: {e}")
        if not short:
            result.check(settled <= bound, f"memory settles after the attacks: RSS {settled:.1f} MiB, under the quiet "
                                           f"run's peak + 256 MiB ({bound:.1f} MiB)", f"{settled:.1f} MiB")
        result.check(server.alive(), "the server never crashed (still running at the end)",
                     server.text()[-3000:])
        code = server.stop(60)
        result.check(code == 0, "the server stops cleanly on SIGTERM after all attacks (exit code 0)",
                     f"exit code {code}; output tail: {server.text()[-2000:]}")
    except Exception:  # noqa: BLE001
        result.check(False, "the scenario ran to the end", traceback.format_exc()[-3000:])
        if server is not None:
            result.note("server output tail: " + server.text()[-3000:])
    finally:
        if workload is not None:
            workload.close()
        if probe is not None:
            probe.close()
        if server is not None and server.process is not None and not server.alive() and server.process.returncode:
            log = os.path.abspath(args.out) + ".server.log"
            with open(log, "w", encoding="utf-8") as f:
                f.write(server.text())
            result.note(f"the server exited with code {server.process.returncode}; its whole output is in {log}")
        if server is not None and args.trace:
            # With a trace, the server's own log goes beside it (slow syncs, new segments).
            with open(args.trace + ".server.log", "w", encoding="utf-8") as f:
                f.write(server.text())
        if server is not None and server.alive():
            server.kill9()
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(result.write())


def report_attacks(result, outcomes, max_message, phase_s):
    """Checks and figures of what each attack saw."""
    fuzz_all = {}
    bad_all = []
    for phase, res in outcomes.items():
        for name, out in res.items():
            if isinstance(out, dict) and "error" in out:
                result.check(False, f"{phase}: the {name} attack ran", str(out["error"])[-1500:])
        f = res.get("fuzz")
        if f and "counts" in f:
            for path, counts in f["counts"].items():
                for code, n in counts.items():
                    fuzz_all.setdefault(code, 0)
                    fuzz_all[code] += n
            bad_all.extend(f["bad"])
    if fuzz_all:
        total = sum(fuzz_all.values())
        result.injected(f"{total} calls with random or mutated bodies (bit flips, truncations, insertions, "
                        "overlong and huge varints, lying lengths, deep groups and nesting, invalid UTF-8, bad "
                        "wire types) to every method of the API, health and reflection")
        for code, n in sorted(fuzz_all.items()):
            result.figure(f"fuzz: calls answered {code}", n, "calls")
        kinds = {}
        for res in outcomes.values():
            for k, n in (res.get("fuzz") or {}).get("kinds", {}).items():
                kinds[k] = kinds.get(k, 0) + n
        result.figure("fuzz: bodies by kind", repr(dict(sorted(kinds.items()))), "")
        methods = len(every_method())
        paths = {p for res in outcomes.values() for p in (res.get("fuzz") or {}).get("counts", {})}
        result.check(not bad_all and len(paths) == methods and fuzz_all.get("INVALID_ARGUMENT", 0) > 0,
                     f"every mutated or random request got INVALID_ARGUMENT or a normal answer, never "
                     f"INTERNAL/UNKNOWN/UNAVAILABLE ({total} calls to all {methods} methods, "
                     f"{fuzz_all.get('INVALID_ARGUMENT', 0)} INVALID_ARGUMENT)",
                     f"{len(paths)} of {methods} methods called; unexpected: {bad_all[:5]!r}")
    fr = outcomes.get("fuzz", {}).get("framing")
    if fr and "framing" in fr:
        result.injected("gRPC framing abuse over raw HTTP/2: lying length prefixes, compressed flag without an "
                        "encoding, unknown encoding, a gzip bomb, corrupt gzip, two messages to a unary call")
        names = {"0": "OK", "3": "INVALID_ARGUMENT", "8": "RESOURCE_EXHAUSTED", "12": "UNIMPLEMENTED",
                 "13": "INTERNAL", "2": "UNKNOWN", "5": "NOT_FOUND"}
        statuses = {case: names.get(str(st), str(st)) for case, (st, _) in fr["framing"].items()}
        for case, (st, message) in fr["framing"].items():
            result.figure(f"framing: {case}", f"{names.get(str(st), str(st))} {message!r}", "")
        # A broken gRPC frame is INTERNAL in gRPC's own status table (as in grpc-go and grpc-java);
        # a broken protobuf inside a well-formed frame is INVALID_ARGUMENT.
        framing_error = {"INTERNAL", "INVALID_ARGUMENT"}
        expected = {"prefix longer than data": framing_error, "prefix shorter than data": framing_error,
                    "prefix of 4 GiB - 1": {"RESOURCE_EXHAUSTED"}, "compressed flag without encoding": framing_error,
                    "unknown grpc-encoding": {"UNIMPLEMENTED"}, "gzip bomb beyond the message limit":
                    {"RESOURCE_EXHAUSTED"}, "corrupt gzip": framing_error,
                    "two messages to a unary call": framing_error, "half a prefix": framing_error,
                    "one byte per DATA frame": {"OK"},  # a valid request for an existing deployment
                    "no body at all": framing_error}
        wrong = {c: s for c, s in statuses.items() if s not in expected.get(c, set())}
        result.check(not wrong, "every gRPC framing abuse got its status: RESOURCE_EXHAUSTED for the gzip bomb "
                                "and a 4 GiB length prefix, UNIMPLEMENTED for an unknown encoding, INTERNAL or "
                                "INVALID_ARGUMENT for broken frames, OK for a valid request split in 1-byte DATA "
                                f"frames; never UNKNOWN or a dropped connection ({len(statuses)} cases)",
                     repr(wrong))
    ov = outcomes.get("oversized", {}).get("oversized")
    if ov and "oversized" in ov:
        result.injected(f"requests above --max-message-bytes ({max_message} bytes): +1 byte, 2x, 32 MiB")
        codes = {k: v for k, v in ov["oversized"].items()}
        result.figure("oversized: answers", repr(codes), "")
        result.check(all(set(v) == {"RESOURCE_EXHAUSTED"} for v in codes.values()),
                     "every request above the message limit got RESOURCE_EXHAUSTED", repr(codes))
        result.injected("huge metadata (17 KiB, 64 KiB, 1 MiB headers; the server's header list limit is 16 KiB) "
                        "and a CONTINUATION flood of 8 MiB of header bytes")
        result.figure("huge metadata: answers", repr(ov["metadata"]), "")
        result.check(all("OK" not in v and "UNKNOWN" not in v and "INTERNAL" not in v
                         for v in ov["metadata"].values()),
                     "every call with metadata above the advertised header list limit (16 KiB) was refused, never "
                     "served (a valid GetDeployment of an existing deployment, so OK would mean served) and never "
                     "INTERNAL/UNKNOWN", repr(ov["metadata"]))
        result.figure("CONTINUATION flood: server's answer, seconds, header bytes sent", repr(ov["continuation"]), "")
        result.check(all(c[0] != "still open" and c[3] < 8 << 20 for c in ov["continuation"]),
                     "a CONTINUATION flood is cut short: the server ends the connection before 8 MiB of header "
                     "bytes were taken", repr(ov["continuation"]))
    idle = outcomes.get("idle", {}).get("idle")
    if idle and "opened" in idle:
        result.injected(f"{idle['opened'] + idle['refused']} idle connections (half HTTP/2 preface + SETTINGS then "
                        "nothing, half plain TCP sending nothing), held for the phase")
        for k, v in idle.items():
            result.figure(f"idle: {k}", v if not isinstance(v, dict) else repr(v), "")
        result.check(idle["refused"] == 0, f"all {idle['opened']} idle connections were accepted",
                     f"{idle['refused']} refused: {idle['errors']}")
        if phase_s >= 30:  # the server's slow-client timeout is 10 s; --short phases are shorter
            tcp = idle["opened_tcp"]
            result.check(idle["closed_by_server_tcp"] == tcp,
                         f"every plain TCP connection that never sent the HTTP/2 preface ({tcp}) was closed by "
                         "the server within the phase", f"{idle['closed_by_server_tcp']} closed")
    sl = outcomes.get("slowloris", {}).get("slowloris")
    if sl and "clients" in sl:
        result.injected(f"{sl['clients']} slowloris clients: preface, HEADERS or request body one byte per second")
        for mode in ("preface", "headers", "body"):
            result.figure(f"slowloris ({mode} one byte/s): closed by the server", sl[mode]["closed_by_server"],
                          f"of {sl[mode]['clients']}")
            result.figure(f"slowloris ({mode} one byte/s): median time to close", sl[mode]["median_close_s"], "s")
        if phase_s >= 30:
            for mode in ("preface", "headers"):
                result.check(sl[mode]["closed_by_server"] == sl[mode]["clients"],
                             f"every client sending its {mode} one byte per second ({sl[mode]['clients']}) was "
                             "closed by the server within the phase",
                             f"{sl[mode]['closed_by_server']} closed")
    nr = outcomes.get("nonreaders", {}).get("nonreaders")
    if nr and "streams" in nr:
        result.injected(f"{nr['connections']} connections with {nr['streams']} streams (WatchDeployments from "
                        "revision 0, WatchOperation, Health/Watch, ListDeployments of 100) that are never read "
                        "(zero window; no recv at all; the largest windows and no recv), while 5 deployments a "
                        "second are created")
        for k in ("closed_by_server", "goaways", "streams_reset_by_server", "refused", "creates"):
            result.figure(f"never-read streams: {k}", nr[k] if not isinstance(nr[k], (list, dict)) else repr(nr[k]), "")
    rr = outcomes.get("rapid_reset", {}).get("rapid_reset")
    if rr and "streams" in rr:
        result.injected(f"rapid reset: {rr['streams']} streams opened and reset at once on {rr['connections']} "
                        "connections (HEADERS+DATA then RST_STREAM CANCEL, reconnecting when ended)")
        result.figure("rapid reset: how connections ended", repr(rr["outcomes"]), "")
        result.figure("rapid reset: first connections", repr(rr["detail"][:3]), "")
        bounded = [c for c in rr["detail"] if c["outcome"].startswith("GOAWAY") or c["outcome"] == "closed"]
        result.check(bool(bounded) and all(c["streams"] <= 100000 for c in bounded),
                     "rapid reset is bounded: the server ends such a connection (GOAWAY) before 100,000 reset "
                     "streams", repr(rr["detail"][:3]))
        ended = sum(n for o, n in rr["outcomes"].items() if o.startswith("GOAWAY"))
        refused = rr["outcomes"].get("refused", 0)
        result.figure("rapid reset: connections ended for flooding / refused on accept", f"{ended} / {refused}", "")
        result.check(refused > 0 and ended <= 10,
                     "a flooding peer is refused: after its connection is ended, its address's new connections "
                     f"are closed on accept for a cooldown (ended {ended}, at most 10; refused {refused})",
                     repr(rr["outcomes"]))
    ua = outcomes.get("unauth", {}).get("unauth")
    if ua and "counts" in ua:
        total = sum(ua["counts"].values())
        result.injected(f"{total} unauthenticated calls (no key, empty, malformed, 4,000-byte and well-formed "
                        "unknown keys) from 4 threads")
        result.figure("unauthenticated flood: answers", repr(ua["counts"]), "")
        result.check(set(ua["counts"]) == {"UNAUTHENTICATED"},
                     f"every call without a valid key got UNAUTHENTICATED ({total} calls)", repr(ua["counts"]))
    ca = outcomes.get("cancel", {}).get("cancel")
    if ca and "counts" in ca:
        result.injected(f"{ca['counts']['cancelled by us']} grpcio ListDeployments calls cancelled right after "
                        "they started (2 clients at 40 calls/s)")
    for phase in ("all-1", "all-2"):
        res = outcomes.get(phase, {})
        f = res.get("unauth")
        if f and "counts" in f:
            result.check(set(f["counts"]) == {"UNAUTHENTICATED"},
                         f"{phase}: every call without a valid key got UNAUTHENTICATED "
                         f"({sum(f['counts'].values())} calls)", repr(f["counts"]))
        ov = res.get("oversized")
        if ov and "oversized" in ov:
            result.check(all(set(v) == {"RESOURCE_EXHAUSTED"} for v in ov["oversized"].values()),
                         f"{phase}: every request above the message limit got RESOURCE_EXHAUSTED",
                         repr(ov["oversized"]))


if __name__ == "__main__":
    main()

"""Resident memory of a server per idle HTTP/2 connection and per open stream.

Usage: transport-memory.py HOST:PORT PID [streams]
Opens 200 idle connections (preface + SETTINGS, answered), then 100 streams on one
more connection whose requests never end (their handlers wait for the request body),
reading VmRSS before and after.
"""
import socket
import sys
import time

import hpack
from hyperframe.frame import Frame, HeadersFrame, SettingsFrame

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def connect(host, port):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(PREFACE + SettingsFrame(0).serialize())
    # The server's SETTINGS show the connection is set up.
    header = b""
    while len(header) < 9:
        header += s.recv(9 - len(header))
    frame, length = Frame.parse_frame_header(memoryview(header))
    body = b""
    while len(body) < length:
        body += s.recv(length - len(body))
    s.sendall(SettingsFrame(0, flags=["ACK"]).serialize())
    return s


def settle(pid, seconds=1.0):
    """RSS once it stops moving (bounded)."""
    last = rss_kib(pid)
    deadline = time.monotonic() + seconds * 5
    while time.monotonic() < deadline:
        time.sleep(seconds / 4)
        now = rss_kib(pid)
        if now == last:
            return now
        last = now
    return last


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    pid = int(sys.argv[2])
    streams = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    base = settle(pid)
    conns = [connect(host, port) for _ in range(200)]
    with_conns = settle(pid)
    per_conn = (with_conns - base) / len(conns)

    s = connect(host, port)
    enc = hpack.Encoder()
    frames = []
    for i in range(streams):
        block = enc.encode([(":method", "POST"), (":scheme", "http"), (":path", "/onvera.echo.Echo/Get"),
                            (":authority", "mem"), ("content-type", "application/grpc"), ("te", "trailers"),
                            ("x-echo-sleep-ms", "60000")])
        h = HeadersFrame(1 + 2 * i, data=block)
        h.flags.add("END_HEADERS")
        frames.append(h.serialize())
    s.sendall(b"".join(frames))
    with_streams = settle(pid)
    per_stream = (with_streams - with_conns) / streams
    print(f"{per_conn:.1f}\t{per_stream:.1f}")
    for c in conns + [s]:
        c.close()


if __name__ == "__main__":
    main()

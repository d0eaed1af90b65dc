"""Graceful shutdown of onvera-echo, frame by frame: SIGTERM while a stream is open must give
GOAWAY(2^31-1) and a PING, then (after our PING ACK) GOAWAY(last stream id), the open stream
completing with grpc-status 0, then the connection closing.

Usage: h2_shutdown.py HOST:PORT PID
"""
import os
import signal
import socket
import struct
import sys
import time

import hpack
from hyperframe.frame import Frame, GoAwayFrame, HeadersFrame, PingFrame, SettingsFrame, DataFrame

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    pid = int(sys.argv[2])
    sock = socket.create_connection((host, int(port)), timeout=10)
    enc, dec = hpack.Encoder(), hpack.Decoder()
    block = enc.encode([(":method", "POST"), (":scheme", "http"), (":path", "/onvera.echo.Echo/Expand"),
                        (":authority", "probe"), ("content-type", "application/grpc"), ("te", "trailers"),
                        ("x-echo-count", "10"), ("x-echo-interval-ms", "50")])
    headers = HeadersFrame(1, data=block)
    headers.flags.add("END_HEADERS")
    data = DataFrame(1, data=struct.pack(">BI", 0, 0))
    data.flags.add("END_STREAM")
    sock.sendall(PREFACE + SettingsFrame(0).serialize() + headers.serialize() + data.serialize())

    buf = b""
    log = []
    sent_term = False
    data_bytes = 0
    status = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            log.append(("closed",))
            break
        buf += chunk
        while len(buf) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(buf[:9]))
            if len(buf) < 9 + length:
                break
            frame.parse_body(memoryview(buf[9:9 + length]))
            buf = buf[9 + length:]
            if isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                sock.sendall(SettingsFrame(0, flags=["ACK"]).serialize())
            elif isinstance(frame, PingFrame) and "ACK" not in frame.flags:
                log.append(("ping",))
                sock.sendall(PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"]).serialize())
            elif isinstance(frame, GoAwayFrame):
                log.append(("goaway", frame.last_stream_id, frame.error_code))
            elif isinstance(frame, DataFrame) and frame.stream_id == 1:
                data_bytes += len(frame.data)
                if not sent_term:
                    sent_term = True
                    os.kill(pid, signal.SIGTERM)
            elif isinstance(frame, HeadersFrame) and frame.stream_id == 1:
                fields = dict(dec.decode(frame.data))
                if "grpc-status" in fields:
                    status = fields["grpc-status"]
                    log.append(("trailers", status))
    print(log)
    failures = []
    goaways = [e for e in log if e[0] == "goaway"]
    if len(goaways) < 2 or goaways[0][1] != 2**31 - 1 or goaways[1][1] != 1:
        failures.append(f"two GOAWAYs (2^31-1, then 1) expected: {goaways}")
    if not goaways or ("ping",) not in log or log.index(("ping",)) < log.index(goaways[0]):
        failures.append("a PING after the first GOAWAY expected")
    if status != "0" or data_bytes != 10 * 5:
        failures.append(f"the open stream completes: status {status}, {data_bytes} bytes")
    if log[-1] != ("closed",):
        failures.append("the connection closes")
    for f in failures:
        print("FAIL", f)
    print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

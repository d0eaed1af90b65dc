"""Raw HTTP/2 pieces of the hostile-input soak (tools/soak/hostile.py): stateless
request header blocks, frame building, and a connection whose reader thread
answers SETTINGS/PING and records what the server did (GOAWAY, resets, close)."""
import socket
import struct
import threading
import time

import hpack
from hpack import NeverIndexedHeaderTuple
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame,
                              RstStreamFrame, SettingsFrame, WindowUpdateFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
CANCEL = 0x8
GOAWAY_CODES = {0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR",
                4: "SETTINGS_TIMEOUT", 5: "STREAM_CLOSED", 6: "FRAME_SIZE_ERROR", 7: "REFUSED_STREAM",
                8: "CANCEL", 9: "COMPRESSION_ERROR", 10: "CONNECT_ERROR", 11: "ENHANCE_YOUR_CALM",
                12: "INADEQUATE_SECURITY", 13: "HTTP_1_1_REQUIRED"}


def grpc_frame(payload, compressed=False, declared=None):
    """A gRPC length-prefixed message; `declared` overrides the length in the prefix."""
    return struct.pack(">BI", 1 if compressed else 0, len(payload) if declared is None else declared) + payload


def header_block(path, key=None, extra=()):
    """An HPACK block that uses only the static table (never-indexed literals), so the same
    bytes are valid on any stream of any connection."""
    headers = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "soak"),
               ("content-type", "application/grpc"), ("te", "trailers")]
    if key is not None:
        headers.append(("x-api-key", key))
    headers.extend(extra)
    return hpack.Encoder().encode([NeverIndexedHeaderTuple(n, v) for n, v in headers])


def _frame(kind, flags, stream_id, payload):
    # Built by hand (not hyperframe) so the attackers spend little CPU per frame.
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, kind, flags, stream_id) + payload


def headers_frame(stream_id, block, end_stream=False, end_headers=True):
    return _frame(0x1, (0x4 if end_headers else 0) | (0x1 if end_stream else 0), stream_id, block)


def data_frame(stream_id, payload, end_stream=True):
    return _frame(0x0, 0x1 if end_stream else 0, stream_id, payload)


def rst_frame(stream_id, code=CANCEL):
    return _frame(0x3, 0, stream_id, struct.pack(">I", code))


def settings_frame(**values):
    f = SettingsFrame(0)
    ids = {"initial_window_size": SettingsFrame.INITIAL_WINDOW_SIZE,
           "max_concurrent_streams": SettingsFrame.MAX_CONCURRENT_STREAMS}
    for name, value in values.items():
        f.settings[ids[name]] = value
    return f.serialize()


def connect(target, timeout=10, source=None):
    """A TCP connection to `target` (HOST:PORT), from the local address `source` if given."""
    host, port = target.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=timeout,
                                    source_address=(source, 0) if source else None)


class Conn:
    """A raw h2 client connection. The reader thread (unless `read` is False) parses every
    frame, ACKs SETTINGS and PING, keeps the HPACK decoder in step, and records per stream
    the gRPC status (from trailers) or the reset code, plus GOAWAY and the close."""

    def __init__(self, target, settings=b"", read=True, timeout=10, source=None):
        self.sock = connect(target, timeout, source)
        self.sock.settimeout(None)
        self.lock = threading.Lock()
        self.goaway = None          # (last_stream_id, error code, debug data)
        self.goaway_at = None
        self.closed = threading.Event()
        self.status = {}            # stream id -> grpc-status (str) or "RST:<code>"
        self.messages = {}          # stream id -> grpc-message
        self.ended = threading.Condition()
        self.max_streams = None
        self.settings_seen = threading.Event()
        self.data_bytes = 0
        self.decoder = hpack.Decoder()
        self.decoder.max_allowed_table_size = 65536
        self.send(PREFACE + (settings or SettingsFrame(0).serialize()))
        if read:
            threading.Thread(target=self._read, daemon=True).start()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def try_send(self, data):
        try:
            self.send(data)
            return True
        except OSError:
            return False

    def _read(self):
        buf = b""
        try:
            while True:
                chunk = self.sock.recv(262144)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= 9:
                    frame, length = Frame.parse_frame_header(memoryview(buf[:9]))
                    if len(buf) < 9 + length:
                        break
                    frame.parse_body(memoryview(buf[9:9 + length]))
                    buf = buf[9 + length:]
                    self._frame(frame)
        except (OSError, ValueError, hpack.HPACKError):
            pass
        finally:
            self.closed.set()
            with self.ended:
                self.ended.notify_all()

    def _frame(self, frame):
        if isinstance(frame, SettingsFrame):
            if "ACK" not in frame.flags:
                if SettingsFrame.MAX_CONCURRENT_STREAMS in frame.settings:
                    self.max_streams = frame.settings[SettingsFrame.MAX_CONCURRENT_STREAMS]
                self.try_send(SettingsFrame(0, flags=["ACK"]).serialize())
                self.settings_seen.set()
        elif isinstance(frame, PingFrame):
            if "ACK" not in frame.flags:
                self.try_send(PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"]).serialize())
        elif isinstance(frame, GoAwayFrame):
            self.goaway = (frame.last_stream_id, frame.error_code, bytes(frame.additional_data))
            self.goaway_at = time.monotonic()
        elif isinstance(frame, (HeadersFrame, ContinuationFrame)):
            fields = dict(self.decoder.decode(frame.data))
            if "grpc-status" in fields:
                self.messages[frame.stream_id] = fields.get("grpc-message", "")
                self._end(frame.stream_id, fields["grpc-status"])
            elif "END_STREAM" in frame.flags and ":status" in fields:
                self._end(frame.stream_id, "HTTP:" + fields[":status"])
        elif isinstance(frame, DataFrame):
            self.data_bytes += len(frame.data)
            if frame.flow_controlled_length:
                # Keep the windows open so responses are not held back by us.
                self.try_send(WindowUpdateFrame(0, window_increment=frame.flow_controlled_length).serialize()
                              + WindowUpdateFrame(frame.stream_id,
                                                  window_increment=frame.flow_controlled_length).serialize())
        elif isinstance(frame, RstStreamFrame):
            self._end(frame.stream_id, f"RST:{frame.error_code}")

    def _end(self, sid, value):
        with self.ended:
            self.status.setdefault(sid, value)  # a RST_STREAM(NO_ERROR) after the trailers changes nothing
            self.ended.notify_all()

    def wait_status(self, sid, timeout=10):
        """The stream's grpc-status / reset, or "CLOSED" / None (timeout)."""
        deadline = time.monotonic() + timeout
        with self.ended:
            while sid not in self.status:
                if self.closed.is_set():
                    return "CLOSED"
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.ended.wait(remaining)
            return self.status[sid]

    def close(self):
        # shutdown first: a close alone leaves the connection open while the reader thread sits in recv.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


def continuation_flood(target, key, total_bytes, timeout=10):
    """HEADERS without END_HEADERS followed by CONTINUATION frames carrying `total_bytes` of
    header data: returns (what the server did, seconds, bytes sent before it stopped us)."""
    conn = Conn(target)
    start = time.monotonic()
    block = header_block("/onvera.v1.DeploymentService/ListDeployments", key)
    sent = 0
    try:
        conn.send(headers_frame(1, block, end_headers=False))
        filler = hpack.Encoder().encode([NeverIndexedHeaderTuple("x-pad", "p" * 8000)])
        while sent < total_bytes and not conn.closed.is_set() and conn.goaway is None:
            last = sent + len(filler) >= total_bytes
            f = ContinuationFrame(1, data=filler)
            if last:
                f.flags.add("END_HEADERS")
            conn.send(f.serialize())
            sent += len(filler)
    except OSError:
        pass
    conn.closed.wait(timeout)
    outcome = (f"GOAWAY {GOAWAY_CODES.get(conn.goaway[1], conn.goaway[1])}" if conn.goaway else
               ("closed" if conn.closed.is_set() else "still open"))
    status = conn.status.get(1)
    conn.close()
    return outcome, status, round(time.monotonic() - start, 2), sent

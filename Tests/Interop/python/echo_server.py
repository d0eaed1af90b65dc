"""The echo test service on grpcio, the peer server for our client.

Same behaviour as onvera-echo (Tests/Tools/Echo/EchoService.swift), driven by
request metadata. Prints "listening on 127.0.0.1:PORT" once serving.
"""
import sys
import threading
import time
from concurrent import futures

import grpc

import echo_pb2 as pb
import echo_pb2_grpc as pbg


class Log:
    def __init__(self):
        self.cond = threading.Condition()
        self.tags = set()

    def record(self, tag):
        if tag:
            with self.cond:
                self.tags.add(tag)
                self.cond.notify_all()

    def wait(self, tag, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: tag in self.tags, timeout)


def md(context):
    return dict(context.invocation_metadata())


def echoed(context):
    return tuple((k, v) for k, v in context.invocation_metadata() if k.startswith("x-") and not k.startswith("x-echo-"))


class Echo(pbg.EchoServicer):
    def __init__(self):
        self.log = Log()

    def _sleep(self, context, ms):
        """Sleeps unless the RPC ends first; returns False if it did."""
        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            if not context.is_active():
                return False
            time.sleep(0.01)
        return context.is_active()

    def _prelude(self, context):
        m = md(context)
        if m.get("x-echo-compress") == "gzip":
            context.set_compression(grpc.Compression.Gzip)
        if "x-echo-sleep-ms" in m:
            if not self._sleep(context, int(m["x-echo-sleep-ms"])):
                self.log.record(m.get("x-echo-tag", ""))
                context.abort(grpc.StatusCode.CANCELLED, "cancelled")
        context.send_initial_metadata(echoed(context))
        if "x-echo-status" in m:
            message = m.get("x-echo-message-bin", b"").decode()
            trailers = echoed(context)
            if "x-echo-details-bin" in m:
                trailers += (("grpc-status-details-bin", m["x-echo-details-bin"]),)
            context.set_trailing_metadata(trailers)
            code = next(c for c in grpc.StatusCode if c.value[0] == int(m["x-echo-status"]))
            context.abort(code, message)
        context.set_trailing_metadata(echoed(context))

    def Get(self, request, context):
        self._prelude(context)
        return pb.EchoResponse(payload=request.payload)

    def Expand(self, request, context):
        self._prelude(context)
        m = md(context)
        count = int(m.get("x-echo-count", "3"))
        interval = int(m.get("x-echo-interval-ms", "0"))
        try:
            for _ in range(count):
                if interval and not self._sleep(context, interval):
                    return
                yield pb.EchoResponse(payload=request.payload)
        finally:
            # Cancellation may come during a sleep or while grpcio holds the generator at a yield.
            if not context.is_active():
                self.log.record(m.get("x-echo-tag", ""))

    def Collect(self, request_iterator, context):
        payload = b"".join(r.payload for r in request_iterator)
        self._prelude(context)
        return pb.EchoResponse(payload=payload)

    def Update(self, request_iterator, context):
        self._prelude(context)
        m = md(context)
        try:
            for r in request_iterator:
                yield pb.EchoResponse(payload=r.payload)
        finally:
            if not context.is_active():
                self.log.record(m.get("x-echo-tag", ""))

    def WasCancelled(self, request, context):
        seen = self.log.wait(request.payload.decode(), 5)
        return pb.EchoResponse(payload=b"yes" if seen else b"no")


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))
    pbg.add_EchoServicer_to_server(Echo(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()

"""grpcio as a client of the onvera-echo server on our transport.

Usage: test_server.py HOST:PORT (the stubs generated from echo.proto on PYTHONPATH).
"""
import sys
import threading
import uuid

import grpc

import echo_pb2 as pb
import echo_pb2_grpc as pbg
from common import case, expect, run_all

MiB = 1024 * 1024


def tag():
    return uuid.uuid4().hex


def was_cancelled(stub, t):
    return stub.WasCancelled(pb.EchoRequest(payload=t.encode()), timeout=10).payload == b"yes"


def code_of(fn):
    try:
        fn()
    except grpc.RpcError as e:
        return e.code(), e.details()
    return grpc.StatusCode.OK, None


@case
def unary_empty(stub, channel, target):
    r = stub.Get(pb.EchoRequest(payload=b""), timeout=10)
    expect(r.payload == b"", "empty payload round trip")


@case
def unary_large(stub, channel, target):
    payload = bytes(range(256)) * int(3.9 * MiB / 256)
    r = stub.Get(pb.EchoRequest(payload=payload), timeout=30)
    expect(r.payload == payload, "3.9 MiB payload round trip")


@case
def unary_over_limit(stub, channel, target):
    code, _ = code_of(lambda: stub.Get(pb.EchoRequest(payload=b"x" * (5 * MiB)), timeout=30))
    expect(code == grpc.StatusCode.RESOURCE_EXHAUSTED, f"over limit: got {code}")
    # The connection is still usable.
    expect(stub.Get(pb.EchoRequest(payload=b"after"), timeout=10).payload == b"after", "call after over-limit")


@case
def metadata_echo(stub, channel, target):
    binary = bytes([0, 1, 2, 0xFE, 0xFF])
    r, call = stub.Get.with_call(
        pb.EchoRequest(payload=b"m"),
        metadata=(("x-custom", "text value"), ("x-data-bin", binary)),
        timeout=10,
    )
    initial = dict(call.initial_metadata())
    trailing = dict(call.trailing_metadata())
    expect(initial.get("x-custom") == "text value", f"text in headers: {initial}")
    expect(initial.get("x-data-bin") == binary, f"binary in headers: {initial}")
    expect(trailing.get("x-custom") == "text value", f"text in trailers: {trailing}")
    expect(trailing.get("x-data-bin") == binary, f"binary in trailers: {trailing}")


@case
def status_and_non_ascii_message(stub, channel, target):
    message = "Précondition échouée: 100% ✓ 日本語 \t end"
    try:
        stub.Get(
            pb.EchoRequest(payload=b"s"),
            metadata=(("x-echo-status", "9"), ("x-echo-message-bin", message.encode()), ("x-trailer", "t")),
            timeout=10,
        )
        raise AssertionError("expected an error")
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.FAILED_PRECONDITION, f"code {e.code()}")
        expect(e.details() == message, f"message {e.details()!r}")
        expect(dict(e.trailing_metadata()).get("x-trailer") == "t", "trailers with the error")


@case
def rich_error_details(stub, channel, target):
    from google.protobuf import any_pb2
    from google.rpc import error_details_pb2, status_pb2
    from grpc_status import rpc_status

    info = error_details_pb2.ErrorInfo(reason="DEPLOYMENT_NOT_FOUND", domain="onvera.dev", metadata={"id": "dep_1"})
    detail = any_pb2.Any()
    detail.Pack(info)
    status = status_pb2.Status(code=5, message="deployment dep_1 not found", details=[detail])
    try:
        stub.Get(
            pb.EchoRequest(payload=b"r"),
            metadata=(("x-echo-status", "5"), ("x-echo-message-bin", status.message.encode()),
                      ("x-echo-details-bin", status.SerializeToString())),
            timeout=10,
        )
        raise AssertionError("expected an error")
    except grpc.RpcError as e:
        got = rpc_status.from_call(e)
        expect(got is not None, "grpc-status-details-bin present")
        expect(got.code == 5 and got.message == status.message, f"status {got}")
        out = error_details_pb2.ErrorInfo()
        expect(got.details[0].Unpack(out) and out == info, f"ErrorInfo {out}")


@case
def unknown_method(stub, channel, target):
    call = channel.unary_unary("/onvera.echo.Echo/NoSuchMethod")
    code, _ = code_of(lambda: call(b"", timeout=10))
    expect(code == grpc.StatusCode.UNIMPLEMENTED, f"unknown method: {code}")


@case
def unknown_service(stub, channel, target):
    call = channel.unary_unary("/no.such.Service/Get")
    code, _ = code_of(lambda: call(b"", timeout=10))
    expect(code == grpc.StatusCode.UNIMPLEMENTED, f"unknown service: {code}")


@case
def deadline_exceeded(stub, channel, target):
    t = tag()
    code, _ = code_of(
        lambda: stub.Get(
            pb.EchoRequest(payload=b"d"), metadata=(("x-echo-sleep-ms", "10000"), ("x-echo-tag", t)), timeout=0.5
        )
    )
    expect(code == grpc.StatusCode.DEADLINE_EXCEEDED, f"deadline: {code}")
    expect(was_cancelled(stub, t), "handler observed cancellation after the deadline")


@case
def client_cancel_mid_stream(stub, channel, target):
    t = tag()
    call = stub.Expand(
        pb.EchoRequest(payload=b"c"),
        metadata=(("x-echo-count", "1000"), ("x-echo-interval-ms", "50"), ("x-echo-tag", t)),
        timeout=30,
    )
    got = 0
    for _ in call:
        got += 1
        if got == 2:
            call.cancel()
            break
    expect(got == 2, "received two messages before cancelling")
    expect(was_cancelled(stub, t), "handler observed the client's cancel")


@case
def client_cancel_bidi(stub, channel, target):
    t = tag()
    gate = threading.Event()

    def requests():
        yield pb.EchoRequest(payload=b"1")
        gate.wait(10)

    call = stub.Update(requests(), metadata=(("x-echo-tag", t),), timeout=30)
    first = next(call)
    expect(first.payload == b"1", "bidi echo")
    call.cancel()
    gate.set()
    expect(was_cancelled(stub, t), "bidi handler observed the client's cancel")


@case
def server_streaming(stub, channel, target):
    rs = list(stub.Expand(pb.EchoRequest(payload=b"s"), metadata=(("x-echo-count", "50"),), timeout=10))
    expect(len(rs) == 50 and all(r.payload == b"s" for r in rs), "50 streamed messages")


@case
def client_streaming(stub, channel, target):
    reqs = (pb.EchoRequest(payload=bytes([i])) for i in range(100))
    r = stub.Collect(reqs, timeout=10)
    expect(r.payload == bytes(range(100)), "client stream concatenated")


@case
def bidi_streaming(stub, channel, target):
    reqs = [pb.EchoRequest(payload=str(i).encode() * 1000) for i in range(100)]
    rs = list(stub.Update(iter(reqs), timeout=10))
    expect([r.payload for r in rs] == [r.payload for r in reqs], "bidi echoed in order")


@case
def gzip_both_directions(stub, channel, target):
    for compression in (grpc.Compression.Gzip, grpc.Compression.Deflate):
        with grpc.insecure_channel(target, compression=compression) as ch:
            s = pbg.EchoStub(ch)
            payload = b"compress me " * 100000
            r = s.Get(pb.EchoRequest(payload=payload), timeout=10)
            expect(r.payload == payload, f"{compression} unary")
            rs = list(s.Expand(pb.EchoRequest(payload=payload), metadata=(("x-echo-count", "3"),), timeout=10))
            expect(len(rs) == 3 and rs[2].payload == payload, f"{compression} stream")


@case
def concurrent_200(stub, channel, target):
    futures = [stub.Get.future(pb.EchoRequest(payload=str(i).encode()), timeout=30) for i in range(200)]
    for i, f in enumerate(futures):
        expect(f.result().payload == str(i).encode(), f"call {i}")


def main():
    target = sys.argv[1]
    with grpc.insecure_channel(target) as channel:
        stub = pbg.EchoStub(channel)
        return run_all(stub, channel, target)


if __name__ == "__main__":
    sys.exit(main())

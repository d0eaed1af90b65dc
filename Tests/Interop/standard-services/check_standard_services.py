"""grpcio's own clients against onvera-standard-services: health, reflection,
and stubs generated from proto/ calling the stand-in EnvironmentService.

Usage: check_standard_services.py HOST:PORT  (with the generated onvera.v1
modules on PYTHONPATH)
Exits non-zero (an AssertionError or an RPC error) on the first mismatch.
"""
import sys

import grpc
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase
from grpc_status import rpc_status
from google.rpc import error_details_pb2
from onvera.v1 import environments_pb2, environments_pb2_grpc

EXPECTED_SERVICES = {
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "onvera.v1.DeploymentService",
    "onvera.v1.EnvironmentService",
    "onvera.v1.OperationService",
    "onvera.v1.OrganizationService",
}


def check_health(channel):
    stub = health_pb2_grpc.HealthStub(channel)
    Status = health_pb2.HealthCheckResponse
    assert stub.Check(health_pb2.HealthCheckRequest(service="")).status == Status.SERVING
    assert stub.Check(health_pb2.HealthCheckRequest(service="onvera.v1.DeploymentService")).status == Status.NOT_SERVING
    try:
        stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"))
        raise AssertionError("Check of an unknown service succeeded")
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.NOT_FOUND, error
    watch = stub.Watch(health_pb2.HealthCheckRequest(service="later.Service"))
    assert next(watch).status == Status.SERVICE_UNKNOWN
    watch.cancel()
    print("health: Check and Watch ok")


def fields(message):
    return [(f.name, f.number, f.label, f.type, f.type_name, f.HasField("oneof_index") and f.oneof_index)
            for f in message.field]


def same_shape(ours, theirs):
    """The parts of two FileDescriptorProtos that define the wire and the API (not options)."""
    # grpcio names its copies grpc_health/... and grpc_reflection/...; ours use grpc/grpc's paths.
    assert ours.package == theirs.package, (ours.package, theirs.package)
    assert [m.name for m in ours.message_type] == [m.name for m in theirs.message_type], ours.name
    for a, b in zip(ours.message_type, theirs.message_type):
        assert fields(a) == fields(b), (a.name, fields(a), fields(b))
        assert [o.name for o in a.oneof_decl] == [o.name for o in b.oneof_decl], a.name
        assert [(e.name, [(v.name, v.number) for v in e.value]) for e in a.enum_type] == \
            [(e.name, [(v.name, v.number) for v in e.value]) for e in b.enum_type], a.name
    for a, b in zip(ours.service, theirs.service):
        assert a.name == b.name
        assert [(m.name, m.input_type, m.output_type, m.client_streaming, m.server_streaming) for m in a.method] == \
            [(m.name, m.input_type, m.output_type, m.client_streaming, m.server_streaming) for m in b.method], a.name


def check_reflection(channel):
    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert services == EXPECTED_SERVICES, services
    pool = DescriptorPool(database)
    for name in sorted(services):
        service = pool.FindServiceByName(name)
        assert service.methods, name
    deployments = pool.FindServiceByName("onvera.v1.DeploymentService")
    assert deployments.methods_by_name["WatchDeployments"].server_streaming
    assert deployments.methods_by_name["CreateDeployment"].input_type.full_name == "onvera.v1.CreateDeploymentRequest"
    deployment = pool.FindMessageTypeByName("onvera.v1.Deployment")
    assert deployment.fields_by_name["create_time"].message_type.full_name == "google.protobuf.Timestamp"
    assert pool.FindEnumTypeByName("onvera.v1.DeploymentEvent.Kind").values_by_name["KIND_SYNCED"].number == 4

    # The standard files we describe by hand against the ones grpcio ships.
    for ours_name, module in [("grpc/health/v1/health.proto", health_pb2),
                              ("grpc/reflection/v1alpha/reflection.proto", reflection_pb2)]:
        ours = descriptor_pb2.FileDescriptorProto()
        pool.FindFileByName(ours_name).CopyToProto(ours)
        theirs = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(theirs)
        same_shape(ours, theirs)

    # v1 (grpcio's client only speaks v1alpha): the same messages on the other path.
    info = channel.stream_stream(
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    requests = [
        reflection_pb2.ServerReflectionRequest(list_services=""),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="onvera.v1.OperationService.WatchOperation"),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="onvera.v1.Nope"),
        reflection_pb2.ServerReflectionRequest(all_extension_numbers_of_type="onvera.v1.Deployment"),
    ]
    responses = list(info(iter(requests)))
    assert len(responses) == 4, responses
    assert {s.name for s in responses[0].list_services_response.service} == EXPECTED_SERVICES
    first = descriptor_pb2.FileDescriptorProto.FromString(responses[1].file_descriptor_response.file_descriptor_proto[0])
    assert first.name == "onvera/v1/operations.proto", first.name
    assert responses[2].error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]
    assert responses[3].error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]
    print("reflection: v1alpha client, descriptor pool, v1 stream ok;", len(services), "services")


def check_generated_stubs(channel):
    stub = environments_pb2_grpc.EnvironmentServiceStub(channel)
    listed = stub.ListEnvironments(environments_pb2.ListEnvironmentsRequest())
    assert [e.id for e in listed.environments] == ["env_default"], listed
    assert listed.environments[0].system_owned
    try:
        stub.GetEnvironment(environments_pb2.GetEnvironmentRequest(environment_id="env_elsewhere"))
        raise AssertionError("GetEnvironment of an unknown id succeeded")
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.NOT_FOUND, error
        status = rpc_status.from_call(error)  # checks code and message agree with the trailers
        assert status is not None, "no grpc-status-details-bin"
        assert status.message == "environment 'env_elsewhere' not found", status.message
        info = error_details_pb2.ErrorInfo()
        assert status.details[0].Unpack(info), status.details
        assert (info.reason, info.domain, dict(info.metadata)) == \
            ("ENVIRONMENT_NOT_FOUND", "onvera.io", {"environment_id": "env_elsewhere"}), info
    # A body that is not a GetEnvironmentRequest: field 1 claims 100 bytes, 2 follow.
    raw = channel.unary_unary("/onvera.v1.EnvironmentService/GetEnvironment")
    try:
        raw(b"\x0a\x64ab")
        raise AssertionError("a malformed request was accepted")
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error
        assert "onvera.v1.GetEnvironmentRequest" in error.details(), error.details()
    print("generated stubs: unary calls, ErrorInfo through grpc_status, INVALID_ARGUMENT ok")


def main():
    with grpc.insecure_channel(sys.argv[1]) as channel:
        check_health(channel)
        check_reflection(channel)
        check_generated_stubs(channel)


if __name__ == "__main__":
    main()

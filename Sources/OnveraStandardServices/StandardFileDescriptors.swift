import ProtoWire

// The descriptors of the standard services' own .proto files, built field by
// field as protoc would describe them, so reflection clients can resolve
// grpc.health.v1.Health and grpc.reflection.*.ServerReflection like any other
// service the server lists.

enum StandardFileDescriptors {
  typealias Field = Google_Protobuf_FieldDescriptorProto

  /// Serialized `FileDescriptorProto`s of health.proto and both reflection.proto files.
  static var all: [[UInt8]] {
    [
      health().serializedBytes(),
      reflection(file: "grpc/reflection/v1/reflection.proto", package: "grpc.reflection.v1").serializedBytes(),
      reflection(file: "grpc/reflection/v1alpha/reflection.proto", package: "grpc.reflection.v1alpha").serializedBytes(),
    ]
  }

  static func message(_ name: String, _ fields: [Field], oneofs: [String] = [], nested: [Google_Protobuf_EnumDescriptorProto] = []) -> Google_Protobuf_DescriptorProto {
    var message = Google_Protobuf_DescriptorProto()
    message.name = name
    message.field = fields
    message.oneofDecl = oneofs.map(Google_Protobuf_OneofDescriptorProto.init(name:))
    message.enumType = nested
    return message
  }

  /// grpc/health/v1/health.proto (Check and Watch).
  static func health() -> Google_Protobuf_FileDescriptorProto {
    let p = ".grpc.health.v1."
    var status = Google_Protobuf_EnumDescriptorProto()
    status.name = "ServingStatus"
    status.value = [.init("UNKNOWN", 0), .init("SERVING", 1), .init("NOT_SERVING", 2), .init("SERVICE_UNKNOWN", 3)]
    var service = Google_Protobuf_ServiceDescriptorProto()
    service.name = "Health"
    service.method = [
      .init("Check", input: p + "HealthCheckRequest", output: p + "HealthCheckResponse"),
      .init("Watch", input: p + "HealthCheckRequest", output: p + "HealthCheckResponse", serverStreaming: true),
    ]
    var file = Google_Protobuf_FileDescriptorProto()
    file.name = "grpc/health/v1/health.proto"
    file.package = "grpc.health.v1"
    file.messageType = [
      message("HealthCheckRequest", [Field("service", 1, Field.string)]),
      message(
        "HealthCheckResponse",
        [Field("status", 1, Field.enumeration, typeName: p + "HealthCheckResponse.ServingStatus")],
        nested: [status]
      ),
    ]
    file.service = [service]
    file.syntax = "proto3"
    return file
  }

  /// grpc/reflection/v1/reflection.proto, or v1alpha's copy of it under `package`.
  static func reflection(file name: String, package: String) -> Google_Protobuf_FileDescriptorProto {
    let p = ".\(package)."
    var service = Google_Protobuf_ServiceDescriptorProto()
    service.name = "ServerReflection"
    service.method = [
      .init(
        "ServerReflectionInfo", input: p + "ServerReflectionRequest", output: p + "ServerReflectionResponse",
        clientStreaming: true, serverStreaming: true)
    ]
    var file = Google_Protobuf_FileDescriptorProto()
    file.name = name
    file.package = package
    file.messageType = [
      message(
        "ServerReflectionRequest",
        [
          Field("host", 1, Field.string),
          Field("file_by_filename", 3, Field.string, oneofIndex: 0),
          Field("file_containing_symbol", 4, Field.string, oneofIndex: 0),
          Field("file_containing_extension", 5, Field.message, typeName: p + "ExtensionRequest", oneofIndex: 0),
          Field("all_extension_numbers_of_type", 6, Field.string, oneofIndex: 0),
          Field("list_services", 7, Field.string, oneofIndex: 0),
        ],
        oneofs: ["message_request"]
      ),
      message("ExtensionRequest", [Field("containing_type", 1, Field.string), Field("extension_number", 2, Field.int32)]),
      message(
        "ServerReflectionResponse",
        [
          Field("valid_host", 1, Field.string),
          Field("original_request", 2, Field.message, typeName: p + "ServerReflectionRequest"),
          Field("file_descriptor_response", 4, Field.message, typeName: p + "FileDescriptorResponse", oneofIndex: 0),
          Field("all_extension_numbers_response", 5, Field.message, typeName: p + "ExtensionNumberResponse", oneofIndex: 0),
          Field("list_services_response", 6, Field.message, typeName: p + "ListServiceResponse", oneofIndex: 0),
          Field("error_response", 7, Field.message, typeName: p + "ErrorResponse", oneofIndex: 0),
        ],
        oneofs: ["message_response"]
      ),
      message("FileDescriptorResponse", [Field("file_descriptor_proto", 1, Field.bytes, label: Field.repeated)]),
      message(
        "ExtensionNumberResponse",
        [Field("base_type_name", 1, Field.string), Field("extension_number", 2, Field.int32, label: Field.repeated)]
      ),
      message("ListServiceResponse", [Field("service", 1, Field.message, label: Field.repeated, typeName: p + "ServiceResponse")]),
      message("ServiceResponse", [Field("name", 1, Field.string)]),
      message("ErrorResponse", [Field("error_code", 1, Field.int32), Field("error_message", 2, Field.string)]),
    ]
    file.service = [service]
    file.syntax = "proto3"
    return file
  }
}

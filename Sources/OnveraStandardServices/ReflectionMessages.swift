public import ProtoWire

// The messages of grpc/reflection/v1/reflection.proto, written out by hand on
// ProtoWire. grpc.reflection.v1alpha is the same file under its older package
// name, field for field, so its messages are these types under other names.

/// `grpc.reflection.v1.ServerReflectionRequest`: one question to the reflection service.
public struct Grpc_Reflection_V1_ServerReflectionRequest: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ServerReflectionRequest"

  /// The question (the `message_request` oneof).
  public enum MessageRequest: Hashable, Sendable {
    /// The file of this name, such as `onvera/v1/deployments.proto`, and its dependencies.
    case fileByFilename(String)
    /// The file defining this fully-qualified symbol, and its dependencies.
    case fileContainingSymbol(String)
    /// The file defining an extension of a message.
    case fileContainingExtension(Grpc_Reflection_V1_ExtensionRequest)
    /// The extension numbers of a message.
    case allExtensionNumbersOfType(String)
    /// Every service; the string's content is ignored.
    case listServices(String)
  }

  /// Unused by servers in practice; echoed in `valid_host`.
  public var host: String = ""
  /// The question, nil when the client sent none.
  public var messageRequest: MessageRequest? = nil
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: host = try reader.decode(ProtoString.self, tag)
    case 3: messageRequest = .fileByFilename(try reader.decode(ProtoString.self, tag))
    case 4: messageRequest = .fileContainingSymbol(try reader.decode(ProtoString.self, tag))
    case 5:
      var value = Grpc_Reflection_V1_ExtensionRequest()
      if case .fileContainingExtension(let current) = messageRequest { value = current }
      try reader.decodeMessage(tag, into: &value)
      messageRequest = .fileContainingExtension(value)
    case 6: messageRequest = .allExtensionNumbersOfType(try reader.decode(ProtoString.self, tag))
    case 7: messageRequest = .listServices(try reader.decode(ProtoString.self, tag))
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "host", host)
    // A oneof member is written even at its default: `list_services: ""` is a question.
    switch messageRequest {
    case .fileByFilename(let v): sink.scalar(ProtoString.self, 3, "file_by_filename", v)
    case .fileContainingSymbol(let v): sink.scalar(ProtoString.self, 4, "file_containing_symbol", v)
    case .fileContainingExtension(let v): sink.message(5, "file_containing_extension", v)
    case .allExtensionNumbersOfType(let v): sink.scalar(ProtoString.self, 6, "all_extension_numbers_of_type", v)
    case .listServices(let v): sink.scalar(ProtoString.self, 7, "list_services", v)
    case nil: break
    }
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ExtensionRequest`: an extension of a message, by number.
public struct Grpc_Reflection_V1_ExtensionRequest: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ExtensionRequest"
  /// The extended message's fully-qualified name.
  public var containingType: String = ""
  /// The extension's field number.
  public var extensionNumber: Int32 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: containingType = try reader.decode(ProtoString.self, tag)
    case 2: extensionNumber = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "containing_type", containingType)
    sink.int32(2, "extension_number", extensionNumber)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ServerReflectionResponse`: the answer to one request.
public struct Grpc_Reflection_V1_ServerReflectionResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ServerReflectionResponse"

  /// The answer (the `message_response` oneof).
  public enum MessageResponse: Hashable, Sendable {
    /// Serialized `FileDescriptorProto`s, for file_by_filename and file_containing_symbol/extension.
    case fileDescriptorResponse(Grpc_Reflection_V1_FileDescriptorResponse)
    /// For all_extension_numbers_of_type.
    case allExtensionNumbersResponse(Grpc_Reflection_V1_ExtensionNumberResponse)
    /// For list_services.
    case listServicesResponse(Grpc_Reflection_V1_ListServiceResponse)
    /// The question could not be answered.
    case errorResponse(Grpc_Reflection_V1_ErrorResponse)
  }

  /// The request's host.
  public var validHost: String = ""
  /// The request this answers.
  public var originalRequest: Grpc_Reflection_V1_ServerReflectionRequest {
    get { _originalRequest ?? Grpc_Reflection_V1_ServerReflectionRequest() }
    set { _originalRequest = newValue }
  }
  /// Whether `originalRequest` is set.
  public var hasOriginalRequest: Bool { _originalRequest != nil }
  /// The answer, nil when none was sent.
  public var messageResponse: MessageResponse? = nil
  public var unknownFields = UnknownFields()

  var _originalRequest: Grpc_Reflection_V1_ServerReflectionRequest? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: validHost = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeMessage(tag, into: &_originalRequest)
    case 4:
      var value = Grpc_Reflection_V1_FileDescriptorResponse()
      if case .fileDescriptorResponse(let current) = messageResponse { value = current }
      try reader.decodeMessage(tag, into: &value)
      messageResponse = .fileDescriptorResponse(value)
    case 5:
      var value = Grpc_Reflection_V1_ExtensionNumberResponse()
      if case .allExtensionNumbersResponse(let current) = messageResponse { value = current }
      try reader.decodeMessage(tag, into: &value)
      messageResponse = .allExtensionNumbersResponse(value)
    case 6:
      var value = Grpc_Reflection_V1_ListServiceResponse()
      if case .listServicesResponse(let current) = messageResponse { value = current }
      try reader.decodeMessage(tag, into: &value)
      messageResponse = .listServicesResponse(value)
    case 7:
      var value = Grpc_Reflection_V1_ErrorResponse()
      if case .errorResponse(let current) = messageResponse { value = current }
      try reader.decodeMessage(tag, into: &value)
      messageResponse = .errorResponse(value)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "valid_host", validHost)
    sink.message(2, "original_request", _originalRequest)
    switch messageResponse {
    case .fileDescriptorResponse(let v): sink.message(4, "file_descriptor_response", v)
    case .allExtensionNumbersResponse(let v): sink.message(5, "all_extension_numbers_response", v)
    case .listServicesResponse(let v): sink.message(6, "list_services_response", v)
    case .errorResponse(let v): sink.message(7, "error_response", v)
    case nil: break
    }
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.FileDescriptorResponse`: serialized `google.protobuf.FileDescriptorProto`s.
public struct Grpc_Reflection_V1_FileDescriptorResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.FileDescriptorResponse"
  /// The file asked for first, then the files it depends on.
  public var fileDescriptorProto: [[UInt8]] = []
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedElement(ProtoBytes.self, tag, into: &fileDescriptorProto)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedElements(ProtoBytes.self, 1, "file_descriptor_proto", fileDescriptorProto)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ExtensionNumberResponse`: the extension numbers of a message.
public struct Grpc_Reflection_V1_ExtensionNumberResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ExtensionNumberResponse"
  /// The message's fully-qualified name.
  public var baseTypeName: String = ""
  /// The numbers.
  public var extensionNumber: [Int32] = []
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: baseTypeName = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeRepeated(ProtoInt32.self, tag, into: &extensionNumber)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "base_type_name", baseTypeName)
    sink.repeated(ProtoInt32.self, 2, "extension_number", extensionNumber)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ListServiceResponse`: the services the server offers.
public struct Grpc_Reflection_V1_ListServiceResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ListServiceResponse"
  /// One entry per service.
  public var service: [Grpc_Reflection_V1_ServiceResponse] = []
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &service)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "service", service)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ServiceResponse`: one service.
public struct Grpc_Reflection_V1_ServiceResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ServiceResponse"
  /// The fully-qualified name, such as `onvera.v1.DeploymentService`.
  public var name: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  /// The service named `name`.
  public init(name: String) { self.name = name }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1.ErrorResponse`: why a request could not be answered.
public struct Grpc_Reflection_V1_ErrorResponse: ProtoMessage {
  public static let protoMessageName = "grpc.reflection.v1.ErrorResponse"
  /// A gRPC status code number, such as 5 (NOT_FOUND).
  public var errorCode: Int32 = 0
  /// What was wrong.
  public var errorMessage: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  /// An error of `code` saying `message`.
  public init(code: Int32, message: String) {
    self.errorCode = code
    self.errorMessage = message
  }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: errorCode = try reader.decode(ProtoInt32.self, tag)
    case 2: errorMessage = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "error_code", errorCode)
    sink.string(2, "error_message", errorMessage)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.reflection.v1alpha.ServerReflectionRequest`: the same message as v1's.
public typealias Grpc_Reflection_V1alpha_ServerReflectionRequest = Grpc_Reflection_V1_ServerReflectionRequest
/// `grpc.reflection.v1alpha.ServerReflectionResponse`: the same message as v1's.
public typealias Grpc_Reflection_V1alpha_ServerReflectionResponse = Grpc_Reflection_V1_ServerReflectionResponse

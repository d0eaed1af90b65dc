public import GRPCCore
public import ProtoWire

// The richer error model (https://grpc.io/docs/guides/error/, AIP-193): a
// google.rpc.Status in the trailer `grpc-status-details-bin`, its details
// holding a google.rpc.ErrorInfo. Written by hand on ProtoWire like every
// other message, so grpcio's `grpc_status.rpc_status` and grpc-go's
// `status.FromError` decode what we send.

/// `google.protobuf.Any`: a message of any type, with the URL naming its type.
public struct Google_Protobuf_Any: ProtoMessage {
  public static let protoMessageName = "google.protobuf.Any"
  /// `type.googleapis.com/` followed by the full name of the packed message.
  public var typeURL: String = ""
  /// The packed message's serialized bytes.
  public var value: [UInt8] = []
  public var unknownFields = UnknownFields()

  public init() {}

  /// Packs `message`, naming it `type.googleapis.com/<full name>`.
  public init<M: ProtoMessage>(packing message: M) {
    self.typeURL = Self.typeURLPrefix + M.protoMessageName
    self.value = message.serializedBytes()
  }

  /// The prefix every standard type URL starts with.
  public static let typeURLPrefix = "type.googleapis.com/"

  /// Whether this holds an `M`: the part of the type URL after the last `/` is `M`'s full name.
  public func isA<M: ProtoMessage>(_ type: M.Type) -> Bool {
    let name = typeURL.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    return name == M.protoMessageName
  }

  /// The packed message if it is an `M`, nil if it is something else.
  ///
  /// - Throws: `ProtoWireError` when the type matches but the bytes are malformed.
  public func unpack<M: ProtoMessage>(_ type: M.Type) throws(ProtoWireError) -> M? {
    guard isA(type) else { return nil }
    return try M(serializedBytes: value)
  }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: typeURL = try reader.decode(ProtoString.self, tag)
    case 2: value = try reader.decode(ProtoBytes.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "type_url", typeURL)
    sink.bytes(2, "value", value)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.rpc.Status`: a status code, a message and typed details.
public struct Google_Rpc_Status: ProtoMessage {
  public static let protoMessageName = "google.rpc.Status"
  /// The canonical gRPC status code number; matches the call's `grpc-status`.
  public var code: Int32 = 0
  /// The developer-facing message; matches the call's `grpc-message`.
  public var message: String = ""
  /// Typed details, such as a `google.rpc.ErrorInfo`.
  public var details: [Google_Protobuf_Any] = []
  public var unknownFields = UnknownFields()

  public init() {}

  /// A status of `code`, `message` and `details`.
  public init(code: Int32, message: String, details: [Google_Protobuf_Any] = []) {
    self.code = code
    self.message = message
    self.details = details
  }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: code = try reader.decode(ProtoInt32.self, tag)
    case 2: message = try reader.decode(ProtoString.self, tag)
    case 3: try reader.decodeRepeatedMessage(tag, into: &details)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "code", code)
    sink.string(2, "message", message)
    sink.repeatedMessages(3, "details", details)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.rpc.ErrorInfo`: why a call failed, as a stable machine-readable reason.
public struct Google_Rpc_ErrorInfo: ProtoMessage {
  public static let protoMessageName = "google.rpc.ErrorInfo"
  /// UPPER_SNAKE_CASE and stable, such as `DEPLOYMENT_NOT_FOUND`; clients branch on it.
  public var reason: String = ""
  /// The service that produced the error: `onvera.io` for ours.
  public var domain: String = ""
  /// The dynamic values the message mentions, by name (`deployment_id`, `scope`, ...).
  public var metadata: [String: String] = [:]
  public var unknownFields = UnknownFields()

  public init() {}

  /// An error info of `reason` in `domain` (Onvera's by default) with `metadata`.
  public init(reason: String, domain: String = Self.onveraDomain, metadata: [String: String] = [:]) {
    self.reason = reason
    self.domain = domain
    self.metadata = metadata
  }

  /// The domain of every error Onvera raises.
  public static let onveraDomain = "onvera.io"

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: reason = try reader.decode(ProtoString.self, tag)
    case 2: domain = try reader.decode(ProtoString.self, tag)
    case 3: try reader.decodeMapEntry(ProtoString.self, ProtoString.self, tag, into: &metadata)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "reason", reason)
    sink.string(2, "domain", domain)
    sink.mapField(ProtoString.self, ProtoString.self, 3, "metadata", metadata)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

extension Metadata {
  /// The trailer that carries a serialized `google.rpc.Status`; its value is binary,
  /// so transports send it base64-encoded.
  public static let statusDetailsKey = "grpc-status-details-bin"
}

extension RPCError {
  /// An error whose trailers carry a `google.rpc.Status` holding `errorInfo`.
  ///
  /// The status repeats `code` and `message`, as the richer error model
  /// requires, and `grpc-status-details-bin` is added to `metadata`:
  ///
  /// ```swift
  /// throw RPCError(
  ///   code: .notFound,
  ///   message: "deployment 'dep_1' not found",
  ///   errorInfo: Google_Rpc_ErrorInfo(reason: "DEPLOYMENT_NOT_FOUND", metadata: ["deployment_id": "dep_1"])
  /// )
  /// ```
  public init(
    code: Code,
    message: String,
    errorInfo: Google_Rpc_ErrorInfo,
    metadata: Metadata = [:],
    cause: (any Error)? = nil
  ) {
    self.init(code: code, message: message, metadata: metadata, cause: cause)
    // Built from the initialised error: an RPCError cause of the same code has
    // its message merged in, and the status must say what grpc-message says.
    // Replacing rather than adding drops such a cause's own details.
    let status = Google_Rpc_Status(
      code: Int32(self.code.rawValue),
      message: self.message,
      details: [Google_Protobuf_Any(packing: errorInfo)]
    )
    self.metadata.replaceOrAddBinary(status.serializedBytes(), forKey: Metadata.statusDetailsKey)
  }

  /// The `google.rpc.Status` in `grpc-status-details-bin`, nil when there is none
  /// or it cannot be decoded.
  ///
  /// A peer's malformed details are not worth failing over: the call already
  /// failed with `code` and `message`, which stay available.
  public var statusDetails: Google_Rpc_Status? {
    for bytes in metadata[binaryValues: Metadata.statusDetailsKey] {
      if let status = try? Google_Rpc_Status(serializedBytes: bytes) { return status }
    }
    return nil
  }

  /// The first `google.rpc.ErrorInfo` among the status details, nil when there is none.
  public var errorInfo: Google_Rpc_ErrorInfo? {
    guard let status = statusDetails else { return nil }
    for detail in status.details {
      if let info = try? detail.unpack(Google_Rpc_ErrorInfo.self) { return info }
    }
    return nil
  }
}

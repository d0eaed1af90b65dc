// The messages of onvera/v1/operations.proto.

/// Names one operation.
public struct Onvera_V1_GetOperationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.GetOperationRequest"
  public var operationID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A page of the organization's operations, newest first.
public struct Onvera_V1_ListOperationsRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListOperationsRequest"
  /// 0: 50; above 100: 100.
  public var pageSize: Int32 = 0
  public var pageToken: String = ""
  /// Filters; UNSPECIFIED or empty matches all.
  public var status: Onvera_V1_OperationStatus = .unspecified
  public var type: Onvera_V1_OperationType = .unspecified
  public var resourceID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: pageSize = try reader.decode(ProtoInt32.self, tag)
    case 2: pageToken = try reader.decode(ProtoString.self, tag)
    case 3: status = try reader.decode(ProtoEnumField<Onvera_V1_OperationStatus>.self, tag)
    case 4: type = try reader.decode(ProtoEnumField<Onvera_V1_OperationType>.self, tag)
    case 5: resourceID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "page_size", pageSize)
    sink.string(2, "page_token", pageToken)
    sink.enumeration(3, "status", status)
    sink.enumeration(4, "type", type)
    sink.string(5, "resource_id", resourceID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One page of operations.
public struct Onvera_V1_ListOperationsResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListOperationsResponse"
  public var operations: [Onvera_V1_Operation] = []
  public var nextPageToken: String = ""
  public var totalSize: Int32 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &operations)
    case 2: nextPageToken = try reader.decode(ProtoString.self, tag)
    case 3: totalSize = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "operations", operations)
    sink.string(2, "next_page_token", nextPageToken)
    sink.int32(3, "total_size", totalSize)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Streams one operation's changes.
public struct Onvera_V1_WatchOperationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.WatchOperationRequest"
  public var operationID: String = ""
  public var afterSequence: UInt64 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    case 2: afterSequence = try reader.decode(ProtoUInt64.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.uint64(2, "after_sequence", afterSequence)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Waits for an operation to finish.
public struct Onvera_V1_WaitOperationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.WaitOperationRequest"
  public var operationID: String = ""
  /// Unset: until the call's deadline.
  public var timeout: Google_Protobuf_Duration {
    get { _timeout ?? Google_Protobuf_Duration() }
    set { _timeout = newValue }
  }
  public var hasTimeout: Bool { _timeout != nil }
  public mutating func clearTimeout() { _timeout = nil }
  public var unknownFields = UnknownFields()

  var _timeout: Google_Protobuf_Duration? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeMessage(tag, into: &_timeout)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.message(2, "timeout", _timeout)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Asks a queued or running operation to stop at the next step boundary.
public struct Onvera_V1_CancelOperationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CancelOperationRequest"
  public var operationID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

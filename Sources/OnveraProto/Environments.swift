// The messages of onvera/v1/environments.proto.

/// A page of the organization's environments.
public struct Onvera_V1_ListEnvironmentsRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListEnvironmentsRequest"
  public var pageSize: Int32 = 0
  public var pageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: pageSize = try reader.decode(ProtoInt32.self, tag)
    case 2: pageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "page_size", pageSize)
    sink.string(2, "page_token", pageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One page of environments.
public struct Onvera_V1_ListEnvironmentsResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListEnvironmentsResponse"
  public var environments: [Onvera_V1_Environment] = []
  public var nextPageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &environments)
    case 2: nextPageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "environments", environments)
    sink.string(2, "next_page_token", nextPageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Names one environment.
public struct Onvera_V1_GetEnvironmentRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.GetEnvironmentRequest"
  public var environmentID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: environmentID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "environment_id", environmentID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Creates an environment (platform administrators only).
public struct Onvera_V1_CreateEnvironmentRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateEnvironmentRequest"
  public var organizationID: String = ""
  public var name: String = ""
  public var isolationLevel: Onvera_V1_IsolationLevel = .unspecified
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: organizationID = try reader.decode(ProtoString.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: isolationLevel = try reader.decode(ProtoEnumField<Onvera_V1_IsolationLevel>.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "organization_id", organizationID)
    sink.string(2, "name", name)
    sink.enumeration(3, "isolation_level", isolationLevel)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

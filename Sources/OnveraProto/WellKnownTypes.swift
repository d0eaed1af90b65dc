@_exported public import ProtoWire

/// `google.protobuf.Timestamp`: a point in time, seconds and nanoseconds since the Unix epoch (UTC).
public struct Google_Protobuf_Timestamp: ProtoMessage {
  public static let protoMessageName = "google.protobuf.Timestamp"
  /// Seconds since 1970-01-01T00:00:00Z.
  public var seconds: Int64 = 0
  /// Non-negative fractions of a second, 0 ... 999,999,999.
  public var nanos: Int32 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  /// A timestamp of `seconds` and `nanos`.
  public init(seconds: Int64, nanos: Int32 = 0) {
    self.seconds = seconds
    self.nanos = nanos
  }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: seconds = try reader.decode(ProtoInt64.self, tag)
    case 2: nanos = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int64(1, "seconds", seconds)
    sink.int32(2, "nanos", nanos)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.Duration`: a signed span of time.
public struct Google_Protobuf_Duration: ProtoMessage {
  public static let protoMessageName = "google.protobuf.Duration"
  /// Whole seconds, -315,576,000,000 ... 315,576,000,000.
  public var seconds: Int64 = 0
  /// Fractions of a second with the sign of `seconds`.
  public var nanos: Int32 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  /// A duration of `seconds` and `nanos`.
  public init(seconds: Int64, nanos: Int32 = 0) {
    self.seconds = seconds
    self.nanos = nanos
  }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: seconds = try reader.decode(ProtoInt64.self, tag)
    case 2: nanos = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int64(1, "seconds", seconds)
    sink.int32(2, "nanos", nanos)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

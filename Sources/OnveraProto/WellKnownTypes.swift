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
  /// The largest `seconds` protobuf allows (about 10,000 years).
  public static let maxSeconds: Int64 = 315_576_000_000
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

extension Google_Protobuf_Timestamp: ProtoJSONCustomEncoding {
  /// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as proto3 JSON wants.
  public var protoJSONText: String { "\"" + rfc3339 + "\"" }

  /// The first and last seconds a Timestamp may hold: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
  public static let validSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

  /// Whether it is within the range protobuf allows (``validSeconds``, nanos 0...999,999,999).
  public var isValid: Bool { Self.validSeconds.contains(seconds) && (0..<1_000_000_000).contains(nanos) }

  /// RFC 3339 in UTC, e.g. `2026-11-27T09:30:00.250Z`; an invalid value (see ``isValid``)
  /// reads `<invalid timestamp: seconds S, nanos N>` instead.
  public var rfc3339: String {
    guard isValid else { return "<invalid timestamp: seconds \(seconds), nanos \(nanos)>" }
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    func pad(_ v: Int64, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
    text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    text += Self.fraction(nanos)
    return text + "Z"
  }

  static func fraction(_ nanos: Int32) -> String {
    let n = Int64(abs(Int(nanos)))
    guard n != 0 else { return "" }
    func pad(_ v: Int64, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    if n % 1_000_000 == 0 { return "." + pad(n / 1_000_000, 3) }
    if n % 1_000 == 0 { return "." + pad(n / 1_000, 6) }
    return "." + pad(n, 9)
  }
}

extension Google_Protobuf_Duration: ProtoJSONCustomEncoding {
  /// Seconds with 0, 3, 6 or 9 fractional digits and an `s`, e.g. `"1.500s"`.
  public var protoJSONText: String {
    let negative = seconds < 0 || nanos < 0
    let whole = String(seconds.magnitude)
    return "\"" + (negative ? "-" : "") + whole + Google_Protobuf_Timestamp.fraction(nanos) + "s\""
  }
}

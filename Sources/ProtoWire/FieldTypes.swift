/// A scalar value as a printer (text format, JSON) sees it.
public enum ProtoScalarValue: Hashable, Sendable {
  case int32(Int32)
  case int64(Int64)
  case uint32(UInt32)
  case uint64(UInt64)
  case float(Float)
  case double(Double)
  case bool(Bool)
  case string(String)
  case bytes([UInt8])
  /// An enum value: its number, and its name when the number is known.
  case enumeration(Int, name: String?)
}

/// How one protobuf scalar type (int32, sint64, string, an enum, ...) is
/// sized, written and read. The types are markers: `ProtoInt32.self` and so on.
public protocol ProtoFieldType {
  /// The Swift type of a value.
  associatedtype Value: Hashable & Sendable
  /// The wire type of one unpacked value.
  static var wireType: WireType { get }
  /// The proto3 default (not written on the wire).
  static var defaultValue: Value { get }
  /// Whether `value` is the default.
  static func isDefault(_ value: Value) -> Bool
  /// The bytes the value takes after its tag (length prefix included).
  static func payloadSize(_ value: Value) -> Int
  /// Writes the value after its tag.
  static func write(_ value: Value, to writer: inout ProtoWriter)
  /// Reads a value whose tag was already read (wire type already checked).
  static func read(from reader: inout ProtoReader) throws(ProtoWireError) -> Value
  /// The value for printers.
  static func scalarValue(_ value: Value) -> ProtoScalarValue
}

/// A scalar type that may be packed in repeated fields (numbers, bools, enums).
public protocol ProtoPackableType: ProtoFieldType {}

/// A type allowed as a map key. Keys are written in this order, so encoding is deterministic.
public protocol ProtoMapKeyType: ProtoFieldType {
  /// The order map entries are written in.
  static func precedes(_ a: Value, _ b: Value) -> Bool
}

extension ProtoFieldType where Value: Comparable {
  @inlinable
  public static func precedes(_ a: Value, _ b: Value) -> Bool { a < b }
}

// MARK: - varint types

/// `int32`: a varint; negative values take 10 bytes (sign-extended to 64 bits).
public enum ProtoInt32: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int32
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func isDefault(_ v: Int32) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int32) -> Int { Wire.varintSize(UInt64(bitPattern: Int64(v))) }
  @inlinable public static func write(_ v: Int32, to w: inout ProtoWriter) { w.writeVarint(UInt64(bitPattern: Int64(v))) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int32 {
    Int32(truncatingIfNeeded: try r.readVarint())
  }
  public static func scalarValue(_ v: Int32) -> ProtoScalarValue { .int32(v) }
}

/// `int64`: a varint; negative values take 10 bytes.
public enum ProtoInt64: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int64
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func isDefault(_ v: Int64) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int64) -> Int { Wire.varintSize(UInt64(bitPattern: v)) }
  @inlinable public static func write(_ v: Int64, to w: inout ProtoWriter) { w.writeVarint(UInt64(bitPattern: v)) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int64 {
    Int64(bitPattern: try r.readVarint())
  }
  public static func scalarValue(_ v: Int64) -> ProtoScalarValue { .int64(v) }
}

/// `uint32`: a varint.
public enum ProtoUInt32: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = UInt32
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: UInt32 { 0 }
  @inlinable public static func isDefault(_ v: UInt32) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: UInt32) -> Int { Wire.varintSize(UInt64(v)) }
  @inlinable public static func write(_ v: UInt32, to w: inout ProtoWriter) { w.writeVarint(UInt64(v)) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> UInt32 {
    UInt32(truncatingIfNeeded: try r.readVarint())
  }
  public static func scalarValue(_ v: UInt32) -> ProtoScalarValue { .uint32(v) }
}

/// `uint64`: a varint.
public enum ProtoUInt64: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = UInt64
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: UInt64 { 0 }
  @inlinable public static func isDefault(_ v: UInt64) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: UInt64) -> Int { Wire.varintSize(v) }
  @inlinable public static func write(_ v: UInt64, to w: inout ProtoWriter) { w.writeVarint(v) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> UInt64 {
    try r.readVarint()
  }
  public static func scalarValue(_ v: UInt64) -> ProtoScalarValue { .uint64(v) }
}

/// `sint32`: a ZigZag varint.
public enum ProtoSInt32: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int32
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func isDefault(_ v: Int32) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int32) -> Int { Wire.varintSize(UInt64(Wire.zigZag(v))) }
  @inlinable public static func write(_ v: Int32, to w: inout ProtoWriter) { w.writeVarint(UInt64(Wire.zigZag(v))) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int32 {
    Wire.unZigZag(UInt32(truncatingIfNeeded: try r.readVarint()))
  }
  public static func scalarValue(_ v: Int32) -> ProtoScalarValue { .int32(v) }
}

/// `sint64`: a ZigZag varint.
public enum ProtoSInt64: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int64
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func isDefault(_ v: Int64) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int64) -> Int { Wire.varintSize(Wire.zigZag(v)) }
  @inlinable public static func write(_ v: Int64, to w: inout ProtoWriter) { w.writeVarint(Wire.zigZag(v)) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int64 {
    Wire.unZigZag(try r.readVarint())
  }
  public static func scalarValue(_ v: Int64) -> ProtoScalarValue { .int64(v) }
}

/// `bool`: a varint; any non-zero value reads as true.
public enum ProtoBool: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Bool
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Bool { false }
  @inlinable public static func isDefault(_ v: Bool) -> Bool { !v }
  @inlinable public static func payloadSize(_ v: Bool) -> Int { 1 }
  @inlinable public static func write(_ v: Bool, to w: inout ProtoWriter) { w.writeByte(v ? 1 : 0) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Bool {
    try r.readVarint() != 0
  }
  @inlinable public static func precedes(_ a: Bool, _ b: Bool) -> Bool { !a && b }
  public static func scalarValue(_ v: Bool) -> ProtoScalarValue { .bool(v) }
}

/// An enum field: an int32 varint; numbers the enum does not know are kept.
public enum ProtoEnumField<E: ProtoEnum>: ProtoPackableType {
  public typealias Value = E
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: E { E() }
  @inlinable public static func isDefault(_ v: E) -> Bool { v.rawValue == 0 }
  @inlinable public static func payloadSize(_ v: E) -> Int {
    Wire.varintSize(UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v.rawValue))))
  }
  @inlinable public static func write(_ v: E, to w: inout ProtoWriter) {
    w.writeVarint(UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v.rawValue))))
  }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> E {
    E(rawValue: Int(Int32(truncatingIfNeeded: try r.readVarint())))
  }
  public static func scalarValue(_ v: E) -> ProtoScalarValue { .enumeration(v.rawValue, name: v.protoName) }
}

// MARK: - fixed-width types

/// `fixed32`: 4 bytes little-endian.
public enum ProtoFixed32: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = UInt32
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var defaultValue: UInt32 { 0 }
  @inlinable public static func isDefault(_ v: UInt32) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: UInt32) -> Int { 4 }
  @inlinable public static func write(_ v: UInt32, to w: inout ProtoWriter) { w.writeFixed32(v) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> UInt32 { try r.readFixed32() }
  public static func scalarValue(_ v: UInt32) -> ProtoScalarValue { .uint32(v) }
}

/// `sfixed32`: 4 bytes little-endian, two's complement.
public enum ProtoSFixed32: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int32
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func isDefault(_ v: Int32) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int32) -> Int { 4 }
  @inlinable public static func write(_ v: Int32, to w: inout ProtoWriter) { w.writeFixed32(UInt32(bitPattern: v)) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int32 {
    Int32(bitPattern: try r.readFixed32())
  }
  public static func scalarValue(_ v: Int32) -> ProtoScalarValue { .int32(v) }
}

/// `fixed64`: 8 bytes little-endian.
public enum ProtoFixed64: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = UInt64
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var defaultValue: UInt64 { 0 }
  @inlinable public static func isDefault(_ v: UInt64) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: UInt64) -> Int { 8 }
  @inlinable public static func write(_ v: UInt64, to w: inout ProtoWriter) { w.writeFixed64(v) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> UInt64 { try r.readFixed64() }
  public static func scalarValue(_ v: UInt64) -> ProtoScalarValue { .uint64(v) }
}

/// `sfixed64`: 8 bytes little-endian, two's complement.
public enum ProtoSFixed64: ProtoPackableType, ProtoMapKeyType {
  public typealias Value = Int64
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func isDefault(_ v: Int64) -> Bool { v == 0 }
  @inlinable public static func payloadSize(_ v: Int64) -> Int { 8 }
  @inlinable public static func write(_ v: Int64, to w: inout ProtoWriter) { w.writeFixed64(UInt64(bitPattern: v)) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Int64 {
    Int64(bitPattern: try r.readFixed64())
  }
  public static func scalarValue(_ v: Int64) -> ProtoScalarValue { .int64(v) }
}

/// `float`: IEEE 754 single, 4 bytes. Only +0.0 is the default; -0.0 is written.
public enum ProtoFloat: ProtoPackableType {
  public typealias Value = Float
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var defaultValue: Float { 0 }
  @inlinable public static func isDefault(_ v: Float) -> Bool { v.bitPattern == 0 }
  @inlinable public static func payloadSize(_ v: Float) -> Int { 4 }
  @inlinable public static func write(_ v: Float, to w: inout ProtoWriter) { w.writeFixed32(v.bitPattern) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Float {
    Float(bitPattern: try r.readFixed32())
  }
  public static func scalarValue(_ v: Float) -> ProtoScalarValue { .float(v) }
}

/// `double`: IEEE 754 double, 8 bytes. Only +0.0 is the default; -0.0 is written.
public enum ProtoDouble: ProtoPackableType {
  public typealias Value = Double
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var defaultValue: Double { 0 }
  @inlinable public static func isDefault(_ v: Double) -> Bool { v.bitPattern == 0 }
  @inlinable public static func payloadSize(_ v: Double) -> Int { 8 }
  @inlinable public static func write(_ v: Double, to w: inout ProtoWriter) { w.writeFixed64(v.bitPattern) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> Double {
    Double(bitPattern: try r.readFixed64())
  }
  public static func scalarValue(_ v: Double) -> ProtoScalarValue { .double(v) }
}

// MARK: - length-delimited types

/// `string`: UTF-8, validated on read.
public enum ProtoString: ProtoMapKeyType {
  public typealias Value = String
  @inlinable public static var wireType: WireType { .lengthDelimited }
  @inlinable public static var defaultValue: String { "" }
  @inlinable public static func isDefault(_ v: String) -> Bool { v.isEmpty }
  @inlinable public static func payloadSize(_ v: String) -> Int {
    let n = v.utf8.count
    return Wire.varintSize(UInt64(n)) + n
  }
  @inlinable public static func write(_ v: String, to w: inout ProtoWriter) { w.writeString(v) }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> String { try r.readString() }
  public static func scalarValue(_ v: String) -> ProtoScalarValue { .string(v) }
}

/// `bytes`: kept as they are.
public enum ProtoBytes: ProtoFieldType {
  public typealias Value = [UInt8]
  @inlinable public static var wireType: WireType { .lengthDelimited }
  @inlinable public static var defaultValue: [UInt8] { [] }
  @inlinable public static func isDefault(_ v: [UInt8]) -> Bool { v.isEmpty }
  @inlinable public static func payloadSize(_ v: [UInt8]) -> Int { Wire.varintSize(UInt64(v.count)) + v.count }
  @inlinable public static func write(_ v: [UInt8], to w: inout ProtoWriter) {
    w.writeVarint(UInt64(v.count))
    v.withUnsafeBytes { w.writeRaw($0) }
  }
  @inlinable public static func read(from r: inout ProtoReader) throws(ProtoWireError) -> [UInt8] { try r.readBytes() }
  public static func scalarValue(_ v: [UInt8]) -> ProtoScalarValue { .bytes(v) }
}

// MARK: - enums

/// A protobuf enum: numbers it does not know are kept (`UNRECOGNIZED(n)`), not dropped.
public protocol ProtoEnum: RawRepresentable, Hashable, Sendable, CaseIterable where RawValue == Int {
  /// The first value (number 0), the proto3 default.
  init()
  /// Any number: unknown ones become `UNRECOGNIZED`.
  init(rawValue: Int)
  /// The value's name in the .proto file, nil for unknown numbers.
  var protoName: String? { get }
}

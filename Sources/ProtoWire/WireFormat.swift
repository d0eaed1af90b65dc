/// The six wire types of the protobuf binary format.
public enum WireType: UInt8, Sendable, Hashable {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5
}

/// A decoded field key: field number and wire type.
@frozen
public struct FieldTag: Hashable, Sendable {
  /// The field number, 1 ... 2^29-1.
  public let fieldNumber: Int
  /// How the value is encoded.
  public let wireType: WireType

  /// Creates a tag.
  @inlinable
  public init(fieldNumber: Int, wireType: WireType) {
    self.fieldNumber = fieldNumber
    self.wireType = wireType
  }

  /// The varint value of the key as written on the wire.
  @inlinable
  public var rawValue: UInt32 { UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue) }
}

/// Protobuf's limits and size arithmetic.
public enum Wire {
  /// The largest valid field number.
  public static let maxFieldNumber = (1 << 29) - 1
  /// The nesting depth at which decoding stops (messages and groups).
  public static let maxDepth = 100

  /// The number of bytes a varint of `value` takes.
  @inlinable
  public static func varintSize(_ value: UInt64) -> Int {
    // 1 + floor(bits / 7), with 0 taking one byte.
    let bits = 64 - (value | 1).leadingZeroBitCount
    return (bits + 6) / 7
  }

  /// The number of bytes a varint of `value` takes.
  @inlinable
  public static func varintSize(_ value: Int) -> Int {
    varintSize(UInt64(UInt(bitPattern: value)))
  }

  /// The number of bytes the key of field `number` takes.
  @inlinable
  public static func tagSize(_ number: Int) -> Int {
    varintSize(UInt64(truncatingIfNeeded: number << 3))
  }

  /// ZigZag-encodes a signed 32-bit value.
  @inlinable
  public static func zigZag(_ v: Int32) -> UInt32 {
    UInt32(bitPattern: (v &<< 1) ^ (v >> 31))
  }

  /// ZigZag-encodes a signed 64-bit value.
  @inlinable
  public static func zigZag(_ v: Int64) -> UInt64 {
    UInt64(bitPattern: (v &<< 1) ^ (v >> 63))
  }

  /// Decodes a ZigZag-encoded 32-bit value.
  @inlinable
  public static func unZigZag(_ v: UInt32) -> Int32 {
    Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
  }

  /// Decodes a ZigZag-encoded 64-bit value.
  @inlinable
  public static func unZigZag(_ v: UInt64) -> Int64 {
    Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
  }
}

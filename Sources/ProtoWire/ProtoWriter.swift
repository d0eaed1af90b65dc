/// Writes a message into a buffer of exactly its size, using the sizes a
/// `ProtoSizer` recorded for embedded messages and packed fields.
@frozen
public struct ProtoWriter: ProtoSink {
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline let capacity: Int
  @usableFromInline var _position: Int
  /// Bytes written so far.
  @inlinable public var position: Int { _position }
  @usableFromInline let sizes: [Int]
  @usableFromInline var sizeCursor: Int

  /// A writer into `buffer`, with the sizes recorded by the sizer that measured the message.
  @inlinable
  public init(buffer: UnsafeMutableRawBufferPointer, sizes: [Int]) {
    self.base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10)!
    self.capacity = buffer.count
    self._position = 0
    self.sizes = sizes
    self.sizeCursor = 0
  }

  @inlinable
  mutating func reserve(_ n: Int) -> Int {
    // A failure here means a message's traverse differs between sizing and writing.
    precondition(n <= capacity &- _position, "ProtoWriter: write past the measured size")
    let p = _position
    _position = p &+ n
    return p
  }

  /// Writes one byte.
  @inlinable
  public mutating func writeByte(_ byte: UInt8) {
    let p = reserve(1)
    base.storeBytes(of: byte, toByteOffset: p, as: UInt8.self)
  }

  /// Writes a varint.
  @inlinable
  public mutating func writeVarint(_ value: UInt64) {
    if value < 0x80 {
      writeByte(UInt8(truncatingIfNeeded: value))
      return
    }
    var v = value
    let n = Wire.varintSize(v)
    var p = reserve(n)
    while v >= 0x80 {
      base.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: p, as: UInt8.self)
      v >>= 7
      p &+= 1
    }
    base.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: p, as: UInt8.self)
  }

  /// Writes 4 bytes little-endian.
  @inlinable
  public mutating func writeFixed32(_ value: UInt32) {
    let p = reserve(4)
    base.storeBytes(of: value.littleEndian, toByteOffset: p, as: UInt32.self)
  }

  /// Writes 8 bytes little-endian.
  @inlinable
  public mutating func writeFixed64(_ value: UInt64) {
    let p = reserve(8)
    base.storeBytes(of: value.littleEndian, toByteOffset: p, as: UInt64.self)
  }

  /// Copies raw bytes.
  @inlinable
  public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
    guard let src = bytes.baseAddress, bytes.count > 0 else { return }
    let p = reserve(bytes.count)
    (base + p).copyMemory(from: src, byteCount: bytes.count)
  }

  /// Writes a length-prefixed UTF-8 string.
  @inlinable
  public mutating func writeString(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      writeVarint(UInt64(utf8.count))
      writeRaw(UnsafeRawBufferPointer(utf8))
    }
  }

  /// Writes a field key.
  @inlinable
  public mutating func writeTag(_ number: Int, _ wireType: WireType) {
    writeVarint(UInt64(truncatingIfNeeded: number << 3 | Int(wireType.rawValue)))
  }

  @inlinable
  mutating func nextSize() -> Int {
    let s = sizes[sizeCursor]
    sizeCursor &+= 1
    return s
  }

  // MARK: ProtoSink

  @inlinable
  public mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {
    writeTag(number, T.wireType)
    T.write(value, to: &self)
  }

  @inlinable
  public mutating func repeated<T: ProtoFieldType>(
    _ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool
  ) {
    if packed {
      writeTag(number, .lengthDelimited)
      writeVarint(UInt64(nextSize()))
      for v in values { T.write(v, to: &self) }
    } else {
      for v in values {
        writeTag(number, T.wireType)
        T.write(v, to: &self)
      }
    }
  }

  @inlinable
  public mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M) {
    writeTag(number, .lengthDelimited)
    writeVarint(UInt64(nextSize()))
    value.encode(to: &self)
  }

  @inlinable
  public mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    // By index: iterating the array would copy (retain) every element.
    for i in values.indices { message(number, name, values[i]) }
  }

  @inlinable
  public mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) {
    for (key, value) in sortedEntries(values, K.self) {
      writeTag(number, .lengthDelimited)
      writeVarint(UInt64(1 &+ K.payloadSize(key) &+ 1 &+ V.payloadSize(value)))
      writeTag(1, K.wireType)
      K.write(key, to: &self)
      writeTag(2, V.wireType)
      V.write(value, to: &self)
    }
  }

  @inlinable
  public mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) {
    for (key, value) in sortedEntries(values, K.self) {
      let body = nextSize()
      writeTag(number, .lengthDelimited)
      writeVarint(UInt64(1 &+ K.payloadSize(key) &+ 1 &+ Wire.varintSize(UInt64(body)) &+ body))
      writeTag(1, K.wireType)
      K.write(key, to: &self)
      writeTag(2, .lengthDelimited)
      writeVarint(UInt64(body))
      value.encode(to: &self)
    }
  }

  @inlinable
  public mutating func unknown(_ fields: UnknownFields) {
    fields.bytes.withUnsafeBytes { writeRaw($0) }
  }
}

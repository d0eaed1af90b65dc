/// Reads protobuf wire format from a borrowed buffer, without copying bytes
/// it does not keep.
///
/// A reader is only valid inside the `withUnsafeBytes`-style scope that gave
/// it its buffer; `ProtoMessage.init(serializedBytes:)` manages that. Every
/// read is bounds-checked: malformed input throws `ProtoWireError`, never traps.
public struct ProtoReader {
  @usableFromInline let base: UnsafeRawPointer
  /// Offset of the next byte to read.
  @usableFromInline var position: Int
  /// End of the message being read (a nested message ends before the buffer does).
  @usableFromInline var end: Int
  /// Offset where the tag of the current field began, for keeping unknown fields.
  @usableFromInline var fieldStart: Int
  /// Nesting depth of the message being read.
  @usableFromInline var depth: Int
  @usableFromInline let maxDepth: Int

  /// A reader over `buffer`. `maxDepth` bounds nested messages and groups.
  @inlinable
  public init(buffer: UnsafeRawBufferPointer, maxDepth: Int = Wire.maxDepth) {
    // An empty buffer may have no base address; it is never dereferenced then.
    self.base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
    self.position = 0
    self.end = buffer.count
    self.fieldStart = 0
    self.depth = 0
    self.maxDepth = maxDepth
  }

  /// Offset of the next byte to read, from the start of the buffer.
  @inlinable
  public var offset: Int { position }

  /// Whether the current message has no more bytes.
  @inlinable
  public var isAtEnd: Bool { position >= end }

  @inlinable
  func error(_ code: ProtoWireError.Code, _ message: String, at offset: Int? = nil) -> ProtoWireError {
    ProtoWireError(code: code, message: message, offset: offset ?? position)
  }

  // MARK: primitives

  /// Reads a varint of up to 10 bytes.
  @inlinable @inline(__always)
  public mutating func readVarint() throws(ProtoWireError) -> UInt64 {
    if position < end {
      let b0 = base.load(fromByteOffset: position, as: UInt8.self)
      if b0 < 0x80 {
        position &+= 1
        return UInt64(b0)
      }
    }
    return try readVarintSlow()
  }

  @usableFromInline
  mutating func readVarintSlow() throws(ProtoWireError) -> UInt64 {
    if end &- position >= 10 {
      // Enough bytes for any varint: no bounds check per byte.
      var result: UInt64 = 0
      var p = position
      var shift: UInt64 = 0
      while shift < 63 {
        let byte = base.load(fromByteOffset: p, as: UInt8.self)
        p &+= 1
        result |= UInt64(byte & 0x7F) &<< shift
        if byte < 0x80 {
          position = p
          return result
        }
        shift &+= 7
      }
      let last = base.load(fromByteOffset: p, as: UInt8.self)
      guard last <= 1 else {
        throw error(.malformedVarint, "a varint is longer than 10 bytes or overflows 64 bits", at: position)
      }
      position = p &+ 1
      return result | UInt64(last) &<< 63
    }
    var result: UInt64 = 0
    var shift: UInt64 = 0
    var p = position
    while true {
      guard p < end else {
        throw error(.truncated, "the input ends inside a varint", at: position)
      }
      let byte = base.load(fromByteOffset: p, as: UInt8.self)
      p &+= 1
      if shift == 63 {
        // The tenth byte may only carry the 64th bit.
        guard byte <= 1 else {
          throw error(.malformedVarint, "a varint is longer than 10 bytes or overflows 64 bits", at: position)
        }
        result |= UInt64(byte) << 63
        break
      }
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { break }
      shift &+= 7
    }
    position = p
    return result
  }

  /// Reads 4 little-endian bytes.
  @inlinable
  public mutating func readFixed32() throws(ProtoWireError) -> UInt32 {
    guard end &- position >= 4 else { throw error(.truncated, "the input ends inside a fixed32 value") }
    let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
    position &+= 4
    return UInt32(littleEndian: v)
  }

  /// Reads 8 little-endian bytes.
  @inlinable
  public mutating func readFixed64() throws(ProtoWireError) -> UInt64 {
    guard end &- position >= 8 else { throw error(.truncated, "the input ends inside a fixed64 value") }
    let v = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
    position &+= 8
    return UInt64(littleEndian: v)
  }

  /// Reads a length prefix and checks it against the bytes left.
  @inlinable @inline(__always)
  public mutating func readLength() throws(ProtoWireError) -> Int {
    let start = position
    let length = try readVarint()
    guard length <= UInt64(end &- position) else {
      throw error(.lengthOutOfBounds, "a length of \(length) runs past the end of the input (\(end - position) bytes left)", at: start)
    }
    return Int(truncatingIfNeeded: length)
  }

  /// Reads a length-delimited value and hands its bytes to `body` without copying them.
  @inlinable
  public mutating func withLengthDelimited<R>(
    _ body: (UnsafeRawBufferPointer) throws(ProtoWireError) -> R
  ) throws(ProtoWireError) -> R {
    let length = try readLength()
    let start = position
    position &+= length
    return try body(UnsafeRawBufferPointer(start: base + start, count: length))
  }

  /// Reads a UTF-8 string, rejecting invalid UTF-8.
  @inlinable @inline(__always)
  public mutating func readString() throws(ProtoWireError) -> String {
    let length = try readLength()
    if length == 0 { return "" }
    let start = position
    position &+= length
    let raw = UnsafeRawBufferPointer(start: base + start, count: length)
    guard UTF8Validation.isValid(raw) else {
      throw error(.invalidUTF8, "a string field holds \(length) bytes that are not valid UTF-8", at: start)
    }
    // Validated above, so decoding repairs nothing; this initializer is not generic, which matters on the hot path.
    return raw.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
  }

  /// Reads a bytes value, copying it out of the input.
  @inlinable
  public mutating func readBytes() throws(ProtoWireError) -> [UInt8] {
    let length = try readLength()
    if length == 0 { return [] }
    let start = position
    position &+= length
    return [UInt8](UnsafeRawBufferPointer(start: base + start, count: length))
  }

  // MARK: tags

  /// Reads the next field's tag, or returns nil at the end of the current message.
  @inlinable @inline(__always)
  public mutating func nextTag() throws(ProtoWireError) -> FieldTag? {
    guard position < end else { return nil }
    fieldStart = position
    // Fast path: a one-byte tag (field numbers 1...15) with a valid wire type.
    let b0 = base.load(fromByteOffset: position, as: UInt8.self)
    if b0 < 0x80 && b0 >= 0x08 && b0 & 7 < 6 {
      position &+= 1
      return FieldTag(fieldNumber: Int(b0 >> 3), wireType: WireType(rawValue: b0 & 7).unsafelyUnwrapped)
    }
    return try nextTagSlow()
  }

  @usableFromInline
  mutating func nextTagSlow() throws(ProtoWireError) -> FieldTag? {
    let raw = try readVarint()
    guard raw <= UInt64(UInt32.max) else {
      throw error(.invalidFieldNumber, "a tag of \(raw) is above the largest field number", at: fieldStart)
    }
    let number = Int(truncatingIfNeeded: raw >> 3)
    guard number > 0 && number <= Wire.maxFieldNumber else {
      throw error(.invalidFieldNumber, "field number \(number) is outside 1...\(Wire.maxFieldNumber)", at: fieldStart)
    }
    guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) else {
      throw error(.invalidWireType, "wire type \(raw & 7) does not exist (field \(number))", at: fieldStart)
    }
    return FieldTag(fieldNumber: number, wireType: wireType)
  }

  @inlinable @inline(__always)
  func expect(_ tag: FieldTag, _ wireType: WireType) throws(ProtoWireError) {
    guard tag.wireType == wireType else {
      throw error(
        .wrongWireType,
        "field \(tag.fieldNumber) has wire type \(tag.wireType.rawValue), its declaration needs \(wireType.rawValue)",
        at: fieldStart)
    }
  }

  // MARK: fields

  /// Reads a singular scalar field after its tag, checking the wire type.
  @inlinable @inline(__always)
  public mutating func decode<T: ProtoFieldType>(_ type: T.Type, _ tag: FieldTag) throws(ProtoWireError) -> T.Value {
    try expect(tag, T.wireType)
    return try T.read(from: &self)
  }

  /// Appends to a repeated numeric, bool or enum field; accepts the packed and the unpacked form.
  @inlinable
  public mutating func decodeRepeated<T: ProtoPackableType>(
    _ type: T.Type, _ tag: FieldTag, into values: inout [T.Value]
  ) throws(ProtoWireError) {
    if tag.wireType == T.wireType {
      values.append(try T.read(from: &self))
      return
    }
    try expect(tag, .lengthDelimited)
    let length = try readLength()
    let packedEnd = position &+ length
    switch T.wireType {
    case .fixed32: values.reserveCapacity(values.count + length / 4)
    case .fixed64: values.reserveCapacity(values.count + length / 8)
    default: break  // varints: no reservation from a count we cannot trust
    }
    let savedEnd = end
    end = packedEnd
    defer { end = savedEnd }
    while position < packedEnd {
      values.append(try T.read(from: &self))
    }
  }

  /// Appends to a repeated string or bytes field.
  @inlinable
  public mutating func decodeRepeatedElement<T: ProtoFieldType>(
    _ type: T.Type, _ tag: FieldTag, into values: inout [T.Value]
  ) throws(ProtoWireError) {
    try expect(tag, T.wireType)
    values.append(try T.read(from: &self))
  }

  /// Reads an embedded message into `message`, merging with what it holds.
  @inlinable
  public mutating func decodeMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M) throws(ProtoWireError) {
    try expect(tag, .lengthDelimited)
    let length = try readLength()
    try withNested(length: length) { (reader: inout ProtoReader) throws(ProtoWireError) in
      try message.decodeFields(from: &reader)
    }
  }

  /// Reads an embedded message into an optional field, merging when one is present.
  @inlinable
  public mutating func decodeMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M?) throws(ProtoWireError) {
    // Decode in place: no copy of the message in or out.
    if message == nil { message = M() }
    try decodeMessage(tag, into: &message!)
  }

  /// Appends one element to a repeated message field.
  @inlinable
  public mutating func decodeRepeatedMessage<M: ProtoMessage>(_ tag: FieldTag, into messages: inout [M]) throws(ProtoWireError) {
    messages.append(M())
    try decodeMessage(tag, into: &messages[messages.count &- 1])
  }

  /// Reads one map entry (key field 1, value field 2; either may be missing
  /// and then is the default) into `map`. A later entry for a key replaces an earlier one.
  @inlinable
  public mutating func decodeMapEntry<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ tag: FieldTag, into map: inout [K.Value: V.Value]
  ) throws(ProtoWireError) {
    try expect(tag, .lengthDelimited)
    let length = try readLength()
    var key = K.defaultValue
    var value = V.defaultValue
    try withNested(length: length) { (reader: inout ProtoReader) throws(ProtoWireError) in
      while let entryTag = try reader.nextTag() {
        switch entryTag.fieldNumber {
        case 1: key = try reader.decode(K.self, entryTag)
        case 2: value = try reader.decode(V.self, entryTag)
        default: try reader.skipField(entryTag)
        }
      }
    }
    // Growing a dictionary from 1 to 2 entries rehashes; start small maps with room for a few.
    if map.isEmpty { map.reserveCapacity(4) }
    map[key] = value
  }

  /// Reads one map entry whose value is a message.
  @inlinable
  public mutating func decodeMapEntry<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ tag: FieldTag, into map: inout [K.Value: M]
  ) throws(ProtoWireError) {
    try expect(tag, .lengthDelimited)
    let length = try readLength()
    var key = K.defaultValue
    var value = M()
    try withNested(length: length) { (reader: inout ProtoReader) throws(ProtoWireError) in
      while let entryTag = try reader.nextTag() {
        switch entryTag.fieldNumber {
        case 1: key = try reader.decode(K.self, entryTag)
        case 2: try reader.decodeMessage(entryTag, into: &value)
        default: try reader.skipField(entryTag)
        }
      }
    }
    map[key] = value
  }

  @inlinable
  mutating func withNested(
    length: Int, _ body: (inout ProtoReader) throws(ProtoWireError) -> Void
  ) throws(ProtoWireError) {
    guard depth < maxDepth else {
      throw error(.nestingTooDeep, "messages are nested deeper than \(maxDepth) levels")
    }
    let savedEnd = end
    end = position &+ length
    depth &+= 1
    try body(&self)
    depth &-= 1
    end = savedEnd
  }

  // MARK: unknown fields

  /// Skips the value of a field the message does not know, keeping its bytes in `unknown`.
  @inlinable
  public mutating func skipField(_ tag: FieldTag, into unknown: inout UnknownFields) throws(ProtoWireError) {
    let start = fieldStart
    try skipField(tag)
    unknown.append(UnsafeRawBufferPointer(start: base + start, count: position &- start))
  }

  /// Skips the value of a field.
  @inlinable
  public mutating func skipField(_ tag: FieldTag) throws(ProtoWireError) {
    switch tag.wireType {
    case .varint: _ = try readVarint()
    case .fixed64: _ = try readFixed64()
    case .fixed32: _ = try readFixed32()
    case .lengthDelimited: position &+= try readLength()
    case .startGroup: try skipGroup(tag.fieldNumber)
    case .endGroup:
      throw error(.unmatchedEndGroup, "an end-group tag for field \(tag.fieldNumber) without a start", at: fieldStart)
    }
  }

  @usableFromInline
  mutating func skipGroup(_ number: Int) throws(ProtoWireError) {
    guard depth < maxDepth else {
      throw error(.nestingTooDeep, "groups are nested deeper than \(maxDepth) levels")
    }
    depth &+= 1
    defer { depth &-= 1 }
    let groupStart = fieldStart
    while true {
      guard position < end else {
        throw error(.truncated, "the input ends inside group \(number)", at: groupStart)
      }
      fieldStart = position
      let raw = try readVarint()
      let fieldNumber = Int(truncatingIfNeeded: raw >> 3)
      guard raw <= UInt64(UInt32.max), fieldNumber > 0, fieldNumber <= Wire.maxFieldNumber else {
        throw error(.invalidFieldNumber, "field number \(raw >> 3) is outside 1...\(Wire.maxFieldNumber)", at: fieldStart)
      }
      guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) else {
        throw error(.invalidWireType, "wire type \(raw & 7) does not exist (field \(fieldNumber))", at: fieldStart)
      }
      if wireType == .endGroup {
        guard fieldNumber == number else {
          throw error(.unmatchedEndGroup, "group \(number) closed by an end-group tag for field \(fieldNumber)", at: fieldStart)
        }
        fieldStart = groupStart
        return
      }
      try skipField(FieldTag(fieldNumber: fieldNumber, wireType: wireType))
    }
  }
}

/// A protobuf message written by hand on `ProtoWire`.
///
/// A conforming type lists its fields twice: once for decoding
/// (`decodeField(_:from:)`, a switch on the field number) and once for
/// everything else (`traverse(_:)`, in field-number order). `computeSize`
/// and `encode` just call `traverse` with the concrete sink, so the compiler
/// specialises the field list for each:
///
/// ```swift
/// public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
/// public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
/// ```
public protocol ProtoMessage: Hashable, Sendable {
  /// The full protobuf name, such as `onvera.v1.Deployment`.
  static var protoMessageName: String { get }
  /// The empty message: every field at its default.
  init()
  /// Fields read that this type does not declare, re-emitted byte-exact.
  var unknownFields: UnknownFields { get set }
  /// Decodes one field whose tag was just read; unknown fields go to `reader.skipField(_:into:)`.
  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError)
  /// Hands every non-default field, in field-number order, to `sink`.
  func traverse<S: ProtoSink>(_ sink: inout S)
  /// Adds the encoded size to `sizer` (call `traverse(&sizer)`).
  func computeSize(into sizer: inout ProtoSizer)
  /// Writes the fields (call `traverse(&writer)`).
  func encode(to writer: inout ProtoWriter)
}

extension ProtoMessage {
  /// Decodes fields until the end of the reader's current message, merging into `self`.
  @inlinable
  public mutating func decodeFields(from reader: inout ProtoReader) throws(ProtoWireError) {
    while let tag = try reader.nextTag() {
      if tag.wireType == .endGroup {
        throw reader.error(.unmatchedEndGroup, "an end-group tag for field \(tag.fieldNumber) without a start", at: reader.fieldStart)
      }
      try decodeField(tag, from: &reader)
    }
  }

  /// Decodes a message from wire-format bytes.
  @inlinable
  public init(serializedBytes bytes: [UInt8]) throws(ProtoWireError) {
    self.init()
    try merge(serializedBytes: bytes)
  }

  /// Decodes a message from wire-format bytes, without copying them first.
  @inlinable
  public init(unsafeSerializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoWireError) {
    self.init()
    try merge(unsafeSerializedBytes: bytes)
  }

  /// Decodes a message from any contiguous byte sequence (an `ArraySlice`, a `ByteBuffer` view, ...).
  @inlinable
  public init<Bytes: Sequence>(contiguousBytes bytes: Bytes) throws(ProtoWireError) where Bytes.Element == UInt8 {
    self.init()
    var result: Result<Void, ProtoWireError>? = nil
    var message = self
    _ = bytes.withContiguousStorageIfAvailable { buffer in
      result = Result { () throws(ProtoWireError) in try message.merge(unsafeSerializedBytes: UnsafeRawBufferPointer(buffer)) }
    }
    if result == nil {
      let copy = Array(bytes)
      result = Result { () throws(ProtoWireError) in try message.merge(serializedBytes: copy) }
    }
    try result!.get()
    self = message
  }

  /// Merges wire-format bytes into this message: scalars are replaced,
  /// repeated fields appended, embedded messages merged.
  @inlinable
  public mutating func merge(serializedBytes bytes: [UInt8]) throws(ProtoWireError) {
    var result: Result<Void, ProtoWireError> = .success(())
    bytes.withUnsafeBytes { buffer in
      result = Result { () throws(ProtoWireError) in try self.merge(unsafeSerializedBytes: buffer) }
    }
    try result.get()
  }

  /// Merges wire-format bytes into this message.
  @inlinable
  public mutating func merge(unsafeSerializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoWireError) {
    var reader = ProtoReader(buffer: bytes)
    try decodeFields(from: &reader)
  }

  /// The encoded size in bytes.
  @inlinable
  public var serializedSize: Int {
    var sizer = ProtoSizer()
    computeSize(into: &sizer)
    return sizer.total
  }

  /// Encodes the message; equal messages give equal bytes (map entries are sorted by key).
  @inlinable
  public func serializedBytes() -> [UInt8] {
    var sizer = ProtoSizer()
    computeSize(into: &sizer)
    let size = sizer.total
    let sizes = sizer.sizes
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      var writer = ProtoWriter(buffer: UnsafeMutableRawBufferPointer(buffer), sizes: sizes)
      encode(to: &writer)
      precondition(writer.position == size, "ProtoWriter: wrote \(writer.position) bytes of \(size) measured")
      count = size
    }
  }

  /// Encodes the message into `buffer`, which must hold at least `serializedSize` bytes;
  /// returns the bytes written.
  @inlinable
  public func serialize(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    var sizer = ProtoSizer()
    computeSize(into: &sizer)
    precondition(buffer.count >= sizer.total, "buffer of \(buffer.count) bytes for a \(sizer.total)-byte message")
    var writer = ProtoWriter(buffer: UnsafeMutableRawBufferPointer(rebasing: buffer[..<sizer.total]), sizes: sizer.sizes)
    encode(to: &writer)
    return writer.position
  }
}

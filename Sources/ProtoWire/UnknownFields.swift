/// Fields a decoder did not know, kept byte-exact (tag and value) so a
/// message passes through a program that is older than its sender unchanged.
public struct UnknownFields: Hashable, Sendable {
  /// The raw bytes, in the order they were read.
  public var bytes: [UInt8]

  /// No unknown fields.
  @inlinable
  public init() { bytes = [] }

  /// Wraps raw bytes, which must be whole encoded fields.
  @inlinable
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// Whether there are none.
  @inlinable
  public var isEmpty: Bool { bytes.isEmpty }

  @inlinable
  mutating func append(_ raw: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: raw)
  }
}

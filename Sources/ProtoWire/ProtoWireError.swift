/// An error decoding protobuf wire-format bytes.
///
/// Decoding untrusted input never traps: every malformed input ends in one of
/// these, with the byte offset where the problem was found.
public struct ProtoWireError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong, as a code that can grow without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
      case truncated
      case malformedVarint
      case wrongWireType
      case invalidWireType
      case invalidUTF8
      case lengthOutOfBounds
      case invalidFieldNumber
      case nestingTooDeep
      case unmatchedEndGroup
    }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// The input ends in the middle of a value.
    public static let truncated = Code(.truncated)
    /// A varint is longer than 10 bytes or overflows 64 bits.
    public static let malformedVarint = Code(.malformedVarint)
    /// A known field arrived with a wire type its declaration does not allow.
    public static let wrongWireType = Code(.wrongWireType)
    /// A tag carries wire type 6 or 7, which do not exist.
    public static let invalidWireType = Code(.invalidWireType)
    /// A string field holds bytes that are not valid UTF-8.
    public static let invalidUTF8 = Code(.invalidUTF8)
    /// A length-delimited value claims more bytes than the input holds.
    public static let lengthOutOfBounds = Code(.lengthOutOfBounds)
    /// A tag's field number is 0 or above 2^29-1.
    public static let invalidFieldNumber = Code(.invalidFieldNumber)
    /// Messages (or groups) are nested deeper than the decoder allows.
    public static let nestingTooDeep = Code(.nestingTooDeep)
    /// An end-group tag without a matching start-group tag.
    public static let unmatchedEndGroup = Code(.unmatchedEndGroup)

    public var description: String {
      switch value {
      case .truncated: "truncated"
      case .malformedVarint: "malformed varint"
      case .wrongWireType: "wrong wire type"
      case .invalidWireType: "invalid wire type"
      case .invalidUTF8: "invalid UTF-8"
      case .lengthOutOfBounds: "length out of bounds"
      case .invalidFieldNumber: "invalid field number"
      case .nestingTooDeep: "nesting too deep"
      case .unmatchedEndGroup: "unmatched end group"
      }
    }
  }

  /// The kind of problem.
  public var code: Code
  /// What was wrong, for people.
  public var message: String
  /// Offset in the top-level input where the problem was found.
  public var offset: Int

  /// Creates an error.
  public init(code: Code, message: String, offset: Int) {
    self.code = code
    self.message = message
    self.offset = offset
  }

  public var description: String {
    "protobuf decoding failed at byte \(offset): \(message)"
  }
}

/// The one error type of `OnveraStore`.
///
/// `code` says what kind of failure it is (and so what a caller can do about it),
/// `message` says what was wrong in words a person can act on, and `cause`
/// carries the underlying error (for example the failing system call) if any.
public struct StoreError: Error, Sendable, CustomStringConvertible {
  /// The kind of a ``StoreError``. A struct over a private enum so that codes can be added
  /// without breaking exhaustive switches in callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
      case corrupted, ioFailure, failed, compacted, locked, closed, invalidArgument, notFound
    }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// The data directory holds something recovery will not accept; nothing was changed.
    public static let corrupted = Code(.corrupted)
    /// A write, sync, rename or other file-system call failed; the store is now failed.
    public static let ioFailure = Code(.ioFailure)
    /// The store failed earlier (fail-stop) and refuses all further writes.
    public static let failed = Code(.failed)
    /// A watch asked for revisions older than the kept history.
    public static let compacted = Code(.compacted)
    /// Another process (or another open in this process) holds the data directory.
    public static let locked = Code(.locked)
    /// The store was closed.
    public static let closed = Code(.closed)
    /// The caller passed something the store cannot accept (for example an oversized record).
    public static let invalidArgument = Code(.invalidArgument)
    /// Something the caller named does not exist (for example a repair target revision).
    public static let notFound = Code(.notFound)

    /// The code's name, e.g. "corrupted".
    public var description: String {
      switch value {
      case .corrupted: "corrupted"
      case .ioFailure: "ioFailure"
      case .failed: "failed"
      case .compacted: "compacted"
      case .locked: "locked"
      case .closed: "closed"
      case .invalidArgument: "invalidArgument"
      case .notFound: "notFound"
      }
    }
  }

  /// What kind of failure this is.
  public var code: Code
  /// What was wrong, naming files and offsets where they matter.
  public var message: String
  /// The underlying error, if any.
  public var cause: (any Error)?

  /// Creates an error.
  public init(code: Code, message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  /// The code, the message and the cause, for logs.
  public var description: String {
    if let cause { return "\(code): \(message) (cause: \(cause))" }
    return "\(code): \(message)"
  }
}

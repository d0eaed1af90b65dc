/// The error thrown by the nghttp2 transport when a connection or a stream cannot do its job.
///
/// Errors crossing the RPC boundary are converted to `RPCError`; this type describes
/// transport-level failures such as a failed bind or an HTTP/2 session error.
public struct Nghttp2TransportError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of failure this is.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
      case bindFailed
      case connectionFailed
      case sessionFailed
      case alreadyListening
      case shutDown
      case tlsConfigurationInvalid
      case tlsHandshakeFailed
      case tlsHandshakeTimedOut
      case tlsFailed
    }

    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// Binding the listening socket failed.
    public static var bindFailed: Self { Self(.bindFailed) }
    /// Connecting to the server failed.
    public static var connectionFailed: Self { Self(.connectionFailed) }
    /// libnghttp2 reported an error on a session.
    public static var sessionFailed: Self { Self(.sessionFailed) }
    /// `listen` was called more than once.
    public static var alreadyListening: Self { Self(.alreadyListening) }
    /// The transport has been shut down.
    public static var shutDown: Self { Self(.shutDown) }
    /// A TLS certificate, key or CA file could not be used (unreadable, malformed, mismatched or expired).
    public static var tlsConfigurationInvalid: Self { Self(.tlsConfigurationInvalid) }
    /// The TLS handshake failed: verification, ALPN, protocol version or a peer alert.
    public static var tlsHandshakeFailed: Self { Self(.tlsHandshakeFailed) }
    /// The TLS handshake did not finish within the configured time.
    public static var tlsHandshakeTimedOut: Self { Self(.tlsHandshakeTimedOut) }
    /// TLS failed after the handshake (a corrupt record or an alert).
    public static var tlsFailed: Self { Self(.tlsFailed) }

    /// A short name for the code.
    public var description: String { String(describing: self.value) }
  }

  /// What kind of failure this is.
  public var code: Code
  /// What went wrong, for people.
  public var message: String
  /// The underlying error, if any.
  public var cause: (any Error)?

  /// Creates an error.
  public init(code: Code, message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  /// The code and message, and the cause if there is one.
  public var description: String {
    if let cause { return "\(self.code): \(self.message) (\(cause))" }
    return "\(self.code): \(self.message)"
  }

  /// Errors are equal when code and message are; the cause is not compared.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.code == rhs.code && lhs.message == rhs.message
  }

  /// Hashes the code and the message.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(self.code)
    hasher.combine(self.message)
  }
}

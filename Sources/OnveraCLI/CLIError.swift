/// An error the `onvera` CLI reports to its user, with the exit status it ends with.
public struct OnveraCLIError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is; it decides the exit status.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case api, usage, operationFailed, unreachable, notAuthenticated, interrupted, local
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The server answered with an error.
    public static let api = Code(.api)
    /// The command line was wrong.
    public static let usage = Code(.usage)
    /// A followed operation ended FAILED or CANCELED.
    public static let operationFailed = Code(.operationFailed)
    /// The server could not be reached.
    public static let unreachable = Code(.unreachable)
    /// No API key is configured.
    public static let notAuthenticated = Code(.notAuthenticated)
    /// The user pressed Ctrl+C while the CLI followed something.
    public static let interrupted = Code(.interrupted)
    /// A local failure: the config file, the terminal.
    public static let local = Code(.local)

    /// The process exit status for this code.
    public var exitStatus: Int32 {
      switch wrapped {
      case .api, .notAuthenticated, .local: 1
      case .usage: 2
      case .operationFailed: 3
      case .unreachable: 4
      case .interrupted: 130
      }
    }

    /// The code's name, for logs.
    public var description: String { String(describing: wrapped) }
  }

  /// The kind of failure.
  public var code: Code
  /// What went wrong, for people.
  public var message: String
  /// The server's ErrorInfo reason, when the server sent one.
  public var reason: String?
  /// The underlying error, if any.
  public var cause: (any Error)?

  /// Creates an error; `reason` is the API's ErrorInfo reason when there is one.
  public init(code: Code, message: String, reason: String? = nil, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.reason = reason
    self.cause = cause
  }

  /// The message.
  public var description: String { message }
}

/// The one error type of `Orchestrator`.
///
/// `code` is the kind of failure and maps one to one to a gRPC status code (``Code-swift.struct/grpcStatusCode``);
/// `reason` is the stable UPPER_SNAKE_CASE reason for `google.rpc.ErrorInfo` (``Reason``);
/// `metadata` holds every dynamic value of `message` by name (for example `operation_id`).
public struct OrchestratorError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of an ``OrchestratorError``: a struct over a private enum so codes can be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
      case invalidArgument, notFound, alreadyExists, failedPrecondition, aborted, outOfRange, unavailable, internalError
    }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// The request is malformed or reuses a request id (gRPC INVALID_ARGUMENT).
    public static let invalidArgument = Code(.invalidArgument)
    /// The named object does not exist in the caller's organization (gRPC NOT_FOUND).
    public static let notFound = Code(.notFound)
    /// The object to create exists already (gRPC ALREADY_EXISTS).
    public static let alreadyExists = Code(.alreadyExists)
    /// The object is not in a state that allows the request (gRPC FAILED_PRECONDITION).
    public static let failedPrecondition = Code(.failedPrecondition)
    /// A stale etag (gRPC ABORTED).
    public static let aborted = Code(.aborted)
    /// A watch asked for history that is no longer kept (gRPC OUT_OF_RANGE).
    public static let outOfRange = Code(.outOfRange)
    /// The orchestrator is stopping, or its store failed (gRPC UNAVAILABLE).
    /// The orchestrator is stopping or its store failed (UNAVAILABLE).
    public static let unavailable = Code(.unavailable)
    /// A bug or corrupted state (gRPC INTERNAL).
    /// A bug (INTERNAL).
    public static let internalError = Code(.internalError)

    /// The canonical gRPC status code number.
    public var grpcStatusCode: Int {
      switch value {
      case .invalidArgument: 3
      case .notFound: 5
      case .alreadyExists: 6
      case .failedPrecondition: 9
      case .aborted: 10
      case .outOfRange: 11
      case .unavailable: 14
      case .internalError: 13
      }
    }

    public var description: String {
      switch value {
      case .invalidArgument: "invalidArgument"
      case .notFound: "notFound"
      case .alreadyExists: "alreadyExists"
      case .failedPrecondition: "failedPrecondition"
      case .aborted: "aborted"
      case .outOfRange: "outOfRange"
      case .unavailable: "unavailable"
      case .internalError: "internalError"
      }
    }
  }

  /// The stable reasons this module produces.
  public enum Reason {
    /// A request field is malformed (INVALID_ARGUMENT); metadata `field` names it.
    public static let validationError = "VALIDATION_ERROR"
    /// A request id was used before for a different request (INVALID_ARGUMENT).
    public static let requestIDReused = "REQUEST_ID_REUSED"
    /// No such organization (NOT_FOUND).
    public static let organizationNotFound = "ORGANIZATION_NOT_FOUND"
    /// No such environment in the organization (NOT_FOUND).
    public static let environmentNotFound = "ENVIRONMENT_NOT_FOUND"
    /// No such deployment in the organization (NOT_FOUND).
    public static let deploymentNotFound = "DEPLOYMENT_NOT_FOUND"
    /// No such operation in the organization (NOT_FOUND).
    public static let operationNotFound = "OPERATION_NOT_FOUND"
    /// No such current member (NOT_FOUND).
    public static let memberNotFound = "MEMBER_NOT_FOUND"
    /// No such API key in the organization (NOT_FOUND).
    public static let apiKeyNotFound = "API_KEY_NOT_FOUND"
    /// The email is a current member already (ALREADY_EXISTS).
    public static let memberAlreadyExists = "MEMBER_ALREADY_EXISTS"
    /// An environment with that slug exists (ALREADY_EXISTS).
    public static let environmentAlreadyExists = "ENVIRONMENT_ALREADY_EXISTS"
    /// Another operation is in flight on the deployment; metadata `operation_id` names it.
    public static let resourceConflict = "RESOURCE_CONFLICT"
    /// Destroy asked for a deployment that is not READY or FAILED (e.g. already destroyed).
    public static let deploymentNotDestroyable = "DEPLOYMENT_NOT_DESTROYABLE"
    /// The etag given is stale (ABORTED); metadata `current_etag`.
    public static let etagMismatch = "ETAG_MISMATCH"
    /// Cancel of an operation that is already done (FAILED_PRECONDITION).
    public static let operationDone = "OPERATION_ALREADY_DONE"
    /// Cancel of a destroy, which is irreversible (FAILED_PRECONDITION).
    public static let operationNotCancelable = "OPERATION_NOT_CANCELABLE"
    /// A deployment watch from a revision older than the kept history (OUT_OF_RANGE).
    public static let watchRevisionCompacted = "WATCH_REVISION_COMPACTED"
    /// The orchestrator is stopping or its store failed (UNAVAILABLE).
    public static let unavailable = "ORCHESTRATOR_UNAVAILABLE"
    /// A bug (INTERNAL).
    public static let internalError = "INTERNAL"
  }

  /// What kind of failure this is.
  public var code: Code
  /// Stable UPPER_SNAKE_CASE reason, one of ``Reason``.
  public var reason: String
  /// What was wrong and what would be right.
  public var message: String
  /// Every dynamic value of `message`, by name.
  public var metadata: [String: String]
  /// The underlying error, if any (for example a `StoreError`).
  public var cause: (any Error)?

  /// Creates an error.
  public init(
    code: Code, reason: String, message: String, metadata: [String: String] = [:], cause: (any Error)? = nil
  ) {
    self.code = code
    self.reason = reason
    self.message = message
    self.metadata = metadata
    self.cause = cause
  }

  /// Equal when code, reason, message and metadata are (the cause is not compared).
  public static func == (a: Self, b: Self) -> Bool {
    a.code == b.code && a.reason == b.reason && a.message == b.message && a.metadata == b.metadata
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(code)
    hasher.combine(reason)
    hasher.combine(message)
  }

  /// Code, reason, message and cause, for logs.
  public var description: String {
    var text = "\(code) \(reason): \(message)"
    if let cause { text += " (cause: \(cause))" }
    return text
  }

  static func validation(_ message: String, field: String) -> Self {
    Self(code: .invalidArgument, reason: Reason.validationError, message: message, metadata: ["field": field])
  }

  static func notFound(_ reason: String, _ what: String, _ id: String) -> Self {
    Self(code: .notFound, reason: reason, message: "\(what) '\(id)' not found", metadata: ["id": id])
  }
}

/// What a ``Provisioner`` step throws.
///
/// A transient error is retried with backoff up to ``Orchestrator/Configuration-swift.struct/maxAttempts``;
/// anything else fails the operation at once. Errors of other types count as permanent.
public struct ProvisionerError: Error, Sendable, Hashable, CustomStringConvertible {
  /// For people; becomes the step message and the failure message.
  public var message: String
  /// True when trying again may succeed (a timeout, a throttled API).
  public var isTransient: Bool
  /// A stable reason for `Failure.reason`; default `<STEP>_FAILED`.
  public var reason: String?
  /// Extra `Failure.metadata`.
  public var metadata: [String: String]

  /// Creates an error.
  public init(_ message: String, isTransient: Bool = false, reason: String? = nil, metadata: [String: String] = [:]) {
    self.message = message
    self.isTransient = isTransient
    self.reason = reason
    self.metadata = metadata
  }

  public var description: String { message }
}

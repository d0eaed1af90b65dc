public import GRPCCore
import Orchestrator
import OnveraRPC
import Synchronization

/// An error at the API boundary: a gRPC status code, a stable UPPER_SNAKE_CASE
/// reason and a message for people. It reaches the client as the status plus
/// `grpc-status-details-bin` holding a `google.rpc.Status` with a
/// `google.rpc.ErrorInfo{reason, domain: "onvera.io", metadata}`.
public struct APIError: Error, Sendable, RPCErrorConvertible, CustomStringConvertible {
  /// The gRPC status code.
  public var code: RPCError.Code
  /// Stable, machine-readable: DEPLOYMENT_NOT_FOUND, INSUFFICIENT_SCOPE, ...
  public var reason: String
  /// What was wrong and what would be right.
  public var message: String
  /// Every dynamic value of `message`, by name.
  public var metadata: [String: String]

  /// Creates an error.
  public init(code: RPCError.Code, reason: String, message: String, metadata: [String: String] = [:]) {
    self.code = code
    self.reason = reason
    self.message = message
    self.metadata = metadata
  }

  static func unauthenticated(_ reason: String, _ message: String, metadata: [String: String] = [:]) -> APIError {
    APIError(code: .unauthenticated, reason: reason, message: message, metadata: metadata)
  }

  /// INVALID_ARGUMENT with reason VALIDATION_ERROR, naming the field.
  static func validation(_ message: String, field: String) -> APIError {
    APIError(code: .invalidArgument, reason: "VALIDATION_ERROR", message: message, metadata: ["field": field])
  }

  /// The same error as the orchestrator reported it.
  init(_ error: OrchestratorError) {
    self.init(
      code: Self.grpcCode(error.code), reason: error.reason, message: error.message,
      metadata: error.metadata)
  }

  static func grpcCode(_ code: OrchestratorError.Code) -> RPCError.Code {
    switch code {
    case .invalidArgument: .invalidArgument
    case .notFound: .notFound
    case .alreadyExists: .alreadyExists
    case .failedPrecondition: .failedPrecondition
    case .aborted: .aborted
    case .outOfRange: .outOfRange
    case .unavailable: .unavailable
    default: .internalError
    }
  }

  public var rpcErrorCode: RPCError.Code { code }
  public var rpcErrorMessage: String { message }
  public var rpcErrorMetadata: Metadata {
    RPCError(code: code, message: message, errorInfo: Google_Rpc_ErrorInfo(reason: reason, metadata: metadata)).metadata
  }
  public var rpcErrorCause: (any Error)? { nil }

  public var description: String { "\(code) \(reason): \(message)" }
}

/// Runs `body`, turning orchestrator errors into API errors.
func mapped<T>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch let error as OrchestratorError {
    throw APIError(error)
  }
}

/// Runs `body` until it ends, the RPC is cancelled (the client reset the
/// stream, the deadline passed) or the server starts shutting down, whichever
/// comes first. GRPCCore signals RPC cancellation through the context, not by
/// cancelling the handler's task, so long waits must race against it. On
/// shutdown the call ends with UNAVAILABLE, so clients reconnect and resume.
func untilRPCCancelled<T: Sendable>(
  _ rpc: ServerContext, shutdown: ShutdownSignal, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  let outcome = try await withThrowingTaskGroup(of: RaceOutcome<T>.self) { group in
    group.addTask { .finished(try await body()) }
    group.addTask {
      try await rpc.cancellation.cancelled
      return .cancelled
    }
    group.addTask {
      await shutdown.wait()
      return .shuttingDown
    }
    defer { group.cancelAll() }
    return try await group.next()!
  }
  switch outcome {
  case .finished(let result): return result
  case .cancelled: throw APIError(code: .cancelled, reason: "CANCELLED", message: "the call was cancelled")
  case .shuttingDown:
    throw APIError(
      code: .unavailable, reason: "SERVER_SHUTTING_DOWN",
      message: "the server is shutting down: reconnect and resume from the last sequence or revision you saw")
  }
}

enum RaceOutcome<T: Sendable>: Sendable {
  case finished(T)
  case cancelled
  case shuttingDown
}

/// Fires once, when the server begins shutting down; waiters return then (or when cancelled).
final class ShutdownSignal: Sendable {
  private struct State {
    var fired = false
    var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    var next: UInt64 = 0
  }
  private let state = Mutex(State())

  init() {}

  /// Wakes every waiter, now and later.
  func fire() {
    let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      s.fired = true
      defer { s.waiters = [:] }
      return Array(s.waiters.values)
    }
    for w in waiters { w.resume() }
  }

  /// Returns once fired, or once the calling task is cancelled.
  func wait() async {
    let id = state.withLock { s -> UInt64 in
      s.next += 1
      return s.next
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { s -> Bool in
          if s.fired || Task.isCancelled { return true }
          s.waiters[id] = c
          return false
        }
        if resumeNow { c.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
      waiter?.resume()
    }
  }
}

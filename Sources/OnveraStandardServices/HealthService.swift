public import GRPCCore
import Synchronization

/// `grpc.health.v1.Health`: Check and Watch over a serving status per service name.
///
/// The empty name is the server as a whole. Every status starts NOT_SERVING,
/// so load balancers and orchestrators keep traffic away while the server
/// starts or recovers; the server flips them to SERVING when it is ready and
/// calls ``beginShutdown()`` when it stops:
///
/// ```swift
/// let health = HealthService(services: ["onvera.v1.DeploymentService"])
/// let server = GRPCServer(transport: transport, services: [health, ...])
/// // ... once recovery is done:
/// health.setStatusOfAllServices(.serving)
/// ```
public final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
  /// A service's serving status.
  public typealias ServingStatus = Grpc_Health_V1_HealthCheckResponse.ServingStatus

  private struct State {
    var statuses: [String: ServingStatus] = [:]
    var watchers: [String: [UInt64: AsyncStream<ServingStatus>.Continuation]] = [:]
    var nextWatcherID: UInt64 = 0
    var isShuttingDown = false
  }

  private let state: Mutex<State>

  /// A health service knowing the server (`""`) and `services`, all at `status`.
  public init(services: [String] = [], status: ServingStatus = .notServing) {
    var initial = State()
    initial.statuses[""] = status
    for service in services { initial.statuses[service] = status }
    self.state = Mutex(initial)
  }

  /// The status of `service` (`""` for the server), nil when the service is not known.
  public func status(forService service: String = "") -> ServingStatus? {
    state.withLock { $0.statuses[service] }
  }

  /// Sets the status of `service` (`""` for the server), adding the service if it is new,
  /// and tells its watchers. Ignored once ``beginShutdown()`` was called, so a
  /// component that reports itself ready late cannot draw traffic to a stopping server.
  public func setStatus(_ status: ServingStatus, forService service: String = "") {
    state.withLock { state in
      guard !state.isShuttingDown else { return }
      state.statuses[service] = status
      for watcher in (state.watchers[service] ?? [:]).values { watcher.yield(status) }
    }
  }

  /// Sets the status of the server and of every known service. Ignored once shutting down.
  public func setStatusOfAllServices(_ status: ServingStatus) {
    state.withLock { state in
      guard !state.isShuttingDown else { return }
      for service in state.statuses.keys {
        state.statuses[service] = status
        for watcher in (state.watchers[service] ?? [:]).values { watcher.yield(status) }
      }
    }
  }

  /// Marks everything NOT_SERVING for good: watchers are told, then their streams
  /// end with UNAVAILABLE so they reconnect to another server.
  public func beginShutdown() {
    let watchers = state.withLock { state -> [AsyncStream<ServingStatus>.Continuation] in
      state.isShuttingDown = true
      for service in state.statuses.keys { state.statuses[service] = .notServing }
      let all = state.watchers.values.flatMap(\.values)
      state.watchers = [:]
      return all
    }
    // Outside the lock: finishing runs onTermination, which takes it.
    for watcher in watchers {
      watcher.yield(.notServing)
      watcher.finish()
    }
  }

  /// Answers the status of the requested service; NOT_FOUND when the service is not known.
  public func check(
    request: Grpc_Health_V1_HealthCheckRequest,
    context: ServerContext
  ) async throws -> Grpc_Health_V1_HealthCheckResponse {
    guard let status = self.status(forService: request.service) else {
      throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
    }
    return Grpc_Health_V1_HealthCheckResponse(status: status)
  }

  /// Sends the current status, then each change, until the client goes away or the server shuts down.
  public func watch(
    request: Grpc_Health_V1_HealthCheckRequest,
    response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
    context: ServerContext
  ) async throws {
    // Only the latest status matters to a watcher: a slow one skips the ones in between.
    let (statuses, continuation) = AsyncStream.makeStream(of: ServingStatus.self, bufferingPolicy: .bufferingNewest(1))
    let service = request.service
    let registered = state.withLock { state -> UInt64? in
      continuation.yield(state.statuses[service] ?? .serviceUnknown)
      guard !state.isShuttingDown else { return nil }
      let id = state.nextWatcherID
      state.nextWatcherID += 1
      state.watchers[service, default: [:]][id] = continuation
      return id
    }
    if let id = registered {
      continuation.onTermination = { [weak self] _ in
        self?.state.withLock { state in
          state.watchers[service]?[id] = nil
          if state.watchers[service]?.isEmpty == true { state.watchers[service] = nil }
        }
      }
    } else {
      continuation.finish()
    }

    // GRPCCore signals a cancelled RPC (the client left, the deadline passed)
    // through the context, not by cancelling this task: end the stream then.
    try await withRPCCancellationHandler {
      var last: ServingStatus? = nil
      for await status in statuses where status != last {
        try await response.write(Grpc_Health_V1_HealthCheckResponse(status: status))
        last = status
      }
    } onCancelRPC: {
      continuation.finish()
    }
    // Ended by cancellation (nobody to tell) or by shutdown, when the watcher
    // should find another server.
    if context.cancellation.isCancelled || Task.isCancelled { return }
    throw RPCError(code: .unavailable, message: "the server is shutting down")
  }
}

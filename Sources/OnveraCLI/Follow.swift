import Dispatch
import GRPCCore
import OnveraProto
import OnveraRPC
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Follows an operation over WatchOperation and prints a line per change of phase or message.
///
/// A dropped stream is resumed with `after_sequence` set to the last sequence seen, and lines
/// are keyed by sequence and content, so nothing is lost or printed twice across reconnects.
struct OperationFollower: Sendable {
  let api: API
  let console: Console
  let format: OutputFormat
  /// How long the server may stay unreachable before the follow gives up.
  var reconnectBudget: Duration = .seconds(120)

  private final class Progress: Sendable {
    struct State {
      var lastSequence: UInt64 = 0
      var lastLine: String?
      var latest: Onvera_V1_Operation?
    }
    let state = Mutex(State())
  }

  /// Follows `operationID` until it is done; returns its final state.
  func follow(_ operationID: String) async throws -> Onvera_V1_Operation {
    let progress = Progress()
    let console = self.console
    let format = self.format
    return try await withThrowingTaskGroup(of: Onvera_V1_Operation?.self) { group in
      if format == .table && console.isTerminal {
        group.addTask {
          // Animation only: the spinner is redrawn ten times a second until the follow ends.
          while !Task.isCancelled {
            console.tick()
            try? await Task.sleep(for: .milliseconds(100))
          }
          return nil
        }
      }
      group.addTask { try await self.watchUntilDone(operationID, progress: progress) }
      defer { console.setSpinner(nil) }
      while let result = try await group.next() {
        if let operation = result {
          group.cancelAll()
          return operation
        }
      }
      throw CancellationError()
    }
  }

  private func watchUntilDone(_ operationID: String, progress: Progress) async throws -> Onvera_V1_Operation {
    var failingSince: ContinuousClock.Instant?
    var backoff: Duration = .milliseconds(100)
    while true {
      try Task.checkCancellation()
      var request = Onvera_V1_WatchOperationRequest()
      request.operationID = operationID
      request.afterSequence = progress.state.withLock { $0.lastSequence }
      do {
        let done = try await api.operations.watchOperation(request, metadata: api.metadata) { response -> Onvera_V1_Operation? in
          for try await event in response.messages {
            if let operation = self.handle(event, progress: progress), operation.done { return operation }
          }
          return nil
        }
        if let done { return done }
        // The stream ended before the operation was done (a server shutting down): resume.
        failingSince = nil
      } catch let error as RPCError where error.code == .unavailable {
        let now = ContinuousClock.now
        if let since = failingSince, since.duration(to: now) > reconnectBudget {
          throw API.translate(error, address: api.address)
        }
        if failingSince == nil {
          failingSince = now
          backoff = .milliseconds(100)
          if format == .table { console.setSpinner("connection lost; reconnecting to \(api.address)...") }
        }
        // Backoff between reconnection attempts, not a wait for an event.
        try await Task.sleep(for: backoff)
        backoff = min(backoff * 2, .seconds(2))
        continue
      }
      failingSince = nil
    }
  }

  /// Prints what `event` changed; returns the operation state it carries, if new.
  private func handle(_ event: Onvera_V1_OperationEvent, progress: Progress) -> Onvera_V1_Operation? {
    guard event.hasOperation else { return nil }
    let operation = event.operation
    let sequence = max(event.sequence, operation.sequence)
    let output: String? = progress.state.withLock { state in
      guard sequence > state.lastSequence else { return nil }
      state.lastSequence = sequence
      state.latest = operation
      if format == .json { return Format.json(operation) }
      let key = operation.phaseName + "\u{0}" + operation.message
      guard key != state.lastLine else { return nil }
      state.lastLine = key
      let now = event.hasTime ? event.time.seconds : Format.nowSeconds()
      let started = operation.hasCreateTime ? operation.createTime.seconds : now
      let elapsed = Format.elapsed(seconds: now - started)
      return "Status: \(operation.phaseName) - \(operation.message) (\(elapsed) elapsed)"
    }
    guard let output else { return nil }
    console.line(output)
    if format == .table {
      let step = operation.steps.first { $0.status == .running }?.name ?? operation.phaseName
      console.setSpinner(operation.done ? nil : "\(step): \(operation.message)")
    }
    return operation
  }
}

/// Runs `body` until it finishes or the user presses Ctrl+C; nil means interrupted.
///
/// SIGINT is turned into an event (a dispatch signal source) so the follow is cancelled
/// cleanly and the caller can say how to resume, instead of the process dying mid-line.
func untilInterrupted<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result? {
  let (signals, continuation) = AsyncStream<Void>.makeStream()
  signal(SIGINT, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
  source.setEventHandler { continuation.yield() }
  source.resume()
  defer {
    source.cancel()
    continuation.finish()
    signal(SIGINT, SIG_DFL)
  }
  return try await withThrowingTaskGroup(of: Result?.self) { group in
    group.addTask {
      for await _ in signals { return nil }
      // The stream ended without a signal: the group is being torn down.
      throw CancellationError()
    }
    group.addTask { try await body() }
    let first = try await group.next()!
    group.cancelAll()
    continuation.finish()
    return first
  }
}

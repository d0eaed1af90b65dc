internal import GRPCCore
import Synchronization

/// One received item of a stream, in order.
enum InboundItem: Sendable {
  case metadata(Metadata)
  /// A message and the algorithm it is compressed with (`.none` when it is not).
  case message([UInt8], compressed: CompressionAlgorithm)
  case status(Status, Metadata)
}

/// Items received on one HTTP/2 stream, handed from its event loop to the task consuming them.
///
/// The event loop pushes; one consumer pulls. Bytes the consumer has not taken yet are counted so
/// that the event loop can hold back flow-control window while the consumer is behind: that is
/// how a slow handler pushes back on its peer.
final class InboundQueue: Sendable {
  private struct State {
    var items: [(item: InboundItem, bytes: Int)] = []
    var head = 0
    var end: (any Error)?? = nil
    var waiter: CheckedContinuation<InboundItem?, any Error>?
    var queuedBytes = 0
    var wakeRequested = false
  }

  private let state = Mutex(State())
  private let highWater: Int
  /// Called (off the lock) when the consumer has drained the queue after the event loop deferred window.
  private let wake: @Sendable () -> Void

  init(highWater: Int, wake: @escaping @Sendable () -> Void) {
    self.highWater = highWater
    self.wake = wake
  }

  /// Appends an item; `bytes` is what it took on the wire (for flow control).
  func push(_ item: InboundItem, bytes: Int) {
    let waiter: CheckedContinuation<InboundItem?, any Error>? = self.state.withLock { state in
      if state.end != nil { return nil }
      if let waiter = state.waiter {
        state.waiter = nil
        return waiter
      }
      state.items.append((item, bytes))
      state.queuedBytes += bytes
      return nil
    }
    waiter?.resume(returning: item)
  }

  /// Ends the sequence; nil ends it normally, otherwise `next()` throws the error after the
  /// queued items (a failure drops the messages, the stream is gone, but keeps unread
  /// metadata so that the reader learns the call's metadata and then the error).
  func finish(_ error: (any Error)?) {
    let waiter: CheckedContinuation<InboundItem?, any Error>? = self.state.withLock { state in
      guard state.end == nil else { return nil }
      state.end = .some(error)
      if error != nil {
        let metadata = state.items[state.head...].filter {
          if case .metadata = $0.0 { return true } else { return false }
        }
        state.items = Array(metadata)
        state.head = 0
        state.queuedBytes = 0
      }
      let w = state.waiter
      state.waiter = nil
      return w
    }
    if let waiter {
      if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
    }
  }

  /// True when the consumer is behind; the event loop then defers window and is woken later.
  func shouldDeferWindow() -> Bool {
    self.state.withLock { state in
      if state.queuedBytes > self.highWater {
        state.wakeRequested = true
        return true
      }
      return false
    }
  }

  func next() async throws -> InboundItem? {
    enum Immediate {
      case item(InboundItem, wake: Bool)
      case end((any Error)?)
      case wait
    }
    let immediate: Immediate = self.state.withLock { state in
      if state.head < state.items.count {
        let (item, bytes) = state.items[state.head]
        state.head += 1
        state.queuedBytes -= bytes
        if state.head == state.items.count {
          state.items.removeAll(keepingCapacity: true)
          state.head = 0
        }
        var wake = false
        if state.wakeRequested && state.queuedBytes <= self.highWater / 2 {
          state.wakeRequested = false
          wake = true
        }
        return .item(item, wake: wake)
      }
      if let end = state.end { return .end(end) }
      return .wait
    }
    switch immediate {
    case .item(let item, let wake):
      if wake { self.wake() }
      return item
    case .end(let error):
      if let error { throw error }
      return nil
    case .wait:
      break
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<InboundItem?, any Error>) in
        enum Action {
          case none
          case item(InboundItem, Bool)
          case end((any Error)?)
        }
        let action: Action = self.state.withLock { state in
          if Task.isCancelled && state.end == nil {
            return .end(CancellationError())
          }
          if state.head < state.items.count {
            let (item, bytes) = state.items[state.head]
            state.head += 1
            state.queuedBytes -= bytes
            var wake = false
            if state.wakeRequested && state.queuedBytes <= self.highWater / 2 {
              state.wakeRequested = false
              wake = true
            }
            return .item(item, wake)
          }
          if let end = state.end { return .end(end) }
          state.waiter = continuation
          return .none
        }
        switch action {
        case .none: break
        case .item(let item, let wake):
          if wake { self.wake() }
          continuation.resume(returning: item)
        case .end(let error):
          if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
        }
      }
    } onCancel: {
      let waiter = self.state.withLock { state in
        let w = state.waiter
        state.waiter = nil
        return w
      }
      waiter?.resume(throwing: CancellationError())
    }
  }
}

/// Bytes written by a task and not yet sent by the event loop; writers wait while it is high.
final class OutboundFlow: Sendable {
  private struct State {
    var pendingBytes = 0
    var waiters: [CheckedContinuation<Void, any Error>] = []
    var closed: (any Error)?
  }

  private let state = Mutex(State())
  private let highWater: Int

  init(highWater: Int) {
    self.highWater = highWater
  }

  /// Throws if the stream is closed; otherwise records `count` pending bytes.
  func reserve(_ count: Int) throws {
    try self.state.withLock { state in
      if let closed = state.closed { throw closed }
      state.pendingBytes += count
    }
  }

  /// Suspends while too many bytes are pending.
  func waitForCapacity() async throws {
    let mustWait: Bool = try self.state.withLock { state in
      if let closed = state.closed { throw closed }
      return state.pendingBytes > self.highWater
    }
    guard mustWait else { return }
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      let result: Result<Bool, any Error> = self.state.withLock { state in
        if let closed = state.closed { return .failure(closed) }
        if state.pendingBytes <= self.highWater { return .success(true) }
        state.waiters.append(continuation)
        return .success(false)
      }
      switch result {
      case .success(true): continuation.resume()
      case .success(false): break
      case .failure(let error): continuation.resume(throwing: error)
      }
    }
  }

  /// Called by the event loop when bytes have been handed to nghttp2.
  func didSend(_ count: Int) {
    let waiters: [CheckedContinuation<Void, any Error>] = self.state.withLock { state in
      state.pendingBytes -= count
      guard !state.waiters.isEmpty, state.pendingBytes <= self.highWater / 2 else { return [] }
      let w = state.waiters
      state.waiters = []
      return w
    }
    for w in waiters { w.resume() }
  }

  func close(_ error: any Error) {
    let waiters: [CheckedContinuation<Void, any Error>] = self.state.withLock { state in
      if state.closed == nil { state.closed = error }
      let w = state.waiters
      state.waiters = []
      return w
    }
    for w in waiters { w.resume(throwing: error) }
  }

  var isClosed: Bool { self.state.withLock { $0.closed != nil } }
}

public import OnveraProto
import OnveraStore
import Synchronization

/// The events buffered for one watcher.
///
/// A watcher that keeps up sees every event. One that falls behind has its backlog coalesced
/// per object once it exceeds the limit: only each object's newest event stays, in the order
/// of those newest events, so memory stays bounded by the number of objects and the
/// publisher never waits for the watcher.
final class Subscriber<Event: Sendable>: Sendable {
  struct Entry {
    /// The object the event is about; "" for events that are never coalesced.
    var key: String
    var event: Event
  }

  struct State {
    var buffer: [Entry] = []
    var head = 0
    var waiter: CheckedContinuation<Void, Never>?
    var finished = false
    var failure: OrchestratorError?
    var lastActivity = ContinuousClock.now
    var compactAt: Int
    var quietEnabled = true
  }

  let state: Mutex<State>
  let limit: Int
  /// Combines an older event of an object with a newer one when coalescing.
  let merge: @Sendable (_ older: Event, _ newer: Event) -> Event

  init(limit: Int, quietEnabled: Bool = true, merge: @escaping @Sendable (Event, Event) -> Event) {
    self.limit = max(1, limit)
    self.merge = merge
    state = Mutex(State(compactAt: max(1, limit), quietEnabled: quietEnabled))
  }

  /// Queues an event; never blocks.
  func push(key: String, _ event: Event, finishing: Bool = false) {
    let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
      if s.finished { return nil }
      s.buffer.append(Entry(key: key, event: event))
      if s.buffer.count - s.head > s.compactAt { compact(&s) }
      if finishing { s.finished = true }
      s.lastActivity = .now
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume()
  }

  private func compact(_ s: inout State) {
    var kept: [Entry] = []
    var index: [String: Int] = [:]
    for entry in s.buffer[s.head...].reversed() {
      if entry.key.isEmpty {
        kept.append(entry)
      } else if let i = index[entry.key] {
        kept[i].event = merge(entry.event, kept[i].event)
      } else {
        index[entry.key] = kept.count
        kept.append(entry)
      }
    }
    s.buffer = kept.reversed()
    s.head = 0
    s.compactAt = max(limit, 2 * s.buffer.count)
  }

  /// Ends the stream after what is buffered (with `failure`, thrown after the buffer).
  func finish(failure: OrchestratorError? = nil) {
    let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
      if s.finished { return nil }
      s.finished = true
      s.failure = failure
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume()
  }

  /// Ends the stream now, dropping what is buffered (the consumer went away).
  func cancel() {
    let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
      s.finished = true
      s.buffer = []
      s.head = 0
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume()
  }

  /// True when idle for `quiet` with nothing buffered (time for a heartbeat).
  func isQuiet(for quiet: Duration, now: ContinuousClock.Instant) -> Bool {
    state.withLock { s in
      s.quietEnabled && !s.finished && s.head == s.buffer.count && now - s.lastActivity >= quiet
    }
  }

  func setQuietEnabled(_ enabled: Bool) {
    state.withLock {
      $0.quietEnabled = enabled
      $0.lastActivity = .now
    }
  }

  /// Buffered events not yet taken.
  var backlog: Int { state.withLock { $0.buffer.count - $0.head } }

  /// The next event, waiting for one; nil once finished and drained.
  func next() async throws -> Event? {
    while true {
      let step: SubscriberStep<Event> = state.withLock { s in
        if s.head < s.buffer.count {
          let e = s.buffer[s.head].event
          s.head += 1
          if s.head == s.buffer.count || s.head > 1024 {
            s.buffer.removeFirst(s.head)
            s.head = 0
          }
          return .event(e)
        }
        if s.finished { return .end(s.failure) }
        return .wait
      }
      switch step {
      case .event(let e): return e
      case .end(let failure):
        if let failure { throw failure }
        return nil
      case .wait:
        if Task.isCancelled {
          cancel()
          return nil
        }
        await withTaskCancellationHandler {
          await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
              if s.head < s.buffer.count || s.finished { return true }
              s.waiter = c
              return false
            }
            if now { c.resume() }
          }
        } onCancel: {
          cancel()
        }
      }
    }
  }
}

enum SubscriberStep<Event> {
  case event(Event)
  case end(OrchestratorError?)
  case wait
}

/// Removes a watcher from the hub when its stream is dropped.
final class WatchHandle: Sendable {
  let onDrop: @Sendable () -> Void
  init(onDrop: @escaping @Sendable () -> Void) { self.onDrop = onDrop }
  deinit { onDrop() }
}

/// Fans durable changes out to watchers: per operation and per organization's deployments.
final class WatchHub: Sendable {
  struct DeploymentWatcher {
    var subscriber: Subscriber<Onvera_V1_DeploymentEvent>
    var environmentID: String
  }

  struct State {
    var nextID = 0
    var operations: [String: [Int: Subscriber<Onvera_V1_OperationEvent>]] = [:]
    var organizations: [String: [Int: DeploymentWatcher]] = [:]
    /// Recent full states of operations (unfinished ones and the most recently finished),
    /// for watchers resuming from a sequence.
    var history = OperationHistory()
    var latestSequence: [String: UInt64] = [:]
    var revision: UInt64 = 0
    var closed = false
  }

  let state: Mutex<State>
  let bufferLimit: Int
  let historyLimit: Int

  init(bufferLimit: Int, historyLimit: Int, revision: UInt64) {
    self.bufferLimit = bufferLimit
    self.historyLimit = historyLimit
    state = Mutex(State(revision: revision))
  }

  /// Seeds the operation histories rebuilt while replaying the store, so watchers that
  /// resume by sequence after a restart get every retained change, not a jump.
  /// Every kept operation state, in an order that ``OperationHistory/remember(_:limit:)``
  /// turns back into the same history: finished operations in the order they finished, then
  /// the unfinished ones; each operation's states oldest first.
  func historyForSnapshot() -> [Onvera_V1_Operation] {
    state.withLock { s in
      let history = s.history
      var out: [Onvera_V1_Operation] = []
      var finished = Set<String>()
      for id in history.finishedOrder {
        finished.insert(id)
        out += history.states[id] ?? []
      }
      for id in history.states.keys.sorted() where !finished.contains(id) {
        out += history.states[id]!
      }
      return out
    }
  }

  func restore(_ history: OperationHistory) {
    state.withLock { $0.history = history }
  }

  static func mergeOperation(_ older: Onvera_V1_OperationEvent, _ newer: Onvera_V1_OperationEvent)
    -> Onvera_V1_OperationEvent
  {
    var e = newer
    if older.kind == .snapshot { e.kind = .snapshot }
    return e
  }

  static func mergeDeployment(_ older: Onvera_V1_DeploymentEvent, _ newer: Onvera_V1_DeploymentEvent)
    -> Onvera_V1_DeploymentEvent
  {
    var e = newer
    // The watcher never saw the object: it is still new to it, unless it is gone already.
    if older.kind == .added && newer.kind == .modified { e.kind = .added }
    return e
  }

  /// Publishes one committed record. Called in revision order, once durable.
  func publish(revision: UInt64, time: Google_Protobuf_Timestamp, change: ChangeRecord, deployments: [Onvera_V1_Deployment]) {
    state.withLock { s in
      s.revision = revision
      for op in change.operations {
        s.history.remember(op, limit: historyLimit)
        guard let subs = s.operations[op.id] else { continue }
        s.latestSequence[op.id] = op.sequence
        var event = Onvera_V1_OperationEvent()
        event.kind = .update
        event.operation = op
        event.sequence = op.sequence
        event.time = time
        for sub in subs.values { sub.push(key: op.id, event, finishing: op.done) }
        if op.done {
          s.operations[op.id] = nil
          s.latestSequence[op.id] = nil
        }
      }
      for (i, d) in deployments.enumerated() {
        guard let watchers = s.organizations[d.organizationID] else { continue }
        var event = Onvera_V1_DeploymentEvent()
        event.kind = Self.kind(of: d, created: change.deployments[i].created)
        event.deployment = d
        event.revision = revision
        for w in watchers.values where w.environmentID.isEmpty || w.environmentID == d.environmentID {
          w.subscriber.push(key: d.id, event)
        }
      }
    }
  }

  static func kind(of d: Onvera_V1_Deployment, created: Bool) -> Onvera_V1_DeploymentEvent.Kind {
    if d.status == .destroyed { return .removed }
    return created ? .added : .modified
  }

  /// Registers an operation watcher. `current` is the durable state right now (the caller
  /// holds the orchestrator, so nothing is published between reading it and this call).
  func watchOperation(_ current: Onvera_V1_Operation, afterSequence: UInt64, time: Google_Protobuf_Timestamp)
    -> (Subscriber<Onvera_V1_OperationEvent>, WatchHandle)
  {
    let sub = Subscriber<Onvera_V1_OperationEvent>(limit: bufferLimit, merge: Self.mergeOperation)
    func event(_ kind: Onvera_V1_OperationEvent.Kind, _ op: Onvera_V1_Operation) -> Onvera_V1_OperationEvent {
      var e = Onvera_V1_OperationEvent()
      e.kind = kind
      e.operation = op
      e.sequence = op.sequence
      e.time = time
      return e
    }
    let id: Int? = state.withLock { s in
      if afterSequence == 0 {
        sub.push(key: current.id, event(.snapshot, current), finishing: current.done)
      } else if afterSequence < current.sequence {
        let retained = (s.history.states[current.id] ?? []).filter { $0.sequence > afterSequence }
        if let first = retained.first, first.sequence == afterSequence + 1 {
          for op in retained { sub.push(key: current.id, event(.update, op)) }
        } else {
          // The changes in between are no longer kept: the newest state carries them all.
          sub.push(key: current.id, event(.update, current), finishing: current.done)
        }
        if current.done { sub.finish() }
      } else if current.done {
        sub.finish()
      }
      if current.done || s.closed {
        sub.finish()
        return nil
      }
      s.nextID += 1
      s.operations[current.id, default: [:]][s.nextID] = sub
      s.latestSequence[current.id] = current.sequence
      return s.nextID
    }
    let opID = current.id
    let handle = WatchHandle { [weak self] in
      guard let id, let self else { return }
      self.state.withLock { s in
        s.operations[opID]?[id] = nil
        if s.operations[opID]?.isEmpty == true {
          s.operations[opID] = nil
          s.latestSequence[opID] = nil
        }
      }
    }
    return (sub, handle)
  }

  /// Registers a deployment watcher; `initial` events are queued first.
  func watchDeployments(
    organizationID: String, environmentID: String, initial: [(key: String, event: Onvera_V1_DeploymentEvent)],
    catchingUp: Bool
  ) -> (Subscriber<Onvera_V1_DeploymentEvent>, WatchHandle) {
    let sub = Subscriber<Onvera_V1_DeploymentEvent>(
      limit: bufferLimit, quietEnabled: !catchingUp, merge: Self.mergeDeployment)
    for (key, event) in initial { sub.push(key: key, event) }
    let id: Int? = state.withLock { s in
      if s.closed {
        sub.finish()
        return nil
      }
      s.nextID += 1
      s.organizations[organizationID, default: [:]][s.nextID] =
        DeploymentWatcher(subscriber: sub, environmentID: environmentID)
      return s.nextID
    }
    let handle = WatchHandle { [weak self] in
      guard let id, let self else { return }
      self.state.withLock { s in
        s.organizations[organizationID]?[id] = nil
        if s.organizations[organizationID]?.isEmpty == true { s.organizations[organizationID] = nil }
      }
    }
    return (sub, handle)
  }

  /// How many operation and deployment watchers are registered.
  var counts: (operations: Int, deployments: Int) {
    state.withLock { s in
      (s.operations.values.reduce(0) { $0 + $1.count }, s.organizations.values.reduce(0) { $0 + $1.count })
    }
  }

  /// Sends heartbeats and bookmarks to watchers idle for `quiet`.
  func tick(quiet: Duration, time: Google_Protobuf_Timestamp) {
    let now = ContinuousClock.now
    state.withLock { s in
      for (opID, subs) in s.operations {
        for sub in subs.values where sub.isQuiet(for: quiet, now: now) {
          var e = Onvera_V1_OperationEvent()
          e.kind = .heartbeat
          e.sequence = s.latestSequence[opID] ?? 0
          e.time = time
          sub.push(key: "", e)
        }
      }
      for watchers in s.organizations.values {
        for w in watchers.values where w.subscriber.isQuiet(for: quiet, now: now) {
          var e = Onvera_V1_DeploymentEvent()
          e.kind = .bookmark
          e.revision = s.revision
          w.subscriber.push(key: "", e)
        }
      }
    }
  }

  /// Ends every watch (the orchestrator is stopping).
  func close() {
    let all: [any Sendable] = state.withLock { s in
      s.closed = true
      var all: [any Sendable] = []
      for subs in s.operations.values { all += subs.values.map { $0 as any Sendable } }
      for watchers in s.organizations.values { all += watchers.values.map { $0.subscriber as any Sendable } }
      s.operations = [:]
      s.organizations = [:]
      return all
    }
    for sub in all {
      let failure = OrchestratorError(
        code: .unavailable, reason: OrchestratorError.Reason.unavailable, message: "the orchestrator is stopping")
      if let sub = sub as? Subscriber<Onvera_V1_OperationEvent> { sub.finish(failure: failure) }
      if let sub = sub as? Subscriber<Onvera_V1_DeploymentEvent> { sub.finish(failure: failure) }
    }
  }
}

/// The events of one operation: a SNAPSHOT (or the retained changes after a sequence), an
/// UPDATE per change, HEARTBEATs when quiet; it ends right after the update that makes the
/// operation done. Throws ``OrchestratorError`` (`unavailable`) if the orchestrator stops.
public struct OperationWatch: AsyncSequence, Sendable {
  /// An event of the operation.
  public typealias Element = Onvera_V1_OperationEvent
  let subscriber: Subscriber<Onvera_V1_OperationEvent>
  let handle: WatchHandle

  /// Creates the iterator; iterate once (the watch is one subscription).
  public func makeAsyncIterator() -> Iterator { Iterator(subscriber: subscriber, handle: handle) }

  /// Iterates an ``OperationWatch``.
  public struct Iterator: AsyncIteratorProtocol {
    let subscriber: Subscriber<Onvera_V1_OperationEvent>
    let handle: WatchHandle

    /// The next event; nil after the update that made the operation done.
    public mutating func next() async throws -> Onvera_V1_OperationEvent? {
      try await subscriber.next()
    }
  }
}

/// The events of an organization's deployments: ADDED per existing deployment then SYNCED
/// (from revision 0), or every change after a revision read back from the store; then live
/// changes (ADDED, MODIFIED, REMOVED) and BOOKMARKs when quiet. Throws ``OrchestratorError``.
public struct DeploymentWatch: AsyncSequence, Sendable {
  /// An event of the organization's deployments.
  public typealias Element = Onvera_V1_DeploymentEvent
  let subscriber: Subscriber<Onvera_V1_DeploymentEvent>
  let handle: WatchHandle
  let store: Store
  let organizationID: String
  let environmentID: String
  let catchUpFrom: UInt64
  let catchUpTo: UInt64

  /// Creates the iterator; iterate once (the watch is one subscription).
  public func makeAsyncIterator() -> Iterator {
    Iterator(
      watch: self,
      records: catchUpTo > catchUpFrom ? store.watch(after: catchUpFrom).makeAsyncIterator() : nil)
  }

  /// Iterates a ``DeploymentWatch``.
  public struct Iterator: AsyncIteratorProtocol {
    let watch: DeploymentWatch
    var records: RecordStream.Iterator?
    var pending: [Onvera_V1_DeploymentEvent] = []

    /// The next event; the stream only ends (throwing `unavailable`) when the orchestrator stops.
    public mutating func next() async throws -> Onvera_V1_DeploymentEvent? {
      while pending.isEmpty, var it = records {
        let record: StoredRecord?
        do {
          record = try await it.next()
        } catch let error as StoreError where error.code == .compacted {
          throw OrchestratorError(
            code: .outOfRange, reason: OrchestratorError.Reason.watchRevisionCompacted, message: error.message,
            cause: error)
        } catch {
          throw OrchestratorError(
            code: .unavailable, reason: OrchestratorError.Reason.unavailable,
            message: "cannot read the history to resume the watch", cause: error)
        }
        guard let record else {
          records = nil
          watch.subscriber.setQuietEnabled(true)
          break
        }
        records = record.revision >= watch.catchUpTo ? nil : it
        if records == nil { watch.subscriber.setQuietEnabled(true) }
        guard record.type == ChangeRecord.recordType,
          let change = try? ChangeRecord(serializedBytes: record.payload)
        else { continue }
        for c in change.deployments {
          var d = c.deployment
          guard d.organizationID == watch.organizationID,
            watch.environmentID.isEmpty || d.environmentID == watch.environmentID
          else { continue }
          d.revision = record.revision
          d.etag = OrchestratorState.etag(record.revision)
          var e = Onvera_V1_DeploymentEvent()
          e.kind = WatchHub.kind(of: d, created: c.created)
          e.deployment = d
          e.revision = record.revision
          pending.append(e)
        }
      }
      if !pending.isEmpty { return pending.removeFirst() }
      return try await watch.subscriber.next()
    }
  }
}

/// The recent full states of each operation, in sequence order: at most `limit` per
/// operation, kept while it runs and for the `finishedLimit` most recently finished ones.
struct OperationHistory: Sendable {
  var states: [String: [Onvera_V1_Operation]] = [:]
  var finishedOrder: [String] = []
  var finishedLimit = 256

  /// Records the state after a change.
  mutating func remember(_ op: Onvera_V1_Operation, limit: Int) {
    guard limit > 0 else { return }
    // In place: copying the array out of the dictionary would copy every state in it.
    states[op.id, default: []].append(op)
    let excess = states[op.id]!.count - limit
    if excess > 0 { states[op.id]!.removeFirst(excess) }
    if op.done {
      finishedOrder.append(op.id)
      if finishedOrder.count > finishedLimit {
        let evicted = finishedOrder.count - finishedLimit
        for id in finishedOrder.prefix(evicted) { states[id] = nil }
        finishedOrder.removeFirst(evicted)
      }
    }
  }
}

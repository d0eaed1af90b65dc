import Testing
import Synchronization
@testable import OnveraStore

@Suite struct WatchTests {
  /// Collects a watch until it reaches `last`.
  func collect(_ store: Store, after start: UInt64, through last: UInt64) async throws -> [StoredRecord] {
    var result: [StoredRecord] = []
    if start >= last { return result }
    for try await r in store.watch(after: start) {
      result.append(r)
      if r.revision >= last { break }
    }
    return result
  }

  func fill(_ store: Store, count: Int, seed: UInt64) async throws -> [StoredRecord] {
    var rng = SeededRandom(seed: seed)
    var written: [StoredRecord] = []
    while written.count < count {
      if Bool.random(using: &rng) {
        written += try await appendEach(store, sizes: [Int.random(in: 0...120, using: &rng)])
      } else {
        let records = (0..<Int.random(in: 2...4, using: &rng)).map { Record(type: 4, payload: payload(1000 + written.count + $0, size: $0 * 17)) }
        let range = try await store.append(contentsOf: records)
        written += zip(range, records).map { StoredRecord(revision: $0, type: $1.type, payload: $1.payload) }
      }
    }
    return written
  }

  @Test("watchers from random revisions see exactly the log after their start, history then live")
  func randomStarts() async throws {
    let fs = SimulatedFileSystem()
    var config = smallConfiguration(segmentSize: 2048)
    config.historyWindow = 10_000
    try await withStore(fs, config) { o in
      let store = o.store
      var written = try await fill(store, count: 150, seed: 5)
      var rng = SeededRandom(seed: 6)
      let head = store.durableRevision
      for _ in 0..<25 {
        let start = UInt64.random(in: 0...head, using: &rng)
        #expect(try await collect(store, after: start, through: head) == Array(written[Int(start)...]))
      }
      // Live: watchers started before more appends see them, in order, without gaps.
      let starts = (0..<6).map { _ in UInt64.random(in: 0...head, using: &rng) }
      let target = head + 60
      try await withThrowingTaskGroup(of: (UInt64, [StoredRecord]).self) { group in
        for s in starts {
          group.addTask { (s, try await self.collect(store, after: s, through: target)) }
        }
        written += try await fill(store, count: 60, seed: 7).prefix(60)
        // fill may overshoot by a group; the watchers stop at `target` anyway.
        while store.durableRevision < target { written += try await appendEach(store, sizes: [1]) }
        for try await (s, seen) in group {
          #expect(seen == Array(written[Int(s)..<Int(target)]), "start \(s)")
        }
      }
    }
  }

  @Test("dropped and resumed streams concatenate to the uninterrupted stream, across a restart too")
  func dropAndResume() async throws {
    let fs = SimulatedFileSystem()
    var config = smallConfiguration(segmentSize: 1024)
    config.historyWindow = 10_000
    let written = try await withStore(fs, config) { o in try await fill(o.store, count: 120, seed: 9) }
    var rng = SeededRandom(seed: 10)
    var seen: [StoredRecord] = []
    var cursor: UInt64 = 0
    let head = UInt64(written.count)
    var restarts = 0
    while cursor < head {
      let o = try openStore(fs, config)
      for _ in 0..<3 where cursor < head {
        var iterator = o.store.watch(after: cursor).makeAsyncIterator()
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
          guard cursor < head, let r = try await iterator.next() else { break }
          seen.append(r)
          cursor = r.revision
        }
      }
      await o.store.close()
      restarts += 1
    }
    #expect(restarts > 1)
    #expect(seen == written)
  }

  @Test("a start older than the compacted revision gets the compacted error")
  func compactedStart() async throws {
    let fs = SimulatedFileSystem()
    var config = smallConfiguration(segmentSize: 512)
    config.historyWindow = 5
    try await withStore(fs, config) { o in
      let written = try await fill(o.store, count: 60, seed: 11)
      try await o.store.writeSnapshot(at: 30, bytes: [1])
      try await o.store.writeSnapshot(at: 50, bytes: [2])
      let compacted = o.store.compactedRevision
      #expect(compacted > 0 && compacted <= 30)
      for start in [0, compacted - 1] {
        var iterator = o.store.watch(after: start).makeAsyncIterator()
        do {
          _ = try await iterator.next()
          Issue.record("watch from \(start) did not fail")
        } catch let error as StoreError {
          #expect(error.code == .compacted)
        }
      }
      let head = o.store.durableRevision
      #expect(try await collect(o.store, after: compacted, through: head) == Array(written[Int(compacted)...]))
    }
    // Also after a restart.
    let o = try openStore(fs, config)
    var iterator = o.store.watch(after: 0).makeAsyncIterator()
    await #expect(throws: StoreError.self) { _ = try await iterator.next() }
    await o.store.close()
  }

  @Test("a waiting watch ends when the store closes or the task is cancelled")
  func endsOnCloseAndCancel() async throws {
    let fs = SimulatedFileSystem()
    let o = try openStore(fs)
    try await appendEach(o.store, sizes: [3, 4])
    let cancelled = Task {
      var n = 0
      for try await _ in o.store.watch(after: 0) { n += 1 }
      return n
    }
    let closing = Task {
      var n = 0
      for try await _ in o.store.watch(after: 1) { n += 1 }
      return n
    }
    // Wait (bounded) until the first watcher has seen both records and is waiting.
    let deadline = ContinuousClock.now + .seconds(10)
    while o.store.state.withLock({ $0.waiters.count }) < 2 && ContinuousClock.now < deadline { await Task.yield() }
    #expect(o.store.state.withLock { $0.waiters.count } == 2)
    cancelled.cancel()
    #expect(try await cancelled.value == 2)
    await o.store.close()
    #expect(try await closing.value == 1)
  }
}

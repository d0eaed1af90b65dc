#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import OnveraStore

/// Injected I/O errors: nothing partial is acknowledged and the store fail-stops.
@Suite struct FaultTests {
  /// Appends one record at a time until one fails; returns what was acknowledged and the failure.
  func appendUntilFailure(_ store: Store, count: Int) async -> ([StoredRecord], StoreError?) {
    var acknowledged: [StoredRecord] = []
    for i in 0..<count {
      let p = payload(i + 1, size: 50 + i * 7)
      do {
        let r = try await store.append(Record(type: 3, payload: p))
        acknowledged.append(StoredRecord(revision: r, type: 3, payload: p))
      } catch let error as StoreError {
        return (acknowledged, error)
      } catch {
        Issue.record("unexpected error type \(error)")
        return (acknowledged, nil)
      }
    }
    return (acknowledged, nil)
  }

  /// After a failure: later appends and snapshots are refused, and both the file system as
  /// left and a power-loss image of it recover every acknowledged record.
  func checkFailStop(
    _ fs: SimulatedFileSystem, _ store: Store, _ acknowledged: [StoredRecord], _ context: String,
    config: Store.Configuration = smallConfiguration()
  ) async throws {
    await #expect(throws: StoreError.self, "\(context)") { try await store.append(Record(type: 1, payload: [1])) }
    do {
      try await store.append(Record(type: 1, payload: [1]))
    } catch let error as StoreError {
      #expect(error.code == .failed, "\(context): \(error)")
    }
    await #expect(throws: StoreError.self) { try await store.writeSnapshot(at: 0, bytes: []) }
    await store.close()
    for image in [fs, fs.crashImage(.dropUnsynced, seed: 1), fs.crashImage(.keepRandomSectors, seed: 2)] {
      let o = try openStore(image, config)
      let from = o.snapshot?.revision ?? 0
      let head = from + UInt64(o.records.count)
      for a in acknowledged {
        #expect(a.revision <= head, "\(context): acknowledged \(a.revision) lost")
        if a.revision > from && a.revision <= head { #expect(o.records[Int(a.revision - from - 1)] == a, "\(context)") }
      }
      await o.store.close()
    }
  }

  @Test("EIO from fdatasync once: that batch and everything after it fail, nothing is retried")
  func fdatasyncFailsOnce() async throws {
    for k in 1...4 {
      let fs = SimulatedFileSystem()
      fs.inject(.error(EIO), on: .fdatasync, occurrence: k)
      let o = try openStore(fs)
      let (acknowledged, failure) = await appendUntilFailure(o.store, count: 8)
      #expect(acknowledged.count == k - 1)
      #expect(failure?.code == .ioFailure)
      #expect((failure?.cause as? StoreError)?.code == nil)
      #expect(fs.operations.filter { $0.hasPrefix("fdatasync") }.count == k, "an fdatasync was retried")
      try await checkFailStop(fs, o.store, acknowledged, "fdatasync \(k)")
    }
  }

  @Test("a watcher never sees a record whose batch failed to sync, and then gets the failure")
  func undurableIsInvisible() async throws {
    let fs = SimulatedFileSystem()
    fs.inject(.error(EIO), on: .fdatasync, occurrence: 2)
    let o = try openStore(fs)
    let watcher = Task {
      var seen: [UInt64] = []
      do {
        for try await r in o.store.watch(after: 0) { seen.append(r.revision) }
        return (seen, StoreError?.none)
      } catch {
        return (seen, error as? StoreError)
      }
    }
    try await o.store.append(Record(type: 1, payload: [1]))
    await #expect(throws: StoreError.self) { try await o.store.append(Record(type: 1, payload: [2])) }
    let (seen, failure) = await watcher.value
    #expect(seen == [1])
    #expect(failure?.code == .ioFailure)
    #expect(o.store.durableRevision == 1)
    await o.store.close()
  }

  @Test("a failed fdatasync fails every append of its batch and every one waiting behind it")
  func concurrentAppendsAllFail() async throws {
    let fs = SimulatedFileSystem()
    fs.inject(.error(EIO), on: .fdatasync, occurrence: 2)
    let o = try openStore(fs)
    try await o.store.append(Record(type: 1, payload: [1]))
    let results = await withTaskGroup(of: Bool.self) { group in
      for i in 0..<32 {
        group.addTask { (try? await o.store.append(Record(type: 1, payload: payload(i, size: 20)))) != nil }
      }
      var successes = 0
      for await ok in group where ok { successes += 1 }
      return successes
    }
    #expect(results == 0)
    #expect(o.store.durableRevision == 1)
    try await checkFailStop(fs, o.store, [], "concurrent")
  }

  @Test("ENOSPC or EIO from the k-th write, for every k: fail-stop, acknowledged records survive", arguments: [ENOSPC, EIO])
  func writeErrorAtEveryK(errno: Int32) async throws {
    var config = smallConfiguration(segmentSize: 600)
    config.historyWindow = 2
    // Count the writes of the workload first.
    let dry = SimulatedFileSystem()
    _ = try await withStore(dry, config) { o in try await self.workload(o.store) }
    let writes = dry.operations.filter { $0.hasPrefix("pwrite") }.count
    #expect(writes > 10)
    for k in 1...writes {
      let fs = SimulatedFileSystem()
      fs.inject(.error(errno), on: .pwrite, occurrence: k)
      let o: Opened
      do { o = try openStore(fs, config) } catch {
        // The first writes create the first segment: open itself must fail cleanly.
        #expect((error as? StoreError)?.code == .ioFailure, "k \(k): \(error)")
        continue
      }
      var acknowledged: [StoredRecord] = []
      do {
        acknowledged = try await workload(o.store, acknowledged: { acknowledged.append($0) })
        Issue.record("k \(k): the workload did not fail")
      } catch let error as StoreError {
        #expect(error.code == .ioFailure, "k \(k): \(error)")
        #expect((error.cause as? FileSystemError)?.errno == errno || error.message.contains("snapshot"), "k \(k)")
      }
      try await checkFailStop(fs, o.store, acknowledged, "k \(k)", config: config)
    }
  }

  @Test("a short write is never acknowledged and fails the store")
  func shortWrites() async throws {
    // Without preallocation every append is one write (the first creates the segment).
    for k in 2...8 {
      let fs = SimulatedFileSystem()
      fs.inject(.shortWrite, on: .pwrite, occurrence: k)
      let config = smallConfiguration(preallocationBytes: 0)
      let o = try openStore(fs, config)
      let (acknowledged, failure) = await appendUntilFailure(o.store, count: 10)
      #expect(failure?.code == .ioFailure)
      #expect(acknowledged.count == k - 2)
      try await checkFailStop(fs, o.store, acknowledged, "short write \(k)", config: config)
    }
    // With it, some appends also write zeros ahead; a short write of those fails the same way.
    for k in 2...12 {
      let fs = SimulatedFileSystem()
      fs.inject(.shortWrite, on: .pwrite, occurrence: k)
      let o = try openStore(fs)
      let (acknowledged, failure) = await appendUntilFailure(o.store, count: 12)
      #expect(failure?.code == .ioFailure, "short write \(k) with preallocation")
      #expect(acknowledged.count < k - 1, "short write \(k) with preallocation")
      try await checkFailStop(fs, o.store, acknowledged, "short write \(k) with preallocation")
    }
  }

  @Test(
    "errors from fsync, rename, directory sync, unlink and create during rolls and snapshots fail the store",
    arguments: [SimulatedFileSystem.Call.fsync, .rename, .syncDirectory, .unlink, .open])
  func metadataErrors(call: SimulatedFileSystem.Call) async throws {
    var config = smallConfiguration(segmentSize: 600)
    config.historyWindow = 2
    var failures = 0
    for k in 1...6 {
      let fs = SimulatedFileSystem()
      let o = try openStore(fs, config)
      // Injected after open, so the k-th call counts from the workload's own calls.
      let before = fs.operations.filter { $0.hasPrefix(Self.prefix(call)) }.count
      fs.inject(.error(EIO), on: call, occurrence: before + k)
      var acknowledged: [StoredRecord] = []
      do {
        _ = try await workload(o.store, acknowledged: { acknowledged.append($0) })
        // Fewer than k such calls in the workload: nothing to check.
        await o.store.close()
        continue
      } catch let error as StoreError {
        #expect(error.code == .ioFailure, "\(call) \(k): \(error)")
        failures += 1
      }
      try await checkFailStop(fs, o.store, acknowledged, "\(call) \(k)", config: config)
    }
    #expect(failures > 0, "the workload never made a \(call) call")
  }

  static func prefix(_ call: SimulatedFileSystem.Call) -> String {
    switch call {
    case .open: "create"
    case .pwrite: "pwrite"
    case .fdatasync: "fdatasync"
    case .fsync: "fsync"
    case .truncate: "truncate"
    case .rename: "rename"
    case .unlink: "unlink"
    case .syncDirectory: "syncDirectory"
    }
  }

  /// Appends that roll segments, with snapshots that compact.
  @discardableResult
  func workload(_ store: Store, acknowledged: (StoredRecord) -> Void = { _ in }) async throws -> [StoredRecord] {
    var all: [StoredRecord] = []
    for i in 0..<24 {
      let p = payload(i, size: 40 + (i % 5) * 30)
      let r = try await store.append(Record(type: 5, payload: p))
      let s = StoredRecord(revision: r, type: 5, payload: p)
      all.append(s)
      acknowledged(s)
      if i % 6 == 5 { try await store.writeSnapshot(at: r, bytes: [UInt8(i)]) }
    }
    return all
  }
}

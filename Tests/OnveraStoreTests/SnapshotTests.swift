#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import OnveraStore

/// A small key-value model: record payload = key byte + value; the state maps keys to values.
struct Model: Equatable {
  var values: [UInt8: [UInt8]] = [:]
  var revision: UInt64 = 0

  mutating func apply(_ r: StoredRecord) {
    #expect(r.revision == revision + 1)
    revision = r.revision
    values[r.payload[0]] = Array(r.payload.dropFirst())
  }

  func encoded() -> [UInt8] {
    var b: [UInt8] = []
    for k in values.keys.sorted() { b += [k, UInt8(values[k]!.count)] + values[k]! }
    return b
  }

  init() {}
  init(_ snapshot: Snapshot) {
    revision = snapshot.revision
    var i = 0
    let b = snapshot.bytes
    while i < b.count {
      let n = Int(b[i + 1])
      values[b[i]] = Array(b[(i + 2)..<(i + 2 + n)])
      i += 2 + n
    }
  }
}

@Suite struct SnapshotTests {
  func randomRecord(_ rng: inout SeededRandom) -> Record {
    Record(type: 1, payload: [UInt8.random(in: 0...15, using: &rng)] + payload(Int.random(in: 0...999, using: &rng), size: Int.random(in: 0...40, using: &rng)))
  }

  @Test("snapshot + log replay equals full replay equals the model, for random snapshot points")
  func snapshotReplayEqualsFullReplay() async throws {
    for seed: UInt64 in 1...12 {
      var rng = SeededRandom(seed: seed)
      var config = smallConfiguration(segmentSize: 700)
      config.historyWindow = UInt64.random(in: 0...30, using: &rng)
      let full = SimulatedFileSystem()
      let snapshotted = SimulatedFileSystem()
      var model = Model()
      let a = try openStore(full, config)
      let b = try openStore(snapshotted, config)
      let count = Int.random(in: 20...120, using: &rng)
      for _ in 0..<count {
        let record = randomRecord(&rng)
        let ra = try await a.store.append(record)
        let rb = try await b.store.append(record)
        #expect(ra == rb)
        model.apply(StoredRecord(revision: ra, type: record.type, payload: record.payload))
        if Int.random(in: 0..<10, using: &rng) == 0 {
          try await b.store.writeSnapshot(at: ra, bytes: model.encoded())
        }
      }
      await a.store.close()
      await b.store.close()
      var fromFull = Model()
      for r in try openStore(full, config).records { fromFull.apply(r) }
      let reopened = try openStore(snapshotted, config)
      var fromSnapshot = reopened.snapshot.map(Model.init) ?? Model()
      for r in reopened.records { fromSnapshot.apply(r) }
      #expect(fromFull == model, "seed \(seed)")
      #expect(fromSnapshot == model, "seed \(seed)")
      await reopened.store.close()
    }
  }

  @Test("a damaged newest snapshot falls back to the previous one")
  func corruptNewestFallsBack() async throws {
    var config = smallConfiguration(segmentSize: 600)
    config.historyWindow = 0
    let fs = SimulatedFileSystem()
    var model = Model()
    var rng = SeededRandom(seed: 77)
    var snapshots: [UInt64] = []
    try await withStore(fs, config) { o in
      for i in 1...60 {
        let record = randomRecord(&rng)
        let r = try await o.store.append(record)
        model.apply(StoredRecord(revision: r, type: 1, payload: record.payload))
        if i % 20 == 0 {
          try await o.store.writeSnapshot(at: r, bytes: model.encoded())
          snapshots.append(r)
        }
      }
    }
    // Only the two newest snapshots are kept; the log still covers the older one.
    let names = fs.files(in: dataDir).keys.filter { $0.hasSuffix(".snap") }.sorted()
    #expect(names == snapshots.suffix(2).map { Format.snapshotName($0) })
    let newest = dataDir + "/" + names.last!
    let original = fs.contents(newest)!
    for damage in [{ (b: inout [UInt8]) in b[b.count - 1] ^= 1 }, { b in b[3] ^= 0x40 }, { b in b.removeLast(5) }, { b in b = [] }] {
      var bytes = original
      damage(&bytes)
      fs.setContents(newest, bytes)
      let o = try openStore(fs, config)
      #expect(o.snapshot?.revision == snapshots[snapshots.count - 2])
      var state = Model(o.snapshot!)
      for r in o.records { state.apply(r) }
      #expect(state == model)
      await o.store.close()
    }
  }

  @Test("snapshots must be durable and newer than the last one")
  func snapshotArguments() async throws {
    let fs = SimulatedFileSystem()
    try await withStore(fs) { o in
      try await appendEach(o.store, sizes: [1, 2, 3])
      await #expect(throws: StoreError.self) { try await o.store.writeSnapshot(at: 4, bytes: []) }
      try await o.store.writeSnapshot(at: 2, bytes: [])
      await #expect(throws: StoreError.self) { try await o.store.writeSnapshot(at: 2, bytes: []) }
    }
  }

  @Test("a second open of the same data directory fails naming the holder's pid")
  func directoryLock() async throws {
    let directory = try makeTemporaryDirectory()
    let first = try Store.open(dataDirectory: directory, logger: quietLogger)
    do {
      _ = try Store.open(dataDirectory: directory, logger: quietLogger)
      Issue.record("second open succeeded")
    } catch let error as StoreError {
      #expect(error.code == .locked)
      #expect(error.message.contains("pid \(getpid())"), "\(error.message)")
    }
    #expect(throws: StoreError.self) { try Store.repair(dataDirectory: directory, logger: quietLogger) }
    await first.close()
    let again = try Store.open(dataDirectory: directory, logger: quietLogger)
    await again.close()
    removeTemporaryDirectory(directory)
  }
}

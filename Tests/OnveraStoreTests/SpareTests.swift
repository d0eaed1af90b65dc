import Synchronization
import Testing
@testable import OnveraStore

/// The spare segment: the next segment file, zero-filled by a background thread, that a batch
/// reaching the end of the active segment's zeros rolls into instead of growing the file.
@Suite struct SpareTests {
  static func spareConfiguration(segmentSize: Int = 4096) -> Store.Configuration {
    var c = smallConfiguration(segmentSize: segmentSize, preallocationBytes: 512)
    c.spareSegments = true
    return c
  }

  static let sparePath = dataDir + "/" + Format.spareName

  /// Appends one record per batch, letting any spare preparation finish after each, so the
  /// roll points are the same in every run.
  static func appendSettled(_ store: Store, sizes: [Int]) async throws -> [StoredRecord] {
    var written: [StoredRecord] = []
    for size in sizes {
      written += try await appendEach(store, sizes: [size])
      await store.spareSettled()
    }
    return written
  }

  /// Opens the store again, expects exactly `written` back, and closes it.
  static func expectReopens(
    _ fs: SimulatedFileSystem, _ config: Store.Configuration, holding written: [StoredRecord],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let o = try openStore(fs, config)
    #expect(o.records == written, sourceLocation: sourceLocation)
    await o.store.close()
  }

  @Test("batches roll into the zero-filled spare; those segments never grow, and the log reads back")
  func rollsIntoTheSpare() async throws {
    let fs = SimulatedFileSystem()
    let config = Self.spareConfiguration()
    var spareSeen = false
    var grewWhileBornFromSpare: [String] = []
    let written = try await withStore(fs, config) { o in
      var written: [StoredRecord] = []
      for _ in 0..<120 {
        written += try await Self.appendSettled(o.store, sizes: [150])
        if let spare = fs.contents(Self.sparePath) {
          spareSeen = true
          #expect(spare.count == config.segmentSize)
          #expect(spare.allSatisfy { $0 == 0 }, "the spare holds only zeros until a roll names it")
        }
        let active = segmentNames(fs).last!
        let bytes = fs.contents(dataDir + "/" + active)!
        if bytes.count > config.segmentSize { grewWhileBornFromSpare.append(active) }
      }
      return written
    }
    #expect(spareSeen)
    #expect(grewWhileBornFromSpare.isEmpty, "segments grown past the spare's size: \(grewWhileBornFromSpare)")
    let names = segmentNames(fs)
    #expect(names.count >= 4, "120 records of 176 bytes in 4 KiB segments")
    // The first segment grew in preallocationBytes steps; every later one began as the spare
    // (segmentSize bytes, zeros after its records while active). Sealed ones end at their
    // last record.
    for name in names {
      let bytes = fs.contents(dataDir + "/" + name)!
      let end = recordBoundaries(bytes).last!
      if name == names.last! {
        #expect(bytes.count == config.segmentSize, "\(name) is \(bytes.count) bytes: not the spare")
        #expect(bytes[end...].allSatisfy { $0 == 0 })
      } else {
        #expect(bytes.count == end, "\(name): a sealed segment keeps \(bytes.count - end) bytes after its last record")
      }
    }
    // The zeros of a spare-born active segment are its preallocated space to recovery, and the
    // leftover spare (a temporary) goes at open.
    let o = try openStore(fs, config)
    #expect(o.records == written)
    #expect(fs.contents(Self.sparePath) == nil, "open removes the leftover spare")
    let more = try await Self.appendSettled(o.store, sizes: [150, 150, 150])
    await o.store.close()
    try await Self.expectReopens(fs, config, holding: written + more)
  }

  @Test("a spare that cannot be written fails nothing: it is removed and the active segment grows")
  func failedSpare() async throws {
    let fs = SimulatedFileSystem()
    fs.failWrites(to: Self.sparePath)
    let config = Self.spareConfiguration()
    let written = try await withStore(fs, config) { o in
      let written = try await Self.appendSettled(o.store, sizes: Array(repeating: 150, count: 60))
      #expect(o.store.failure == nil)
      #expect(fs.contents(Self.sparePath) == nil, "the failed spare was not removed")
      return written
    }
    let attempts = fs.operations.filter { $0 == "create \(Self.sparePath)" }.count
    #expect(attempts >= 2, "a failed spare is tried again after the next roll, not never: \(attempts)")
    #expect(attempts <= segmentNames(fs).count, "not retried before the next roll: \(attempts)")
    try await Self.expectReopens(fs, config, holding: written)
  }

  @Test("no spare while the disk has less than two segments free")
  func shortOfSpace() async throws {
    let fs = SimulatedFileSystem()
    let config = Self.spareConfiguration()
    fs.available = Int64(2 * config.segmentSize - 1)
    let written = try await withStore(fs, config) { o in
      try await Self.appendSettled(o.store, sizes: Array(repeating: 150, count: 60))
    }
    #expect(!fs.operations.contains { $0.contains(Format.spareName) })
    #expect(segmentNames(fs).count >= 2)
    try await Self.expectReopens(fs, config, holding: written)
  }

  @Test("close while the spare is being prepared stops it; nothing is left to the next open but a temporary")
  func closeWhilePreparing() async throws {
    let fs = SimulatedFileSystem()
    // A spare of 1 MiB in 64 KiB chunks: 16 writes and syncs, likely still running at close.
    var config = Self.spareConfiguration(segmentSize: 1 << 20)
    config.preallocationBytes = 4096
    let opened = try openStore(fs, config)
    let written = try await appendEach(opened.store, sizes: Array(repeating: 1000, count: 5))
    await opened.store.close()
    // The writer finished after the spare thread: no spare is being prepared or held open.
    let left = opened.store.state.withLock { s -> String in
      switch s.spare {
      case .preparing: "preparing"
      case .ready: "ready"
      case .none, .skipped: ""
      }
    }
    #expect(left.isEmpty, "after close the spare is \(left)")
    #expect(fs.state.withLock { $0.fds.isEmpty }, "descriptors left open: \(fs.state.withLock { $0.fds })")
    let o = try openStore(fs, config)
    #expect(o.records == written)
    #expect(fs.contents(Self.sparePath) == nil)
    await o.store.close()
  }

  @Test("an active segment without records is replaced by the next one of the same base, never listed twice")
  func emptyActiveSegmentIsReplaced() async throws {
    let fs = SimulatedFileSystem()
    var config = smallConfiguration(segmentSize: 600)
    config.historyWindow = 1
    // An empty store, reopened with another batch size: the first batch rolls (the header
    // records the batch size) while the active segment is still empty.
    try await withStore(fs, config) { _ in }
    config.maxBatchBytes = 4096
    try await withStore(fs, config) { o in
      _ = try await appendEach(o.store, sizes: Array(repeating: 100, count: 30))
      let bases = o.store.state.withLock { $0.segments.map(\.base) }
      #expect(bases == bases.sorted() && Set(bases).count == bases.count, "segments listed: \(bases)")
      // Compaction drops segments by their listed range; a stale empty entry for the active
      // segment's base would take the active file with it.
      try await o.store.writeSnapshot(at: 10, bytes: [1])
      try await o.store.writeSnapshot(at: o.store.durableRevision, bytes: [2])
    }
    let o = try openStore(fs, config)
    #expect(o.snapshot?.revision == 30)
    #expect(o.records.isEmpty)
    await o.store.close()
    let names = segmentNames(fs)
    #expect(!names.isEmpty)
    let last = try #require(names.last.flatMap { fs.contents(dataDir + "/" + $0) })
    #expect(recordBoundaries(last).count > 1, "the newest segment kept its records")
  }
}

#if canImport(Glibc)
import Glibc
#endif
import Testing
import Synchronization
@testable import OnveraStore

@Suite struct RecoveryTests {
  /// Builds a store with a sealed segment and an active one holding `lastCount` single-record batches.
  func makeLog(lastCount: Int = 10, sizes: [Int] = [0, 1, 7, 8, 9, 30, 100]) async throws -> (SimulatedFileSystem, [StoredRecord]) {
    let fs = SimulatedFileSystem()
    let written = try await withStore(fs) { o in
      var all = try await appendEach(o.store, sizes: Array(repeating: 200, count: 10))
      all += try await appendEach(o.store, sizes: (0..<lastCount).map { sizes[$0 % sizes.count] })
      return all
    }
    return (fs, written)
  }

  @Test("round trip of awkward payload sizes, simulated and real file system", arguments: [false, true])
  func roundTripAwkwardSizes(real: Bool) async throws {
    let config = smallConfiguration(segmentSize: 8192, maxBatchBytes: 16384)
    var rng = SeededRandom(seed: 42)
    let sizes = [0, 1, 7, 8, 9, 4095, 4096, config.maxPayloadSize] + (0..<20).map { _ in Int.random(in: 0...5000, using: &rng) }
    let fs: any FileSystem
    var directory = dataDir
    if real {
      fs = PosixFileSystem()
      directory = try makeTemporaryDirectory()
    } else {
      fs = SimulatedFileSystem()
    }
    var written: [StoredRecord] = []
    do {
      let o = try openStore(fs, config, directory: directory)
      written = try await appendEach(o.store, sizes: sizes)
      // Several records in one atomic append, too.
      let group = (0..<3).map { Record(type: 9, payload: payload(1000 + $0, size: [0, 4096, 9][$0])) }
      let range = try await o.store.append(contentsOf: group)
      #expect(range.count == 3)
      for (r, rec) in zip(range, group) { written.append(StoredRecord(revision: r, type: rec.type, payload: rec.payload)) }
      await o.store.close()
    }
    let reopened = try openStore(fs, config, directory: directory)
    #expect(reopened.records == written)
    #expect(reopened.store.durableRevision == UInt64(written.count))
    var watched: [StoredRecord] = []
    for try await r in reopened.store.watch(after: reopened.store.compactedRevision) {
      watched.append(r)
      if r.revision == reopened.store.durableRevision { break }
    }
    #expect(watched == Array(written.drop(while: { $0.revision <= reopened.store.compactedRevision })))
    await reopened.store.close()
    // An oversized record is refused before it reaches the log.
    let o = try openStore(fs, config, directory: directory)
    await #expect(throws: StoreError.self) { try await o.store.append(Record(type: 1, payload: [UInt8](repeating: 0, count: config.maxPayloadSize + 1))) }
    await o.store.close()
    if real { removeTemporaryDirectory(directory) }
  }

  @Test("truncating the last segment at every byte offset recovers exactly the whole records before the cut")
  func truncateAtEveryOffset() async throws {
    let (fs, written) = try await makeLog()
    let names = segmentNames(fs)
    let last = dataDir + "/" + names.last!
    let original = fs.contents(last)!
    let boundaries = recordBoundaries(original)
    let base = Format.parseName(names.last!, suffix: ".seg")!
    let baseline = fs.state.withLock { $0 }
    for cut in 0...original.count {
      fs.state.withLock { $0 = baseline }
      fs.setContents(last, Array(original.prefix(cut)))
      let wholeRecords = boundaries.dropFirst().filter { $0 <= cut }.count
      let expected = written.filter { $0.revision < base + UInt64(wholeRecords) }
      let first = try openStore(fs)
      #expect(first.records == expected, "cut at \(cut)")
      await first.store.close()
      let afterFirst = fs.files(in: dataDir)
      let second = try openStore(fs)
      #expect(second.records == expected, "cut at \(cut), second recovery")
      await second.store.close()
      #expect(fs.files(in: dataDir) == afterFirst, "second recovery changed files, cut at \(cut)")
      // What the cut leaves of a partial header or record is kept aside, unless it is only zeros
      // of a record (then it reads as preallocated space); a cut at a boundary or in the zeros
      // damages nothing.
      let partial = original[(boundaries.last { $0 <= cut } ?? 0)..<min(cut, boundaries.last!)]
      #expect(
        afterFirst.keys.contains { $0.hasSuffix(".broken") } == (cut < Format.segmentHeaderSize || partial.contains { $0 != 0 }),
        "cut at \(cut): a .broken file iff the cut left part of the header or non-zero bytes of a partial record")
    }
  }

  @Test("flipping any bit of the last record cuts only that record")
  func flipEveryBitOfLastRecord() async throws {
    let (fs, written) = try await makeLog(lastCount: 4, sizes: [13])
    let last = dataDir + "/" + segmentNames(fs).last!
    let original = fs.contents(last)!
    let boundaries = recordBoundaries(original)
    let start = boundaries[boundaries.count - 2]
    let baseline = fs.state.withLock { $0 }
    #expect(original.count > boundaries.last!, "the active segment has no preallocated zeros")
    for bit in (start * 8)..<(boundaries.last! * 8) {
      fs.state.withLock { $0 = baseline }
      var damaged = original
      damaged[bit / 8] ^= 1 << UInt8(bit % 8)
      fs.setContents(last, damaged)
      let o = try openStore(fs)
      #expect(o.records == Array(written.dropLast()), "bit \(bit)")
      await o.store.close()
      let broken = fs.files(in: dataDir).filter { $0.key.hasSuffix(".broken") }
      // Kept: the damaged record, without the zeros after it (preallocated space).
      #expect(broken.count == 1 && broken.first!.value == withoutZeroTail(damaged[start...]), "bit \(bit)")
    }
  }

  @Test("a bad record followed by valid records of later batches refuses to open and changes nothing")
  func flipBitInMiddleRecordRefuses() async throws {
    let (fs, _) = try await makeLog(lastCount: 12)
    let name = segmentNames(fs).last!
    let path = dataDir + "/" + name
    let original = fs.contents(path)!
    let boundaries = recordBoundaries(original)
    var rng = SeededRandom(seed: 7)
    for middle in 1..<(boundaries.count - 3) {
      var damaged = original
      let bit = Int.random(in: (boundaries[middle] * 8)..<(boundaries[middle + 1] * 8), using: &rng)
      damaged[bit / 8] ^= 1 << UInt8(bit % 8)
      fs.setContents(path, damaged)
      let before = fs.files(in: dataDir)
      expectCorrupted({ try openStore(fs) }, mentioning: [name, "offset \(boundaries[middle])"])
      #expect(fs.files(in: dataDir) == before)
    }
    // The same with a length field of 0xFFFFFFFF: refused, and nothing huge is allocated.
    var damaged = original
    for i in 0..<4 { damaged[boundaries[2] + i] = 0xFF }
    fs.setContents(path, damaged)
    expectCorrupted({ try openStore(fs) }, mentioning: [name, "offset \(boundaries[2])"])
  }

  @Test("a length of 0xFFFFFFFF in the last record is a torn tail and is cut")
  func allOnesLengthAtTail() async throws {
    let (fs, written) = try await makeLog(lastCount: 5)
    let path = dataDir + "/" + segmentNames(fs).last!
    var bytes = fs.contents(path)!
    let boundaries = recordBoundaries(bytes)
    for i in 0..<4 { bytes[boundaries[boundaries.count - 2] + i] = 0xFF }
    fs.setContents(path, bytes)
    let o = try openStore(fs)
    #expect(o.records == Array(written.dropLast()))
    await o.store.close()
  }

  @Test("any damage to a sealed segment refuses to open")
  func flipBitInSealedSegmentRefuses() async throws {
    let (fs, _) = try await makeLog()
    let names = segmentNames(fs)
    #expect(names.count >= 3)
    let sealed = names[names.count - 2]
    let path = dataDir + "/" + sealed
    let original = fs.contents(path)!
    var rng = SeededRandom(seed: 99)
    for _ in 0..<40 {
      var damaged = original
      let bit = Int.random(in: 0..<(original.count * 8), using: &rng)
      damaged[bit / 8] ^= 1 << UInt8(bit % 8)
      fs.setContents(path, damaged)
      let before = fs.files(in: dataDir)
      expectCorrupted({ try openStore(fs) }, mentioning: [sealed])
      #expect(fs.files(in: dataDir) == before)
    }
    fs.setContents(path, original + [0, 0, 0, 0, 0, 0, 0, 0])
    expectCorrupted({ try openStore(fs) }, mentioning: [sealed, "sealed"])
  }

  @Test("zeros after the last record are preallocated space and stay; garbage within one batch is cut, zeros after it too; longer garbage refuses")
  func zeroAndGarbageTails() async throws {
    let (fs, written) = try await makeLog()
    let path = dataDir + "/" + segmentNames(fs).last!
    let full = fs.contents(path)!
    let original = Array(full.prefix(recordBoundaries(full).last!))
    #expect(full.count > original.count && full[original.count...].allSatisfy { $0 == 0 })
    let baseline = fs.state.withLock { $0 }
    var rng = SeededRandom(seed: 3)
    let garbage = (0..<3000).map { _ in UInt8.random(in: 1...255, using: &rng) }
    for zeros in [0, 7, 1000, 8192, 100_000] {
      fs.state.withLock { $0 = baseline }
      let tail = [UInt8](repeating: 0, count: zeros)
      fs.setContents(path, original + tail)
      let o = try openStore(fs)
      #expect(o.records == written, "\(zeros) zeros")
      await o.store.close()
      #expect(!fs.files(in: dataDir).keys.contains { $0.hasSuffix(".broken") }, "\(zeros) zeros")
      #expect(fs.contents(path) == original + tail, "\(zeros) zeros: the file changed")
      // The next record goes where the zeros start, and the zeros after it stay zeros.
      let next = try openStore(fs)
      let appended = try await appendEach(next.store, sizes: [40])
      await next.store.close()
      let again = try openStore(fs)
      #expect(again.records == written + appended, "\(zeros) zeros, after an append")
      await again.store.close()
      let bytes = fs.contents(path)!
      #expect(recordBoundaries(bytes).last! == original.count + Format.recordSize(payload: 40), "\(zeros) zeros")
      #expect(bytes[recordBoundaries(bytes).last!...].allSatisfy { $0 == 0 }, "\(zeros) zeros")
    }
    for zeros in [0, 5000] {
      fs.state.withLock { $0 = baseline }
      fs.setContents(path, original + garbage + [UInt8](repeating: 0, count: zeros))
      let o = try openStore(fs)
      #expect(o.records == written, "garbage, then \(zeros) zeros")
      await o.store.close()
      let broken = fs.files(in: dataDir).filter { $0.key.hasSuffix(".broken") }
      #expect(broken.count == 1 && broken.values.first == garbage, "garbage, then \(zeros) zeros")
      #expect(fs.contents(path) == original, "garbage, then \(zeros) zeros: not cut back to the last record")
    }
    fs.state.withLock { $0 = baseline }
    let long = (0..<8193).map { _ in UInt8.random(in: 1...255, using: &rng) }
    fs.setContents(path, original + long + [UInt8](repeating: 0, count: 100))
    expectCorrupted({ try openStore(fs) }, mentioning: ["more than one write batch"])
  }

  @Test("only the active segment has preallocated zeros; sealing cuts them off")
  func preallocatedZeros() async throws {
    let fs = SimulatedFileSystem()
    let config = smallConfiguration(segmentSize: 2048, preallocationBytes: 1000)
    let written = try await withStore(fs, config) { o in try await appendEach(o.store, sizes: Array(repeating: 150, count: 40)) }
    let names = segmentNames(fs)
    #expect(names.count >= 3)
    for name in names {
      let bytes = fs.contents(dataDir + "/" + name)!
      let end = recordBoundaries(bytes).last!
      if name == names.last! {
        #expect(bytes.count > end, "\(name): the active segment has no zeros ahead")
        #expect(bytes[end...].allSatisfy { $0 == 0 }, "\(name)")
      } else {
        #expect(bytes.count == end, "\(name): a sealed segment keeps \(bytes.count - end) bytes after its last record")
      }
    }
    let o = try openStore(fs, config)
    #expect(o.records == written)
    await o.store.close()
    // A batch of at least preallocationBatchLimit bytes past the zeros writes none; the next
    // small one does.
    var large = smallConfiguration(segmentSize: 1 << 20, maxBatchBytes: 1 << 20, preallocationBytes: 4096)
    large.preallocationBatchLimit = 64 << 10
    let bulk = SimulatedFileSystem()
    let segment = try await withStore(bulk, large) { o in
      _ = try await appendEach(o.store, sizes: [70 << 10])
      let path = dataDir + "/" + segmentNames(bulk).last!
      let afterLarge = bulk.contents(path)!
      #expect(afterLarge.count == recordBoundaries(afterLarge).last!, "zeros after a large batch")
      _ = try await appendEach(o.store, sizes: [100])
      return path
    }
    let afterSmall = bulk.contents(segment)!
    #expect(afterSmall.count == recordBoundaries(afterSmall).last! + 4096, "no zeros after a small batch")
    // Without preallocation the active segment ends at its last record, as before.
    let plain = SimulatedFileSystem()
    _ = try await withStore(plain, smallConfiguration(preallocationBytes: 0)) { o in try await appendEach(o.store, sizes: [150, 9]) }
    let bytes = plain.contents(dataDir + "/" + segmentNames(plain).last!)!
    #expect(bytes.count == recordBoundaries(bytes).last!)
  }

  @Test("a valid record whose revision jumps or repeats refuses to open", arguments: [1, -1])
  func revisionJumpOrRepeat(delta: Int) async throws {
    let (fs, _) = try await makeLog(lastCount: 6)
    let name = segmentNames(fs).last!
    let path = dataDir + "/" + name
    let original = fs.contents(path)!
    let header = original.withUnsafeBytes { Format.decodeSegmentHeader($0)! }
    let boundaries = recordBoundaries(original)
    // Rewrite the last record with a correct checksum but the wrong revision.
    let lastRevision = header.base + UInt64(boundaries.count - 2)
    var bytes = Array(original.prefix(boundaries[boundaries.count - 2]))
    Format.appendRecord(
      to: &bytes, epoch: header.epoch, revision: UInt64(Int(lastRevision) + delta), type: 7, flags: 0,
      batchIndex: 0, payload: [1, 2, 3])
    fs.setContents(path, bytes)
    expectCorrupted({ try openStore(fs) }, mentioning: [name, "offset \(boundaries[boundaries.count - 2])", "gap or a repeat"])
  }

  @Test("a missing middle segment refuses to open")
  func missingMiddleSegment() async throws {
    let (fs, _) = try await makeLog()
    let names = segmentNames(fs)
    fs.remove(dataDir + "/" + names[1])
    expectCorrupted({ try openStore(fs) }, mentioning: [names[0], names[2], "missing"])
  }

  @Test("repair copies the directory aside and truncates to a chosen or the last good revision")
  func repairTruncates() async throws {
    let (fs, written) = try await makeLog(lastCount: 12)
    let name = segmentNames(fs).last!
    let path = dataDir + "/" + name
    var damaged = fs.contents(path)!
    let boundaries = recordBoundaries(damaged)
    damaged[boundaries[4] + 30] ^= 0x10
    fs.setContents(path, damaged)
    let before = fs.files(in: dataDir)
    expectCorrupted({ try openStore(fs) }, mentioning: [name])
    let base = Format.parseName(name, suffix: ".seg")!
    let report = try Store.repair(
      dataDirectory: dataDir, toRevision: nil, backupDirectory: "/backup", fileSystem: fs, logger: quietLogger)
    #expect(report.revision == base + 3)
    #expect(fs.files(in: "/backup") == before.filter { $0.key != "LOCK" })
    let o = try openStore(fs)
    #expect(o.records == written.filter { $0.revision <= base + 3 })
    // Appends continue from there.
    let next = try await o.store.append(Record(type: 1, payload: [9]))
    #expect(next == base + 4)
    await o.store.close()
    // An explicit, earlier revision, into a sealed segment.
    let report2 = try Store.repair(
      dataDirectory: dataDir, toRevision: 3, backupDirectory: "/backup2", fileSystem: fs, logger: quietLogger)
    #expect(report2.revision == 3)
    let o2 = try openStore(fs)
    #expect(o2.records == Array(written.prefix(3)))
    await o2.store.close()
    #expect(throws: StoreError.self) {
      try Store.repair(dataDirectory: dataDir, toRevision: 99, backupDirectory: "/backup3", fileSystem: fs, logger: quietLogger)
    }
  }
}

/// Removes a flat directory made by ``makeTemporaryDirectory()``.
func removeTemporaryDirectory(_ path: String) {
  for name in (try? PosixFileSystem().list(path)) ?? [] { unlink(path + "/" + name) }
  rmdir(path)
}

func makeTemporaryDirectory() throws -> String {
  var template = Array("/tmp/onvera-store-test-XXXXXX".utf8CString)
  let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
  guard let path else { throw StoreError(code: .ioFailure, message: "mkdtemp failed") }
  return String(cString: path)
}

import Logging
import Testing
@testable import OnveraStore

let dataDir = "/data"

/// Small sizes so that tests roll segments, fill batches and extend the preallocated zeros quickly.
func smallConfiguration(segmentSize: Int = 1024, maxBatchBytes: Int = 8192, preallocationBytes: Int = 512) -> Store.Configuration {
  var c = Store.Configuration()
  c.segmentSize = segmentSize
  c.maxBatchBytes = maxBatchBytes
  c.preallocationBytes = preallocationBytes
  // Off: the spare thread's calls would interleave with the calls these tests count and
  // fail on purpose. The spare's own tests turn it on.
  c.spareSegments = false
  c.historyWindow = 16
  c.memoryHistoryCount = 8
  return c
}

/// A deterministic payload for a revision.
func payload(_ seed: Int, size: Int) -> [UInt8] {
  (0..<size).map { UInt8(truncatingIfNeeded: seed &* 31 &+ $0 &* 7 &+ 1) }
}

struct Opened {
  var store: Store
  var snapshot: Snapshot?
  var records: [StoredRecord]
}

/// A logger that keeps nothing, so tests stay quiet; recovery warnings are checked via files.
let quietLogger = Logger(label: "test.store", factory: { _ in SwiftLogNoOpLogHandler() })

func openStore(
  _ fs: any FileSystem, _ configuration: Store.Configuration = smallConfiguration(), directory: String = dataDir
) throws -> Opened {
  var snapshot: Snapshot?
  var records: [StoredRecord] = []
  let store = try Store.open(
    dataDirectory: directory, configuration: configuration, fileSystem: fs, logger: quietLogger,
    restore: { snapshot = $0 }, replay: { records.append($0) })
  return Opened(store: store, snapshot: snapshot, records: records)
}

/// Opens, runs `body`, closes.
func withStore<T>(
  _ fs: any FileSystem, _ configuration: Store.Configuration = smallConfiguration(),
  _ body: (Opened) async throws -> T
) async throws -> T {
  let opened = try openStore(fs, configuration)
  do {
    let result = try await body(opened)
    await opened.store.close()
    return result
  } catch {
    await opened.store.close()
    throw error
  }
}

/// Appends records one by one (one batch each) and returns what was written.
@discardableResult
func appendEach(_ store: Store, sizes: [Int], type: UInt16 = 7) async throws -> [StoredRecord] {
  var written: [StoredRecord] = []
  for size in sizes {
    let bytes = payload(Int(store.durableRevision) + 1, size: size)
    let revision = try await store.append(Record(type: type, payload: bytes))
    written.append(StoredRecord(revision: revision, type: type, payload: bytes))
  }
  return written
}

/// The segment file names in the directory, oldest first.
func segmentNames(_ fs: SimulatedFileSystem) -> [String] {
  fs.files(in: dataDir).keys.filter { $0.hasSuffix(".seg") }.sorted()
}

/// `bytes` without its trailing zeros (an active segment's preallocated space).
func withoutZeroTail(_ bytes: some Collection<UInt8>) -> [UInt8] {
  var result = Array(bytes)
  while result.last == 0 { result.removeLast() }
  return result
}

/// Offsets where each record of a segment starts, plus the end of the last one.
func recordBoundaries(_ bytes: [UInt8]) -> [Int] {
  let epoch: UInt64 = bytes.withUnsafeBytes { Format.decodeSegmentHeader($0)!.epoch }
  var offsets = [Format.segmentHeaderSize]
  bytes.withUnsafeBytes { raw in
    while let r = Format.decodeRecord(raw, at: offsets.last!, epoch: epoch, maxPayload: 1 << 30) {
      offsets.append(r.end)
    }
  }
  return offsets
}

func expectCorrupted(_ body: () throws -> Opened, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
  do {
    let opened = try body()
    Issue.record("expected the open to refuse, it recovered \(opened.records.count) records", sourceLocation: sourceLocation)
  } catch let error as StoreError {
    #expect(error.code == .corrupted, "\(error)", sourceLocation: sourceLocation)
    for w in words { #expect(error.message.contains(w), "\(error.message) should mention \(w)", sourceLocation: sourceLocation) }
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

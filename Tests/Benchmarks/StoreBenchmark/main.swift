// onvera-bench-store: durable append throughput and latency of OnveraStore against the raw
// write + fdatasync rate of the same disk, and restart time for a million records.
// Run through tools/bench/store (release build).
//
//   onvera-bench-store [directory] [seconds per measurement] [records for restart]
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OnveraStore
import Synchronization

let arguments = CommandLine.arguments
let root = arguments.count > 1 ? arguments[1] : ".build/bench-store"
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 2 : 2
let restartRecords = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

func removeTree(_ path: String) {
  let fs = PosixFileSystem()
  if let names = try? fs.list(path) {
    for n in names { _ = unlink(path + "/" + n) }
  }
  _ = rmdir(path)
}

func elapsed(since start: ContinuousClock.Instant) -> Double {
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Counts fdatasync calls of the real file system, to report batches per second.
struct CountingFileSystem: FileSystem {
  let base = PosixFileSystem()
  let counter: Counter
  init(_ counter: Counter) { self.counter = counter }
  func makeDirectory(_ path: String) throws { try base.makeDirectory(path) }
  func list(_ directory: String) throws -> [String] { try base.list(directory) }
  func open(_ path: String, mode: OpenMode) throws -> Int32 { try base.open(path, mode: mode) }
  func close(_ fd: Int32) { base.close(fd) }
  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int { try base.pwrite(fd, bytes, at: offset) }
  func pread(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8] { try base.pread(fd, count: count, at: offset) }
  func fdatasync(_ fd: Int32) throws {
    counter.syncs.add(1, ordering: .relaxed)
    try base.fdatasync(fd)
  }
  func fsync(_ fd: Int32) throws { try base.fsync(fd) }
  func size(_ fd: Int32) throws -> Int64 { try base.size(fd) }
  func truncate(_ fd: Int32, to size: Int64) throws { try base.truncate(fd, to: size) }
  func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
  func unlink(_ path: String) throws { try base.unlink(path) }
  func syncDirectory(_ path: String) throws { try base.syncDirectory(path) }
  func availableBytes(_ path: String) throws -> Int64 { try base.availableBytes(path) }
  func lock(_ path: String) throws -> Int32 { try base.lock(path) }
  func unlock(_ fd: Int32) { base.unlock(fd) }
}

final class Counter: Sendable {
  let syncs = Atomic<Int>(0)
}

/// The reference: one pwrite of `size` bytes at the end of a file, then fdatasync, in a loop.
func rawRate(size: Int) -> Double {
  let path = root + "/raw.dat"
  let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
  precondition(fd >= 0, "cannot create \(path)")
  defer {
    close(fd)
    unlink(path)
  }
  let bytes = [UInt8](repeating: 0xA5, count: size)
  var offset = 0
  var n = 0
  let start = ContinuousClock.now
  while elapsed(since: start) < seconds {
    let w = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
    precondition(w == size)
    precondition(fdatasync(fd) == 0)
    offset += size
    n += 1
  }
  return Double(n) / elapsed(since: start)
}

struct Result {
  var rate: Double
  var syncRate: Double
  var p50: Double
  var p99: Double
}

func measure(writers: Int, size: Int) async throws -> Result {
  let dir = root + "/store-\(writers)-\(size)"
  removeTree(dir)
  defer { removeTree(dir) }
  let counter = Counter()
  let store = try Store.open(dataDirectory: dir, fileSystem: CountingFileSystem(counter), logger: quiet)
  let payload = [UInt8](repeating: 0x5A, count: size)
  // Warm up: the first segment and page cache.
  for _ in 0..<10 { try await store.append(Record(type: 1, payload: payload)) }
  let syncsBefore = counter.syncs.load(ordering: .relaxed)
  let start = ContinuousClock.now
  let deadline = start + .milliseconds(Int(seconds * 1000))
  let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
    for _ in 0..<writers {
      group.addTask {
        var mine: [Double] = []
        while ContinuousClock.now < deadline {
          let t = ContinuousClock.now
          try await store.append(Record(type: 1, payload: payload))
          mine.append(elapsed(since: t))
        }
        return mine
      }
    }
    var all: [Double] = []
    for try await l in group { all += l }
    return all
  }
  let total = elapsed(since: start)
  let syncs = counter.syncs.load(ordering: .relaxed) - syncsBefore
  await store.close()
  let sorted = latencies.sorted()
  return Result(
    rate: Double(sorted.count) / total, syncRate: Double(syncs) / total,
    p50: sorted[sorted.count / 2] * 1000, p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000)
}

func f(_ x: Double, _ digits: Int = 0) -> String {
  var s = String(Int((x * pow(10, Double(digits))).rounded()))
  if digits > 0 {
    while s.count <= digits { s = "0" + s }
    s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
  }
  return s
}

func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

try PosixFileSystem().makeDirectory(root)
print("OnveraStore benchmark in \(root), \(f(seconds, 1)) s per measurement")
print("x raw: appends/s over the raw write+fdatasync rate of the same record size, measured")
print("right before and after each row and averaged (the disk's rate drifts; a per-row reference keeps the ratio honest)")
print("")
print("\(pad("record", 7)) \(pad("writers", 8)) \(pad("raw/s", 7)) \(pad("appends/s", 10)) \(pad("fdatasync/s", 12)) \(pad("p50 ms", 8)) \(pad("p99 ms", 8)) \(pad("x raw", 7))")
for size in [256, 4096] {
  for writers in [1, 8, 64, 256] {
    let before = rawRate(size: size)
    let r = try await measure(writers: writers, size: size)
    let raw = (before + rawRate(size: size)) / 2
    print(
      "\(pad("\(size) B", 7)) \(pad("\(writers)", 8)) \(pad(f(raw), 7)) \(pad(f(r.rate), 10)) \(pad(f(r.syncRate), 12)) "
        + "\(pad(f(r.p50, 3), 8)) \(pad(f(r.p99, 3), 8)) \(pad(f(r.rate / raw, 2), 7))")
  }
}

// Restart: a store of `restartRecords` records of 256 bytes.
print("")
let dir = root + "/restart"
removeTree(dir)
do {
  let store = try Store.open(dataDirectory: dir, logger: quiet)
  let payload = [UInt8](repeating: 0x3C, count: 256)
  let start = ContinuousClock.now
  let perGroup = 1000
  try await withThrowingTaskGroup(of: Void.self) { group in
    for w in 0..<8 {
      group.addTask {
        var g = w
        while g < restartRecords / perGroup {
          try await store.append(contentsOf: Array(repeating: Record(type: 1, payload: payload), count: perGroup))
          g += 8
        }
      }
    }
    try await group.waitForAll()
  }
  print("loaded \(store.durableRevision) records of 256 B in \(f(elapsed(since: start), 2)) s")
  await store.close()
}
do {
  let start = ContinuousClock.now
  var replayed: UInt64 = 0
  let store = try Store.open(dataDirectory: dir, logger: quiet, replay: { _ in replayed += 1 })
  print("restart without snapshot: \(f(elapsed(since: start), 3)) s, \(replayed) records replayed")
  // A snapshot 10 000 revisions behind the head (16 bytes of state per record), then compaction.
  let head = store.durableRevision
  let t = ContinuousClock.now
  try await store.writeSnapshot(at: head - min(10_000, head / 10), bytes: [UInt8](repeating: 7, count: Int(head) * 16))
  print("snapshot of \(Int(head) * 16 / 1_000_000) MB written in \(f(elapsed(since: t), 3)) s")
  await store.close()
}
do {
  let start = ContinuousClock.now
  var replayed: UInt64 = 0
  var snapshotRevision: UInt64 = 0
  let store = try Store.open(
    dataDirectory: dir, logger: quiet, restore: { snapshotRevision = $0.revision }, replay: { _ in replayed += 1 })
  print(
    "restart with snapshot: \(f(elapsed(since: start), 3)) s (snapshot at \(snapshotRevision), \(replayed) records replayed)")
  await store.close()
}
removeTree(dir)

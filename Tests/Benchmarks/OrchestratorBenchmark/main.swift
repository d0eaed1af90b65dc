// onvera-bench-orchestrator: complete create workflows per second with a zero-delay
// provisioner at 1, 64 and 1,024 concurrent creates, and event delivery to 10,000 concurrent
// operation watchers (latency from the change to its delivery, memory per watcher).
// Run through tools/bench/orchestrator (release build). Results are reported, never asserted.
//
//   onvera-bench-orchestrator [directory] [seconds per throughput measurement] [watchers] [all|throughput|watchers]
#if canImport(Glibc)
import Glibc
#endif
import OnveraProto
import OnveraStore
import Orchestrator
import Synchronization

let arguments = CommandLine.arguments
let root = arguments.count > 1 ? arguments[1] : ".build/bench-orchestrator"
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
let watcherCount = arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000
/// "all" (default), "throughput" or "watchers".
let only = arguments.count > 4 ? arguments[4] : "all"

mkdir(root, 0o755)
// The orchestrator logs every finished operation at info; keep that out of the report.
let logPath = root + "/orchestrator.log"
let logFD = open(logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
if logFD >= 0 { dup2(logFD, 2) }

func removeTree(_ path: String) {
  if let d = opendir(path) {
    while let entry = readdir(d) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { unlink(path + "/" + name) }
    }
    closedir(d)
  }
  rmdir(path)
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func wallNow() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Resident memory of this process in bytes.
func residentBytes() -> Int {
  guard let f = fopen("/proc/self/statm", "r") else { return 0 }
  defer { fclose(f) }
  var size = 0
  var resident = 0
  _ = withUnsafeMutablePointer(to: &size) { s in
    withUnsafeMutablePointer(to: &resident) { r in
      withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
    }
  }
  return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// User plus system CPU time of this process, in seconds.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
  guard !sorted.isEmpty else { return .nan }
  return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

func format(_ x: Double, _ digits: Int = 1) -> String {
  var buffer = [CChar](repeating: 0, count: 64)
  _ = withVaList([x]) { vsnprintf(&buffer, 64, "%.\(digits)f", $0) }
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func zeroDelayProvisioner() -> SimulatedProvisioner {
  var c = SimulatedProvisioner.Configuration()
  c.stepDuration = .zero
  c.jitter = 0
  return SimulatedProvisioner(configuration: c)
}

func benchConfiguration() -> Orchestrator.Configuration {
  var c = Orchestrator.Configuration()
  c.snapshotInterval = 200_000
  return c
}

/// Opens an orchestrator in a fresh directory, runs it during `body`, then stops it.
func withOrchestrator<T: Sendable>(
  _ name: String, run: Bool = true, _ body: @Sendable (Orchestrator) async throws -> T
) async throws -> T {
  let dir = root + "/" + name
  removeTree(dir)
  let o = try Orchestrator.open(
    dataDirectory: dir, provisioner: zeroDelayProvisioner(), configuration: benchConfiguration())
  let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
    if run { group.addTask { await o.run() } }
    let result: Result<T, any Error>
    do { result = .success(try await body(o)) } catch { result = .failure(error) }
    o.beginGracefulShutdown()
    await group.waitForAll()
    return result
  }
  await o.close()
  removeTree(dir)
  return try result.get()
}

// MARK: create workflows per second

print("onvera-bench-orchestrator: zero-delay simulated provisioner, real store in \(root)")
print("")
print("complete create workflows (create -> every step -> READY), \(format(seconds, 0)) s per level")
print("concurrency  workflows/s  records/s  p50 ms  p99 ms  cpu cores  cpu us/workflow")
for concurrency in only == "watchers" ? [] : [1, 64, 1024] {
  let cpuBefore = cpuSeconds()
  let (completed, records, elapsed, latencies) = try await withOrchestrator("throughput-\(concurrency)") { o in
    let org = try await o.createOrganization(name: "Bench", ownerEmail: "owner@bench.test").id
    let startRevision = await o.revision
    let start = ContinuousClock.now
    let deadline = start + .milliseconds(Int(seconds * 1000))
    let stats = Stats()
    let completed = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          var n = 0
          var mine: [Double] = []
          while ContinuousClock.now < deadline {
            let t0 = ContinuousClock.now
            let c = try await o.createDeployment(.init(organizationID: org, appType: .airflow))
            let op = try await o.waitOperation(organizationID: org, id: c.operation.id)
            guard op.status == .succeeded else { throw OrchestratorError(code: .internalError, reason: "BENCH", message: "\(op.status)") }
            mine.append(seconds(ContinuousClock.now - t0) * 1000)
            n += 1
          }
          stats.latencies.withLock { $0 += mine }
          return n
        }
      }
      return try await group.reduce(0, +)
    }
    let elapsed = seconds(ContinuousClock.now - start)
    let records = await o.revision - startRevision
    return (completed, records, elapsed, stats.latencies.withLock { $0.sorted() })
  }
  print(
    "\(String(repeating: " ", count: 11 - "\(concurrency)".count))\(concurrency)  "
      + "\(format(Double(completed) / elapsed).padded(11))  \(format(Double(records) / elapsed, 0).padded(9))  "
      + "\(format(percentile(latencies, 0.5), 2).padded(6))  \(format(percentile(latencies, 0.99), 2).padded(6))  "
      + "\(format((cpuSeconds() - cpuBefore) / elapsed, 2).padded(9))  "
      + "\(format((cpuSeconds() - cpuBefore) / Double(max(1, completed)) * 1e6, 0).padded(15))")
}

// MARK: delivery to many operation watchers

if only == "throughput" { exit(0) }
print("")
print("event delivery to \(watcherCount) operation watchers (one per queued operation; every operation is")
print("canceled by 64 concurrent callers, each cancel a durable change delivered to its watcher);")
print("latency from the change's submission (before its fdatasync) to the watcher receiving it")
let report = try await withOrchestrator("watchers", run: false) { o in
  let org = try await o.createOrganization(name: "Bench").id
  var collected: [String] = []
  collected.reserveCapacity(watcherCount)
  try await withThrowingTaskGroup(of: [String].self) { group in
    for w in 0..<64 {
      group.addTask {
        var mine: [String] = []
        for _ in stride(from: w, to: watcherCount, by: 64) {
          mine.append(try await o.createDeployment(.init(organizationID: org, appType: .superset)).operation.id)
        }
        return mine
      }
    }
    for try await chunk in group { collected += chunk }
  }
  let ops = collected
  let before = residentBytes()
  let stats = Stats()
  return try await withThrowingTaskGroup(of: Void.self) { group in
    for id in ops {
      let watch = try await o.watchOperation(organizationID: org, id: id)
      group.addTask {
        var iterator = watch.makeAsyncIterator()
        _ = try await iterator.next()  // the snapshot
        stats.ready.add(1, ordering: .relaxed)
        while let event = try await iterator.next() {
          guard event.kind == .update else { continue }
          let sent = Double(event.time.seconds) + Double(event.time.nanos) / 1e9
          let latency = (wallNow() - sent) * 1000
          stats.latencies.withLock { $0.append(latency) }
          return
        }
      }
    }
    while stats.ready.load(ordering: .relaxed) < ops.count { try await Task.sleep(for: .milliseconds(10)) }
    let after = residentBytes()
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { cancels in
      for w in 0..<64 {
        cancels.addTask {
          for i in stride(from: w, to: ops.count, by: 64) {
            _ = try await o.cancelOperation(organizationID: org, id: ops[i])
          }
        }
      }
      try await cancels.waitForAll()
    }
    try await group.waitForAll()
    let elapsed = seconds(ContinuousClock.now - start)
    let sorted = stats.latencies.withLock { $0.sorted() }
    return (sorted, Double(after - before) / Double(ops.count), elapsed)
  }
}
let (latencies, bytesPerWatcher, elapsed) = report
print(
  "deliveries \(latencies.count) in \(format(elapsed, 2)) s; p50 \(format(percentile(latencies, 0.5), 2)) ms, "
    + "p99 \(format(percentile(latencies, 0.99), 2)) ms, max \(format(latencies.last ?? .nan, 2)) ms; "
    + "memory per watcher (with its consuming task) \(format(bytesPerWatcher / 1024, 1)) KiB")

/// Shared counters of one measurement.
final class Stats: Sendable {
  let latencies = Mutex<[Double]>([])
  let ready = Atomic<Int>(0)
}

extension String {
  func padded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

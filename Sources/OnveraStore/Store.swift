#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import Synchronization

/// The append-only, crash-safe record store of one data directory.
///
/// Appends are group-committed by a single writer thread: it takes every pending append,
/// writes them with one `pwrite`, calls `fdatasync` once, and only then completes the
/// appends of that batch. The next batch is written only after the previous `fdatasync`
/// returned, so at most one batch is ever unsynced. Any I/O error makes the store fail-stop:
/// that batch and every later append throw, and nothing is retried.
///
/// Open with ``open(dataDirectory:configuration:logger:restore:replay:)``, call ``close()``
/// when done (it also releases the directory lock).
public final class Store: Sendable {
  /// Tunables. The defaults suit the control plane; tests shrink the sizes.
  public struct Configuration: Sendable {
    /// Roll to a new segment file once the active one reaches this many bytes.
    public var segmentSize: Int
    /// Most bytes one batch (one write, one fdatasync) may hold. Also bounds one atomic
    /// append and so one record. Recovery treats at most this much as a torn tail.
    public var maxBatchBytes: Int
    /// Zero-filled bytes written ahead of the active segment's last record whenever a batch
    /// reaches the end of what was written before (0: none). A batch that overwrites zeros
    /// changes neither the file's size nor its blocks, so its `fdatasync` writes only data and
    /// waits for no file-system journal commit, which other files' metadata changes can hold up
    /// for hundreds of milliseconds. Recovery reads a zero tail of the active segment as this
    /// space, not as damage; sealing a segment cuts it off.
    public var preallocationBytes: Int
    /// A batch of at least this many bytes that reaches the end of the zeros appends without
    /// preallocating: its own data dominates its fdatasync, and zeros written ahead of it
    /// would be written twice (as zeros, then as records). 128 KiB by default.
    public var preallocationBatchLimit: Int
    /// How many revisions before the head compaction keeps on disk for watches.
    public var historyWindow: UInt64
    /// How many recent records are kept in memory to serve watches without disk reads.
    public var memoryHistoryCount: Int
    /// Called on the writer thread after each batch is durable: records, bytes, and how
    /// long the write and the fdatasync took (for metrics; keep it cheap).
    public var onBatchDurable: (@Sendable (_ records: Int, _ bytes: Int, _ write: Duration, _ sync: Duration) -> Void)?
    /// Called when an append is acknowledged, with the time from the call to durability.
    public var onAppendAcknowledged: (@Sendable (_ latency: Duration) -> Void)?

    /// The defaults: 64 MiB segments, 4 MiB batches, 1 MiB preallocated at a time (after
    /// batches under 128 KiB), 100 000 revisions of history, 4096 records in memory.
    public init() {
      segmentSize = 64 << 20
      maxBatchBytes = 4 << 20
      preallocationBytes = 1 << 20
      preallocationBatchLimit = 128 << 10
      historyWindow = 100_000
      memoryHistoryCount = 4096
      onBatchDurable = nil
      onAppendAcknowledged = nil
    }

    /// The largest payload a single record may carry.
    public var maxPayloadSize: Int { maxBatchBytes - Format.recordHeaderSize }
  }

  struct Pending {
    var records: [Record]
    var bytes: Int
    var continuation: CheckedContinuation<ClosedRange<UInt64>, any Error>
  }

  struct SegmentInfo: Sendable {
    var base: UInt64
    var last: UInt64
    var end: Int
    var maxBatchBytes: Int
    var index: [(revision: UInt64, offset: Int)]
    var name: String { Format.segmentName(base) }
  }

  enum Waiter {
    case allocated
    case registered(CheckedContinuation<Void, Never>)
    case cancelled
  }

  struct State {
    var failure: StoreError?
    var closeRequested = false
    var writerDone = false
    var unlocked = false
    var pending: [Pending] = []
    var durable: UInt64
    var segments: [SegmentInfo]
    var compacted: UInt64
    var cache: [StoredRecord] = []
    var cacheFirst: UInt64
    var waiters: [Int: Waiter] = [:]
    var nextWaiter = 0
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
    var snapshots: [UInt64]
    var snapshotBusy = false
  }

  /// The writer thread's own state: touched by nothing else once the thread started.
  final class WriterContext: @unchecked Sendable {
    // Invariant: after `open` hands this to the writer thread, only that thread uses it.
    var fd: Int32
    /// Where the next batch is written: just after the last record.
    var offset: Int
    /// The size of the active segment file: zeros from `offset` up to it.
    var allocated: Int
    var nextRevision: UInt64
    var segmentBase: UInt64
    var segmentMaxBatch: Int

    init(fd: Int32, offset: Int, allocated: Int, nextRevision: UInt64, segmentBase: UInt64, segmentMaxBatch: Int) {
      self.fd = fd
      self.offset = offset
      self.allocated = max(allocated, offset)
      self.nextRevision = nextRevision
      self.segmentBase = segmentBase
      self.segmentMaxBatch = segmentMaxBatch
    }
  }

  let directory: String
  let configuration: Configuration
  let fs: any FileSystem
  let logger: Logger
  let epoch: UInt64
  let lockFD: Int32
  let state: Mutex<State>
  let wakeWriter = DispatchSemaphore(value: 0)

  init(
    directory: String, configuration: Configuration, fs: any FileSystem, logger: Logger, epoch: UInt64,
    lockFD: Int32, state: State
  ) {
    self.directory = directory
    self.configuration = configuration
    self.fs = fs
    self.logger = logger
    self.epoch = epoch
    self.lockFD = lockFD
    self.state = Mutex(state)
  }

  func path(_ name: String) -> String { directory + "/" + name }

  // MARK: public API

  /// The newest revision that is durable (0 for an empty store). Reads and watches
  /// never show anything newer.
  public var durableRevision: UInt64 { state.withLock { $0.durable } }

  /// The error that failed the store (fail-stop: it refuses writes until reopened); nil while
  /// it works.
  public var failure: StoreError? { state.withLock { $0.failure } }

  /// Revisions at or below this one are no longer kept in the log; watching from
  /// before it fails with ``StoreError/Code-swift.struct/compacted``.
  public var compactedRevision: UInt64 { state.withLock { $0.compacted } }

  /// Appends one record and returns its revision once it is durable.
  ///
  /// Throws ``StoreError`` with `.ioFailure` if the write or sync of its batch failed, `.failed`
  /// if the store had already failed, `.closed` after ``close()``, `.invalidArgument` if the
  /// record is larger than ``Configuration/maxPayloadSize``. The append is not cancellable: once
  /// submitted it is written whether or not the caller still waits.
  @discardableResult
  public func append(_ record: Record) async throws -> UInt64 {
    try await append(contentsOf: [record]).lowerBound
  }

  /// Appends several records atomically (after a crash either all or none are there) and
  /// returns their consecutive revisions once they are durable.
  @discardableResult
  public func append(contentsOf records: [Record]) async throws -> ClosedRange<UInt64> {
    guard let observe = configuration.onAppendAcknowledged else { return try await appendUnobserved(records) }
    let start = ContinuousClock.now
    let revisions = try await appendUnobserved(records)
    observe(ContinuousClock.now - start)
    return revisions
  }

  private func appendUnobserved(_ records: [Record]) async throws -> ClosedRange<UInt64> {
    guard !records.isEmpty else {
      throw StoreError(code: .invalidArgument, message: "append needs at least one record")
    }
    var bytes = 0
    for r in records {
      if r.payload.count > configuration.maxPayloadSize {
        throw StoreError(
          code: .invalidArgument,
          message: "record payload of \(r.payload.count) bytes exceeds the maximum \(configuration.maxPayloadSize)")
      }
      bytes += Format.recordSize(payload: r.payload.count)
    }
    if bytes > configuration.maxBatchBytes {
      throw StoreError(
        code: .invalidArgument,
        message: "atomic append of \(bytes) bytes exceeds maxBatchBytes \(configuration.maxBatchBytes)")
    }
    return try await withCheckedThrowingContinuation { continuation in
      let refusal: StoreError? = state.withLock { s in
        if let failure = s.failure { return Self.refusal(failure) }
        if s.closeRequested { return StoreError(code: .closed, message: "the store is closed") }
        s.pending.append(Pending(records: records, bytes: bytes, continuation: continuation))
        return nil
      }
      if let refusal {
        continuation.resume(throwing: refusal)
      } else {
        wakeWriter.signal()
      }
    }
  }

  /// Finishes pending appends, stops the writer, ends watches and releases the directory lock.
  ///
  /// There is nothing to flush otherwise: every append that returned is already durable.
  /// Call it once the store is no longer needed; the writer thread keeps the store (and the
  /// directory lock) alive until then.
  public func close() async {
    state.withLock { $0.closeRequested = true }
    wakeWriter.signal()
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let done = state.withLock { s in
        if s.writerDone { return true }
        s.closeWaiters.append(c)
        return false
      }
      if done { c.resume() }
    }
    wakeWatchers()
    let unlock = state.withLock { s in
      defer { s.unlocked = true }
      return !s.unlocked
    }
    if unlock { fs.unlock(lockFD) }
  }

  static func refusal(_ failure: StoreError) -> StoreError {
    StoreError(
      code: .failed, message: "the store failed earlier and refuses writes: \(failure.message)", cause: failure)
  }

  // MARK: writer

  func startWriter(_ context: WriterContext) {
    startThread { [self] in writerLoop(context) }
  }

  private func writerLoop(_ w: WriterContext) {
    while true {
      let (batch, stop): ([Pending], Bool) = state.withLock { s in
        if s.failure != nil || s.pending.isEmpty { return ([], s.closeRequested) }
        var taken = 0
        var bytes = 0
        for p in s.pending {
          if taken > 0 && bytes + p.bytes > configuration.maxBatchBytes { break }
          bytes += p.bytes
          taken += 1
        }
        let batch = Array(s.pending.prefix(taken))
        s.pending.removeFirst(taken)
        return (batch, false)
      }
      if batch.isEmpty {
        if stop { break }
        wakeWriter.wait()
        continue
      }
      do {
        try writeBatch(batch, w)
      } catch {
        failStop(error, failing: batch)
      }
    }
    fs.close(w.fd)
    let waiters = state.withLock { s in
      s.writerDone = true
      defer { s.closeWaiters = [] }
      return s.closeWaiters
    }
    for c in waiters { c.resume() }
  }

  private func writeBatch(_ batch: [Pending], _ w: WriterContext) throws {
    if w.offset >= configuration.segmentSize || w.segmentMaxBatch != configuration.maxBatchBytes {
      try roll(w)
    }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(batch.reduce(0) { $0 + $1.bytes })
    var revision = w.nextRevision
    var batchIndex: UInt32 = 0
    var ranges: [ClosedRange<UInt64>] = []
    ranges.reserveCapacity(batch.count)
    var newIndex: [(revision: UInt64, offset: Int)] = []
    var stored: [StoredRecord] = []
    let keepInMemory = configuration.memoryHistoryCount > 0
    for p in batch {
      let first = revision
      for (i, r) in p.records.enumerated() {
        if (revision - w.segmentBase) % SegmentScanner.indexStride == 0 {
          newIndex.append((revision, w.offset + buffer.count))
        }
        Format.appendRecord(
          to: &buffer, epoch: epoch, revision: revision, type: r.type,
          flags: i + 1 < p.records.count ? Format.flagContinues : 0, batchIndex: batchIndex, payload: r.payload)
        if keepInMemory { stored.append(StoredRecord(revision: revision, type: r.type, payload: r.payload)) }
        batchIndex += 1
        revision += 1
      }
      ranges.append(first...(revision - 1))
    }
    let name = Format.segmentName(w.segmentBase)
    let clock = ContinuousClock()
    let writeStart = clock.now
    try fs.writeAll(w.fd, buffer, at: Int64(w.offset), path: path(name))
    let written = w.offset + buffer.count
    if written > w.allocated {
      // Past the zeros written before: this batch's fdatasync commits a new size and new blocks
      // anyway, so it also makes the zeros for the next batches durable. None beyond the
      // segment's size (the batch after that starts a new segment), none after a large batch.
      let ahead =
        buffer.count >= configuration.preallocationBatchLimit
        ? 0 : min(configuration.preallocationBytes, max(0, configuration.segmentSize - written))
      if ahead > 0 {
        try fs.writeAll(w.fd, [UInt8](repeating: 0, count: ahead), at: Int64(written), path: path(name))
      }
      w.allocated = written + ahead
    }
    let syncStart = clock.now
    try fs.fdatasync(w.fd)
    if let observe = configuration.onBatchDurable {
      let end = clock.now
      observe(Int(revision - w.nextRevision), buffer.count, syncStart - writeStart, end - syncStart)
    }
    w.offset += buffer.count
    w.nextRevision = revision
    let head = revision - 1
    let offset = w.offset
    let memory = configuration.memoryHistoryCount
    let waiters = state.withLock { s in
      s.durable = head
      let i = s.segments.count - 1
      s.segments[i].last = head
      s.segments[i].end = offset
      s.segments[i].index.append(contentsOf: newIndex)
      if keepInMemory {
        if s.cache.isEmpty { s.cacheFirst = stored[0].revision }
        s.cache.append(contentsOf: stored)
        if s.cache.count > 2 * memory {
          let drop = s.cache.count - memory
          s.cache.removeFirst(drop)
          s.cacheFirst += UInt64(drop)
        }
      } else {
        s.cacheFirst = head + 1
      }
      return Self.takeWaiters(&s)
    }
    for (p, range) in zip(batch, ranges) { p.continuation.resume(returning: range) }
    for c in waiters { c.resume() }
  }

  /// Seals the active segment and starts a new one at the next revision. The sealed segment's
  /// zeros are cut off (and that made durable) first: only the active segment may end in
  /// zeros. The new file is created under a temporary name, synced, renamed and the directory
  /// synced, so a segment file under its real name always has a whole header.
  private func roll(_ w: WriterContext) throws {
    if w.allocated > w.offset {
      try fs.truncate(w.fd, to: Int64(w.offset))
      try fs.fsync(w.fd)
      w.allocated = w.offset
    }
    let base = w.nextRevision
    let name = Format.segmentName(base)
    let header = Format.encodeSegmentHeader(
      .init(maxBatchBytes: UInt32(configuration.maxBatchBytes), epoch: epoch, base: base))
    let tmp = path(name + ".tmp")
    let fd = try fs.open(tmp, mode: .createTruncate)
    do {
      try fs.writeAll(fd, header, at: 0, path: tmp)
      try fs.fsync(fd)
      try fs.rename(tmp, to: path(name))
      try fs.syncDirectory(directory)
    } catch {
      fs.close(fd)
      throw error
    }
    fs.close(w.fd)
    w.fd = fd
    w.offset = header.count
    w.allocated = header.count
    w.segmentBase = base
    w.segmentMaxBatch = configuration.maxBatchBytes
    let info = SegmentInfo(
      base: base, last: base - 1, end: header.count, maxBatchBytes: configuration.maxBatchBytes, index: [])
    state.withLock { $0.segments.append(info) }
  }

  /// Puts the store into the failed state for good: the given batch, everything pending and
  /// every later append throw. Never retries: after a failed fsync the page cache may already
  /// have dropped the data, so a later "successful" fsync would prove nothing.
  func failStop(_ error: any Error, failing batch: [Pending] = []) {
    let failure = StoreError(
      code: .ioFailure,
      message: "I/O error in \(directory): \(error); the store is failed and refuses writes until restarted",
      cause: error)
    logger.critical("store failed", metadata: ["directory": "\(directory)", "error": "\(error)"])
    let (pending, waiters): ([Pending], [CheckedContinuation<Void, Never>]) = state.withLock { s in
      if s.failure == nil { s.failure = failure }
      defer { s.pending = [] }
      return (s.pending, Self.takeWaiters(&s))
    }
    for p in batch { p.continuation.resume(throwing: failure) }
    for p in pending { p.continuation.resume(throwing: Self.refusal(failure)) }
    for c in waiters { c.resume() }
    wakeWriter.signal()
  }

  static func takeWaiters(_ s: inout State) -> [CheckedContinuation<Void, Never>] {
    var result: [CheckedContinuation<Void, Never>] = []
    for (id, w) in s.waiters {
      if case .registered(let c) = w {
        result.append(c)
        s.waiters[id] = nil
      }
    }
    return result
  }

  func wakeWatchers() {
    let waiters = state.withLock { Self.takeWaiters(&$0) }
    for c in waiters { c.resume() }
  }
}

/// Runs `body` on a new detached thread: the writer blocks in fdatasync and must not
/// hold one of the few cooperative-pool threads.
func startThread(_ body: @escaping @Sendable () -> Void) {
  final class Box {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let rc = pthread_create(
    &thread, nil,
    { arg in
      let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
      box.body()
      return nil
    }, box)
  precondition(rc == 0, "pthread_create failed: \(rc)")
  pthread_detach(thread)
}

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
    /// changes neither the file's size nor its blocks, so its `fdatasync` writes only data. A
    /// batch that grows the file must also make its metadata (size, new blocks) durable: a
    /// journal commit on a journaling file system, which other files' metadata changes can hold
    /// up for hundreds of milliseconds; more synchronous writes (inode, allocation) on ext4
    /// without a journal. Recovery reads a zero tail of the active segment as this space, not
    /// as damage; sealing a segment cuts it off.
    public var preallocationBytes: Int
    /// A batch of at least this many bytes that reaches the end of the zeros appends without
    /// preallocating: its own data dominates its fdatasync, and zeros written ahead of it
    /// would be written twice (as zeros, then as records). 128 KiB by default.
    public var preallocationBatchLimit: Int
    /// Prepare the next segment ahead: a background thread zero-fills a spare file of
    /// `segmentSize` bytes (and syncs it), and the batch that would grow the active segment
    /// rolls into the spare instead. Growing the active file puts its metadata into that
    /// batch's fdatasync (see `preallocationBytes`), whichever thread grows it; writing into
    /// the spare's zeros does not. The spare is started once the active segment holds more than
    /// `preallocationBytes` and has less than half a segment of zeros left, and only while the
    /// disk has at least twice `segmentSize` free. On by default.
    public var spareSegments: Bool
    /// How many revisions before the head compaction keeps on disk for watches.
    public var historyWindow: UInt64
    /// How many recent records are kept in memory to serve watches without disk reads.
    public var memoryHistoryCount: Int
    /// Called on the writer thread after each batch is durable: records, bytes, and how
    /// long the write and the fdatasync took (for metrics; keep it cheap).
    public var onBatchDurable: (@Sendable (_ records: Int, _ bytes: Int, _ write: Duration, _ sync: Duration) -> Void)?
    /// Called when an append is acknowledged, with the time from the call to durability.
    public var onAppendAcknowledged: (@Sendable (_ latency: Duration) -> Void)?

    /// The defaults: 64 MiB segments prepared ahead, 4 MiB batches, 1 MiB preallocated at a
    /// time (after batches under 128 KiB) while no spare segment is ready, 100 000 revisions of
    /// history, 4096 records in memory.
    public init() {
      segmentSize = 64 << 20
      maxBatchBytes = 4 << 20
      preallocationBytes = 1 << 20
      preallocationBatchLimit = 128 << 10
      spareSegments = true
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

  /// The spare segment file (``Configuration/spareSegments``).
  enum Spare {
    /// None, and none being prepared.
    case none
    /// The spare thread is zero-filling it.
    case preparing
    /// Zero-filled and synced: `size` bytes, open as `fd`, owned by the writer from here.
    case ready(fd: Int32, size: Int)
    /// Preparing it failed or was skipped; not tried again before the next roll.
    case skipped
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
    var spare = Spare.none
    var writerAwaitsSpare = false
    var spareWaiters: [CheckedContinuation<Void, Never>] = []
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
    /// When the last slow-sync warning was logged, and how many were left out since.
    var slowSyncLogged: ContinuousClock.Instant?
    var slowSyncsUnlogged = 0

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
  /// Signalled when the spare thread ends if the writer, finishing, waits for it.
  let spareThreadDone = DispatchSemaphore(value: 0)

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
    startThread(named: "onvera-store") { [self] in writerLoop(context) }
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
    let preparing = state.withLock { s in
      guard case .preparing = s.spare else { return false }
      s.writerAwaitsSpare = true
      return true
    }
    if preparing { spareThreadDone.wait() }  // it stops early: close was requested
    if let spare = takeSpare() { fs.close(spare.fd) }  // the next open removes the file
    let waiters = state.withLock { s in
      s.writerDone = true
      defer { s.closeWaiters = [] }
      return s.closeWaiters
    }
    for c in waiters { c.resume() }
  }

  private func writeBatch(_ batch: [Pending], _ w: WriterContext) throws {
    let bytes = batch.reduce(0) { $0 + $1.bytes }
    if w.offset >= configuration.segmentSize || w.segmentMaxBatch != configuration.maxBatchBytes {
      try roll(w, into: takeSpare())
    } else if w.offset + bytes > w.allocated, let spare = takeSpare() {
      try roll(w, into: spare)
    }
    if configuration.spareSegments && w.offset + bytes > configuration.preallocationBytes
      && w.offset + bytes + configuration.segmentSize / 2 > w.allocated
    {
      startSpare()
    }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(bytes)
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
    let grew = written > w.allocated
    if grew {
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
    let syncEnd = clock.now
    configuration.onBatchDurable?(Int(revision - w.nextRevision), buffer.count, syncStart - writeStart, syncEnd - syncStart)
    if syncEnd - syncStart >= Self.slowSync { warnSlowSync(w, syncEnd - syncStart, bytes: buffer.count, grew: grew) }
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

  /// A batch fdatasync at least this slow is logged as a warning (at most one line a second).
  static let slowSync = Duration.milliseconds(100)

  private func warnSlowSync(_ w: WriterContext, _ took: Duration, bytes: Int, grew: Bool) {
    let now = ContinuousClock.now
    if let last = w.slowSyncLogged, now - last < .seconds(1) {
      w.slowSyncsUnlogged += 1
      return
    }
    let preparing = state.withLock { s in if case .preparing = s.spare { true } else { false } }
    logger.warning(
      "slow fdatasync of the log",
      metadata: [
        "ms": "\(took.milliseconds)", "bytes": "\(bytes)", "grewFile": "\(grew)",
        "spareBeingPrepared": "\(preparing)", "segment": "\(Format.segmentName(w.segmentBase))",
        "slowSyncsNotLoggedBefore": "\(w.slowSyncsUnlogged)",
      ])
    w.slowSyncLogged = now
    w.slowSyncsUnlogged = 0
  }

  /// Seals the active segment and starts a new one at the next revision, in the spare if one
  /// is ready (its zeros become the new segment's preallocated space), else in a new file that
  /// holds only the header. The sealed segment's zeros are cut off (and that made durable)
  /// first: only the active segment may end in zeros. The new file gets its header and is
  /// synced under a temporary name, then renamed and the directory synced, so a segment file
  /// under its real name always has a whole header. An active segment that holds no record yet
  /// is replaced, not sealed: the new one has the same base and so the same name.
  private func roll(_ w: WriterContext, into spare: (fd: Int32, size: Int)?) throws {
    let started = ContinuousClock.now
    let base = w.nextRevision
    let replacing = base == w.segmentBase
    if !replacing && w.allocated > w.offset {
      try fs.truncate(w.fd, to: Int64(w.offset))
      try fs.fsync(w.fd)
      w.allocated = w.offset
    }
    let name = Format.segmentName(base)
    let header = Format.encodeSegmentHeader(
      .init(maxBatchBytes: UInt32(configuration.maxBatchBytes), epoch: epoch, base: base))
    let tmp = spare == nil ? path(name + ".tmp") : path(Format.spareName)
    let fd = try spare?.fd ?? fs.open(tmp, mode: .createTruncate)
    do {
      try fs.writeAll(fd, header, at: 0, path: tmp)
      // Over the spare's zeros the header is data only: fdatasync, no metadata to write.
      if spare == nil { try fs.fsync(fd) } else { try fs.fdatasync(fd) }
      try fs.rename(tmp, to: path(name))
      try fs.syncDirectory(directory)
    } catch {
      fs.close(fd)
      throw error
    }
    fs.close(w.fd)
    w.fd = fd
    w.offset = header.count
    w.allocated = max(header.count, spare?.size ?? 0)
    w.segmentBase = base
    w.segmentMaxBatch = configuration.maxBatchBytes
    let info = SegmentInfo(
      base: base, last: base - 1, end: header.count, maxBatchBytes: configuration.maxBatchBytes, index: [])
    state.withLock { s in
      if replacing { s.segments[s.segments.count - 1] = info } else { s.segments.append(info) }
      if case .skipped = s.spare { s.spare = .none }
    }
    logger.info(
      "new log segment",
      metadata: [
        "segment": "\(name)", "from": spare == nil ? "a new file" : "the spare",
        "ms": "\((ContinuousClock.now - started).milliseconds)",
      ])
  }

  /// The ready spare, now the writer's to use; nil if there is none.
  private func takeSpare() -> (fd: Int32, size: Int)? {
    state.withLock { s in
      guard case .ready(let fd, let size) = s.spare else { return nil }
      s.spare = .none
      return (fd, size)
    }
  }

  /// Starts the spare thread unless a spare is ready, being prepared or was skipped.
  private func startSpare() {
    let start = state.withLock { s in
      guard case .none = s.spare else { return false }
      s.spare = .preparing
      return true
    }
    if start { startThread(named: "onvera-spare") { [self] in prepareSpare() } }
  }

  /// The spare thread: zero-fills `Format.spareName` to `segmentSize` bytes, one
  /// `preallocationBytes` chunk (at least 64 KiB) at a time with an fdatasync after each, so
  /// that it never queues much writeback in front of the writer's syncs. Its failure fails
  /// nothing: no record is in the spare, and the writer keeps growing the active segment.
  /// A leftover spare (a crash, or a close while preparing) is a `.tmp` file the next open
  /// removes.
  private func prepareSpare() {
    let name = path(Format.spareName)
    let size = configuration.segmentSize
    let started = ContinuousClock.now
    var fd: Int32 = -1
    var outcome = Spare.skipped
    do {
      let free = try fs.availableBytes(directory)
      if free >= 2 * Int64(size) {
        fd = try fs.open(name, mode: .createTruncate)
        let zeros = [UInt8](repeating: 0, count: min(size, max(64 << 10, configuration.preallocationBytes)))
        var offset = 0
        while offset < size {
          if state.withLock({ $0.closeRequested || $0.failure != nil }) { break }
          let n = min(zeros.count, size - offset)
          try fs.writeAll(fd, n == zeros.count ? zeros : Array(zeros[..<n]), at: Int64(offset), path: name)
          try fs.fdatasync(fd)
          offset += n
        }
        if offset == size {
          outcome = .ready(fd: fd, size: size)
          logger.info(
            "spare segment ready",
            metadata: ["bytes": "\(size)", "ms": "\((ContinuousClock.now - started).milliseconds)"])
        }
      } else {
        logger.notice(
          "not preparing a spare segment: the disk is short of space",
          metadata: ["directory": "\(directory)", "freeBytes": "\(free)", "segmentSize": "\(size)"])
      }
    } catch {
      logger.warning(
        "could not prepare a spare segment; the active segment grows instead",
        metadata: ["file": "\(name)", "error": "\(error)"])
    }
    if case .skipped = outcome, fd >= 0 {
      fs.close(fd)
      try? fs.unlink(name)
    }
    let (awaited, waiters) = state.withLock { s in
      s.spare = outcome
      defer { s.spareWaiters = [] }
      return (s.writerAwaitsSpare, s.spareWaiters)
    }
    for c in waiters { c.resume() }
    if awaited { spareThreadDone.signal() }
  }

  /// Returns once no spare is being prepared: at once, or when the spare thread ends.
  package func spareSettled() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let settled = state.withLock { s in
        guard case .preparing = s.spare else { return true }
        s.spareWaiters.append(c)
        return false
      }
      if settled { c.resume() }
    }
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
/// hold one of the few cooperative-pool threads. The name (at most 15 bytes) is what `top -H`,
/// `perf` and `/proc/PID/task/TID/comm` show.
func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
  final class Box {
    let name: String
    let body: @Sendable () -> Void
    init(_ name: String, _ body: @escaping @Sendable () -> Void) {
      self.name = name
      self.body = body
    }
  }
  let box = Unmanaged.passRetained(Box(String(name.utf8.prefix(15))!, body)).toOpaque()
  var thread = pthread_t()
  let rc = pthread_create(
    &thread, nil,
    { arg in
      let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
      // pthread_setname_np is not exported to Swift; this is what it does on Linux.
      let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
      if fd >= 0 {
        _ = box.name.withCString { write(fd, $0, strlen($0)) }
        close(fd)
      }
      box.body()
      return nil
    }, box)
  precondition(rc == 0, "pthread_create failed: \(rc)")
  pthread_detach(thread)
}

public import Logging

extension Store {
  /// The name of the lock file inside the data directory.
  static let lockName = "LOCK"

  /// Opens (creating if needed) the store in `dataDirectory`, recovers it and replays it.
  ///
  /// Recovery validates every segment and snapshot before changing anything. A torn tail of
  /// the active segment (at most one write batch, the only bytes a crash can leave unsynced)
  /// is cut and kept in a `.broken` file, with a warning naming file, offset and length.
  /// Anything else (a bad record with valid records of a later batch beyond it, a bad sealed
  /// segment, a missing segment, a revision gap or repeat) throws `.corrupted` naming file and
  /// offset, with every file left as it was; `repair(dataDirectory:toRevision:backupDirectory:logger:)`
  /// is the way out.
  ///
  /// - Parameters:
  ///   - restore: called once with the newest valid snapshot, if there is one; when the newest
  ///     is damaged the previous one is used.
  ///   - replay: called for every record after the snapshot, in revision order.
  /// - Throws: ``StoreError`` (`.locked` if another process holds the directory), or whatever
  ///   the callbacks throw.
  public static func open(
    dataDirectory: String,
    configuration: Configuration = Configuration(),
    logger: Logger = Logger(label: "onvera.store"),
    restore: (Snapshot) throws -> Void = { _ in },
    replay: (StoredRecord) throws -> Void = { _ in }
  ) throws -> Store {
    try open(
      dataDirectory: dataDirectory, configuration: configuration, fileSystem: PosixFileSystem(), logger: logger,
      restore: restore, replay: replay)
  }

  /// Opens the store on any file system (the tests' simulated one).
  package static func open(
    dataDirectory: String,
    configuration: Configuration = Configuration(),
    fileSystem fs: any FileSystem,
    logger: Logger = Logger(label: "onvera.store"),
    restore: (Snapshot) throws -> Void = { _ in },
    replay: (StoredRecord) throws -> Void = { _ in }
  ) throws -> Store {
    guard configuration.maxBatchBytes >= 64, configuration.maxBatchBytes <= Int(UInt32.max) else {
      throw StoreError(code: .invalidArgument, message: "maxBatchBytes must be between 64 and 2^32-1")
    }
    guard configuration.preallocationBytes >= 0 else {
      throw StoreError(code: .invalidArgument, message: "preallocationBytes must not be negative")
    }
    let dir = dataDirectory
    do { try fs.makeDirectory(dir) } catch {
      throw StoreError(code: .ioFailure, message: "cannot create data directory \(dir)", cause: error)
    }
    let lockFD: Int32
    do { lockFD = try fs.lock(dir + "/" + lockName) } catch {
      throw StoreError(code: .locked, message: "data directory \(dir) is in use: \(error)", cause: error)
    }
    do {
      let (store, context) = try recover(
        dir: dir, configuration: configuration, fs: fs, logger: logger, lockFD: lockFD, restore: restore,
        replay: replay)
      store.startWriter(context)
      return store
    } catch {
      fs.unlock(lockFD)
      throw error
    }
  }

  private static func ioError(_ what: String, _ error: any Error) -> StoreError {
    StoreError(code: .ioFailure, message: what, cause: error)
  }

  private static func recover(
    dir: String, configuration: Configuration, fs: any FileSystem, logger: Logger, lockFD: Int32,
    restore: (Snapshot) throws -> Void, replay: (StoredRecord) throws -> Void
  ) throws -> (Store, WriterContext) {
    func path(_ name: String) -> String { dir + "/" + name }
    let names: [String]
    do { names = try fs.list(dir) } catch { throw ioError("cannot list \(dir)", error) }
    let segmentBases = names.compactMap { Format.parseName($0, suffix: ".seg") }.sorted()
    let snapshotRevisions = names.compactMap { Format.parseName($0, suffix: ".snap") }.sorted()
    let temporaries = names.filter { $0.hasSuffix(".tmp") }

    // Phase 1: read and validate everything; change nothing.
    var scans: [SegmentScan] = []
    var epoch: UInt64?
    for (i, base) in segmentBases.enumerated() {
      let name = Format.segmentName(base)
      let bytes: [UInt8]
      do { bytes = try fs.readFile(path(name)) } catch { throw ioError("cannot read \(path(name))", error) }
      let scan = try SegmentScanner.scan(
        name: path(name), bytes: bytes, expectedBase: base, epoch: epoch, isActive: i == segmentBases.count - 1)
      if !scan.tornHeader { epoch = epoch ?? scan.header.epoch }
      scans.append(scan)
    }
    if scans.isEmpty && !snapshotRevisions.isEmpty {
      throw StoreError(
        code: .corrupted,
        message: "\(dir) holds snapshots but no segment files; refusing to open, no file was changed")
    }
    // The log is the longest run of contiguous segments ending at the newest one; older
    // segments before a gap can only be leftovers of an interrupted compaction, acceptable
    // only if a snapshot covers the gap.
    var suffix = max(0, scans.count - 1)
    while suffix > 0 && scans[suffix - 1].last &+ 1 == scans[suffix].header.base { suffix -= 1 }
    let logStart = scans.isEmpty ? 1 : scans[suffix].header.base
    let logEnd = scans.last.map { $0.last } ?? 0

    var chosen: Snapshot?
    var damagedSnapshots: [String] = []
    for revision in snapshotRevisions.reversed() {
      let name = path(Format.snapshotName(revision))
      if revision > logEnd {
        throw StoreError(
          code: .corrupted,
          message: "\(name) at offset 0: snapshot of revision \(revision) but the log ends at \(logEnd) "
            + "(a segment is missing); refusing to open, no file was changed")
      }
      if revision &+ 1 < logStart { break }
      let bytes: [UInt8]
      do { bytes = try fs.readFile(name) } catch { throw ioError("cannot read \(name)", error) }
      switch Format.decodeSnapshot(bytes) {
      case .success(let (snapshotEpoch, snapshotRevision, payload)):
        if snapshotRevision == revision && (epoch == nil || snapshotEpoch == epoch) {
          chosen = Snapshot(revision: revision, bytes: payload)
          epoch = snapshotEpoch
        } else {
          logger.warning(
            "snapshot does not match its name or the store's epoch; trying an older one",
            metadata: ["file": "\(name)"])
          damagedSnapshots.append(name)
        }
      case .failure(let defect):
        logger.warning(
          "snapshot is damaged; trying an older one",
          metadata: ["file": "\(name)", "offset": "\(defect.offset)", "reason": "\(defect.reason)"])
        damagedSnapshots.append(name)
      }
      if chosen != nil { break }
    }
    if logStart > 1 && chosen == nil {
      if suffix > 0 {
        let prev = scans[suffix - 1]
        throw StoreError(
          code: .corrupted,
          message: "\(prev.name) ends at revision \(prev.last) but the next segment \(scans[suffix].name) starts at "
            + "\(logStart): a segment is missing; refusing to open, no file was changed")
      }
      throw StoreError(
        code: .corrupted,
        message: "the log in \(dir) starts at revision \(logStart) but no valid snapshot covers the revisions before "
          + "it; refusing to open, no file was changed")
    }

    // Phase 2: the directory is acceptable; now tidy it up.
    var directoryChanged = false
    do {
      for name in temporaries {
        try fs.unlink(path(name))
        directoryChanged = true
      }
      // A damaged snapshot is kept for inspection but out of the way, so that it is never
      // counted as one of the two kept snapshots again.
      for name in damagedSnapshots {
        try fs.rename(name, to: name + ".broken")
        directoryChanged = true
      }
      for orphan in scans[0..<suffix] {
        logger.notice("removing a segment left over by an interrupted compaction", metadata: ["file": "\(orphan.name)"])
        try fs.unlink(orphan.name)
        directoryChanged = true
      }
    } catch { throw ioError("cannot tidy \(dir)", error) }
    scans.removeFirst(suffix)

    let storeEpoch = epoch ?? UInt64.random(in: 1...UInt64.max)
    if var active = scans.last, active.tornLength > 0 || active.tornHeader {
      try cutTornTail(&active, dir: dir, epoch: storeEpoch, configuration: configuration, fs: fs, logger: logger)
      scans[scans.count - 1] = active
      directoryChanged = true
    }
    if scans.isEmpty {
      try createSegment(dir: dir, base: 1, epoch: storeEpoch, configuration: configuration, fs: fs)
      scans.append(
        SegmentScan(
          name: path(Format.segmentName(1)),
          header: .init(maxBatchBytes: UInt32(configuration.maxBatchBytes), epoch: storeEpoch, base: 1), last: 0,
          end: Format.segmentHeaderSize, index: [], tornLength: 0, size: Format.segmentHeaderSize, tornHeader: false,
          groupEnds: []))
      directoryChanged = false
    }
    if directoryChanged {
      do { try fs.syncDirectory(dir) } catch { throw ioError("cannot sync directory \(dir)", error) }
    }

    // Phase 3: hand the state to the caller.
    if let chosen { try restore(chosen) }
    let from = chosen?.revision ?? 0
    let memory = configuration.memoryHistoryCount
    var cache: [StoredRecord] = []
    let head = scans.last!.last
    let cacheFrom = head >= UInt64(memory) ? head - UInt64(memory) + 1 : 1
    for scan in scans where scan.last > from || (scan.last >= cacheFrom && memory > 0) {
      let bytes: [UInt8]
      do { bytes = try fs.readFile(scan.name) } catch { throw ioError("cannot read \(scan.name)", error) }
      let startRevision = min(from + 1, cacheFrom)
      var offset = Format.segmentHeaderSize
      for entry in scan.index where entry.revision <= startRevision { offset = entry.offset }
      let maxPayload = Int(scan.header.maxBatchBytes) - Format.recordHeaderSize
      try bytes.withUnsafeBytes { raw in
        while offset < scan.end {
          guard let r = Format.decodeRecord(raw, at: offset, epoch: storeEpoch, maxPayload: maxPayload) else {
            throw SegmentScanner.corrupted(scan.name, offset, "record changed while opening")
          }
          offset = r.end
          if r.revision > from || (r.revision >= cacheFrom && memory > 0) {
            let record = StoredRecord(
              revision: r.revision, type: r.type, payload: Array(raw[r.payloadRange]))
            if r.revision > from { try replay(record) }
            if r.revision >= cacheFrom && memory > 0 { cache.append(record) }
          }
        }
      }
    }

    let active = scans.last!
    let activePath = active.name
    let fd: Int32
    do { fd = try fs.open(activePath, mode: .readWrite) } catch { throw ioError("cannot open \(activePath)", error) }
    let segments = scans.map {
      SegmentInfo(
        base: $0.header.base, last: $0.last, end: $0.end, maxBatchBytes: Int($0.header.maxBatchBytes),
        index: $0.index)
    }
    let state = State(
      durable: head, segments: segments, compacted: scans[0].header.base - 1, cache: cache,
      cacheFirst: cache.first?.revision ?? head + 1,
      snapshots: snapshotRevisions.filter {
        $0 >= scans[0].header.base - 1 && $0 <= head && !damagedSnapshots.contains(path(Format.snapshotName($0)))
      })
    let store = Store(
      directory: dir, configuration: configuration, fs: fs, logger: logger, epoch: storeEpoch, lockFD: lockFD,
      state: state)
    let context = WriterContext(
      fd: fd, offset: active.end, allocated: active.size, nextRevision: head + 1, segmentBase: active.header.base,
      segmentMaxBatch: Int(active.header.maxBatchBytes))
    return (store, context)
  }

  /// Keeps the torn tail in `<segment>.<offset>.broken`, then cuts it off the segment.
  private static func cutTornTail(
    _ scan: inout SegmentScan, dir: String, epoch: UInt64, configuration: Configuration, fs: any FileSystem,
    logger: Logger
  ) throws {
    do {
      let fd = try fs.open(scan.name, mode: .readWrite)
      defer { fs.close(fd) }
      let tail = try fs.pread(fd, count: scan.tornLength, at: Int64(scan.end))
      var brokenName = "\(scan.name).\(scan.end).broken"
      var n = 1
      while (try? fs.open(brokenName, mode: .readOnly)).map({ fs.close($0); return true }) ?? false {
        brokenName = "\(scan.name).\(scan.end).\(n).broken"
        n += 1
      }
      try fs.writeFile(brokenName, tail)
      // The copy must be durable before the only other copy of those bytes is cut.
      try fs.syncDirectory(dir)
      // The zeros after the torn bytes go too: the writer preallocates afresh.
      try fs.truncate(fd, to: Int64(scan.end))
      if scan.tornHeader {
        let header = Format.SegmentHeader(
          maxBatchBytes: UInt32(configuration.maxBatchBytes), epoch: epoch, base: scan.header.base)
        try fs.writeAll(fd, Format.encodeSegmentHeader(header), at: 0, path: scan.name)
        scan.header = header
        scan.end = Format.segmentHeaderSize
        scan.tornHeader = false
      }
      try fs.fsync(fd)
      logger.warning(
        "cut a torn tail off the active segment",
        metadata: [
          "file": "\(scan.name)", "offset": "\(scan.end)", "length": "\(tail.count)",
          "keptIn": "\(brokenName)",
        ])
      scan.tornLength = 0
      scan.size = scan.end
    } catch {
      throw StoreError(code: .ioFailure, message: "cannot cut the torn tail of \(scan.name)", cause: error)
    }
  }

  static func createSegment(
    dir: String, base: UInt64, epoch: UInt64, configuration: Configuration, fs: any FileSystem
  ) throws {
    let name = dir + "/" + Format.segmentName(base)
    do {
      let header = Format.encodeSegmentHeader(
        .init(maxBatchBytes: UInt32(configuration.maxBatchBytes), epoch: epoch, base: base))
      try fs.writeFile(name + ".tmp", header)
      try fs.rename(name + ".tmp", to: name)
      try fs.syncDirectory(dir)
    } catch {
      throw StoreError(code: .ioFailure, message: "cannot create segment \(name)", cause: error)
    }
  }
}

#if canImport(Glibc)
import Glibc
#endif
public import Logging

/// What ``Store/repair(dataDirectory:toRevision:backupDirectory:logger:)`` did.
public struct RepairReport: Sendable {
  /// Where the untouched copy of the data directory was put.
  public var backupDirectory: String
  /// The last revision kept.
  public var revision: UInt64
  /// The files removed from the data directory (their copies are in the backup).
  public var removedFiles: [String]
  /// The segment cut short, if any, and the length it was cut to.
  public var truncated: (file: String, length: Int)?
}

extension Store {
  /// Offline repair: copies the data directory aside, then truncates the log to `revision`
  /// (or, if nil, to the last revision before the first damage), removing later segments,
  /// snapshots newer than that revision, temporary and `.broken` files.
  ///
  /// The store must not be open (the directory lock is taken). The cut is made at an atomic
  /// append's boundary: if `revision` falls inside one, the log is cut before it.
  ///
  /// - Throws: ``StoreError``: `.notFound` if `revision` is not in the readable part of the log,
  ///   `.locked`, `.ioFailure`, `.corrupted` if the log's start is unreadable.
  public static func repair(
    dataDirectory: String, toRevision revision: UInt64? = nil, backupDirectory: String? = nil,
    logger: Logger = Logger(label: "onvera.store.repair")
  ) throws -> RepairReport {
    try repair(
      dataDirectory: dataDirectory, toRevision: revision, backupDirectory: backupDirectory,
      fileSystem: PosixFileSystem(), logger: logger)
  }

  /// Repair on any file system (the tests' simulated one).
  package static func repair(
    dataDirectory dir: String, toRevision wanted: UInt64?, backupDirectory: String?, fileSystem fs: any FileSystem,
    logger: Logger
  ) throws -> RepairReport {
    func path(_ name: String) -> String { dir + "/" + name }
    let lockFD: Int32
    do { lockFD = try fs.lock(path(lockName)) } catch {
      throw StoreError(code: .locked, message: "data directory \(dir) is in use: \(error)", cause: error)
    }
    defer { fs.unlock(lockFD) }
    do {
      let names = try fs.list(dir).filter { $0 != lockName }
      let backup = backupDirectory ?? "\(dir).backup-\(time(nil))"
      try fs.makeDirectory(backup)
      for name in names {
        try fs.writeFile(backup + "/" + name, try fs.readFile(path(name)))
      }
      try fs.syncDirectory(backup)
      logger.notice("copied the data directory aside", metadata: ["backup": "\(backup)"])

      // Walk the log from its start, stopping at the first damage of any kind.
      let bases = names.compactMap { Format.parseName($0, suffix: ".seg") }.sorted()
      var epoch: UInt64?
      var reachable: [(base: UInt64, groupEnds: [(revision: UInt64, offset: Int)], size: Int)] = []
      var expected: UInt64?
      for base in bases {
        if let expected, base != expected { break }
        let bytes = try fs.readFile(path(Format.segmentName(base)))
        // Scanning as "active" accepts a damaged tail; anything after it is dropped below.
        guard
          let scan = try? SegmentScanner.scan(
            name: path(Format.segmentName(base)), bytes: bytes, expectedBase: base, epoch: epoch, isActive: true,
            collectGroupEnds: true)
        else {
          let readable = lenientGroupEnds(bytes, base: base, epoch: epoch)
          if let readable { reachable.append((base, readable, bytes.count)) }
          break
        }
        if scan.tornHeader { break }
        epoch = epoch ?? scan.header.epoch
        reachable.append((base, scan.groupEnds, bytes.count))
        expected = scan.last + 1
        if scan.tornLength > 0 { break }
      }
      guard let first = reachable.first else {
        throw StoreError(code: .corrupted, message: "\(dir): no readable segment to repair from")
      }
      let lastReadable = reachable.last!.groupEnds.last?.revision ?? reachable.last!.base - 1
      let target = wanted ?? lastReadable
      guard target >= first.base - 1, target <= lastReadable else {
        throw StoreError(
          code: .notFound,
          message: "revision \(target) is not in the readable log of \(dir) (revisions \(first.base)...\(lastReadable))")
      }
      // The segment holding the cut, and the group boundary at or before `target`.
      var keepIndex = 0
      for (i, seg) in reachable.enumerated() where seg.base <= target + 1 { keepIndex = i }
      let keep = reachable[keepIndex]
      var cut = Format.segmentHeaderSize
      var kept = keep.base - 1
      for end in keep.groupEnds where end.revision <= target {
        cut = end.offset
        kept = end.revision
      }
      var removed: [String] = []
      for name in names {
        let remove: Bool
        if let base = Format.parseName(name, suffix: ".seg") {
          remove = base > keep.base
        } else if let rev = Format.parseName(name, suffix: ".snap") {
          remove = rev > kept
        } else {
          remove = name.hasSuffix(".tmp") || name.hasSuffix(".broken")
        }
        if remove {
          try fs.unlink(path(name))
          removed.append(name)
        }
      }
      var truncated: (String, Int)?
      let keepName = path(Format.segmentName(keep.base))
      if cut < keep.size {
        let fd = try fs.open(keepName, mode: .readWrite)
        defer { fs.close(fd) }
        try fs.truncate(fd, to: Int64(cut))
        try fs.fsync(fd)
        truncated = (keepName, cut)
      }
      try fs.syncDirectory(dir)
      logger.notice(
        "repaired", metadata: ["revision": "\(kept)", "removed": "\(removed)", "backup": "\(backup)"])
      return RepairReport(backupDirectory: backup, revision: kept, removedFiles: removed, truncated: truncated)
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(code: .ioFailure, message: "repair of \(dir) failed", cause: error)
    }
  }

  /// The whole atomic appends readable from the start of a damaged segment.
  private static func lenientGroupEnds(
    _ bytes: [UInt8], base: UInt64, epoch: UInt64?
  ) -> [(revision: UInt64, offset: Int)]? {
    bytes.withUnsafeBytes { raw in
      guard let header = Format.decodeSegmentHeader(raw), header.base == base,
        epoch == nil || header.epoch == epoch
      else { return nil }
      var ends: [(revision: UInt64, offset: Int)] = []
      var offset = Format.segmentHeaderSize
      var revision = base
      let maxPayload = Int(header.maxBatchBytes) - Format.recordHeaderSize
      while let r = Format.decodeRecord(raw, at: offset, epoch: header.epoch, maxPayload: maxPayload),
        r.revision == revision
      {
        offset = r.end
        if r.flags & Format.flagContinues == 0 { ends.append((revision, offset)) }
        revision += 1
      }
      return ends
    }
  }
}

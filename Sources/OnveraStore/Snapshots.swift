import Logging
import Synchronization

extension Store {
  /// Writes a snapshot: the caller's state after every record up to and including `revision`.
  ///
  /// The file is written under a temporary name, fsynced, renamed and the directory fsynced;
  /// only then are snapshots older than the previous one deleted and segments compacted. The
  /// previous snapshot stays as a fallback, and compaction keeps every record after it, and
  /// at least ``Configuration/historyWindow`` revisions, for watches.
  ///
  /// The I/O runs on the calling task; call it from a task that may block. An I/O error makes
  /// the whole store fail-stop, like a failed append.
  ///
  /// - Throws: ``StoreError``: `.invalidArgument` if `revision` is not durable yet, not newer
  ///   than the last snapshot, or another snapshot is being written; `.ioFailure`, `.failed`,
  ///   `.closed`.
  public func writeSnapshot(at revision: UInt64, bytes: [UInt8]) async throws {
    try state.withLock { s in
      if let failure = s.failure { throw Self.refusal(failure) }
      if s.closeRequested { throw StoreError(code: .closed, message: "the store is closed") }
      if s.snapshotBusy {
        throw StoreError(code: .invalidArgument, message: "another snapshot is being written")
      }
      if revision > s.durable {
        throw StoreError(
          code: .invalidArgument,
          message: "snapshot revision \(revision) is beyond the durable revision \(s.durable)")
      }
      if let last = s.snapshots.last, revision <= last {
        throw StoreError(
          code: .invalidArgument, message: "snapshot revision \(revision) is not newer than the last snapshot \(last)")
      }
      if revision < s.compacted {
        throw StoreError(
          code: .invalidArgument, message: "snapshot revision \(revision) is older than the compacted revision")
      }
      s.snapshotBusy = true
    }
    defer { state.withLock { $0.snapshotBusy = false } }

    let name = Format.snapshotName(revision)
    do {
      try fs.writeFile(path(name + ".tmp"), Format.encodeSnapshot(epoch: epoch, revision: revision, payload: bytes))
      try fs.rename(path(name + ".tmp"), to: path(name))
      try fs.syncDirectory(directory)
    } catch {
      failStop(error)
      throw StoreError(code: .ioFailure, message: "cannot write snapshot \(path(name))", cause: error)
    }

    // Keep this snapshot and the previous one; compact below the previous one.
    let (oldSnapshots, oldSegments): ([UInt64], [SegmentInfo]) = state.withLock { s in
      s.snapshots.append(revision)
      let dropSnapshots = Array(s.snapshots.dropLast(2))
      s.snapshots.removeFirst(dropSnapshots.count)
      let keepFrom = s.snapshots[0]
      let window = s.durable > configuration.historyWindow ? s.durable - configuration.historyWindow : 0
      let bound = min(keepFrom, window)
      var drop = 0
      while drop < s.segments.count - 1 && s.segments[drop].last <= bound { drop += 1 }
      let dropped = Array(s.segments.prefix(drop))
      if drop > 0 {
        s.segments.removeFirst(drop)
        // Announce the new horizon before the files go, so readers see "compacted", not ENOENT.
        s.compacted = s.segments[0].base - 1
        if s.cacheFirst <= s.compacted && !s.cache.isEmpty {
          let n = min(s.cache.count, Int(s.compacted + 1 - s.cacheFirst))
          s.cache.removeFirst(n)
          s.cacheFirst += UInt64(n)
        }
      }
      return (dropSnapshots, dropped)
    }
    if oldSnapshots.isEmpty && oldSegments.isEmpty { return }
    do {
      // Oldest first, so that an interrupted compaction leaves a contiguous log tail.
      for segment in oldSegments { try fs.unlink(path(segment.name)) }
      for old in oldSnapshots { try fs.unlink(path(Format.snapshotName(old))) }
      try fs.syncDirectory(directory)
    } catch {
      failStop(error)
      throw StoreError(code: .ioFailure, message: "cannot compact \(directory)", cause: error)
    }
    logger.debug(
      "compacted",
      metadata: ["segments": "\(oldSegments.count)", "snapshots": "\(oldSnapshots.count)", "snapshot": "\(revision)"])
  }
}

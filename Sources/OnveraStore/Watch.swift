import Synchronization

extension Store {
  /// The durable records after `revision`, in order: first the history (from memory or disk),
  /// then live records as they become durable.
  ///
  /// Iterating throws ``StoreError`` with `.compacted` if `revision` is older than
  /// ``compactedRevision`` (also if compaction overtakes a slow reader), or the store's failure.
  /// The sequence ends when the store is closed (after the remaining durable records) or the
  /// iterating task is cancelled. Resuming from the last revision seen continues without gaps
  /// or duplicates, across restarts too.
  public func watch(after revision: UInt64) -> RecordStream {
    RecordStream(store: self, start: revision)
  }

  /// Up to a bounded number of durable records after `cursor`, waiting until there is at
  /// least one. Empty means the stream is over (closed or cancelled).
  func records(after cursor: UInt64) async throws -> [StoredRecord] {
    enum Step {
      case records([StoredRecord])
      case disk(SegmentInfo)
      case wait
      case end
    }
    while true {
      let step: Step = try state.withLock { s in
        if cursor < s.compacted { throw compactedError(cursor, s.compacted) }
        if cursor < s.durable {
          if cursor + 1 >= s.cacheFirst && !s.cache.isEmpty {
            let start = Int(cursor + 1 - s.cacheFirst)
            let stop = min(s.cache.count, start + 512)
            return .records(Array(s.cache[start..<stop]))
          }
          guard let segment = s.segments.last(where: { $0.base <= cursor + 1 }) else {
            throw compactedError(cursor, s.compacted)
          }
          return .disk(segment)
        }
        if let failure = s.failure { throw failure }
        if s.closeRequested { return .end }
        return .wait
      }
      switch step {
      case .records(let records):
        return records
      case .end:
        return []
      case .disk(let segment):
        do {
          let records = try readSegment(segment, after: cursor)
          if !records.isEmpty { return records }
        } catch {
          // A compaction may have removed the file under us: report that precisely.
          let compacted = compactedRevision
          if cursor < compacted { throw compactedError(cursor, compacted) }
          throw StoreError(code: .ioFailure, message: "cannot read \(segment.name) for a watch", cause: error)
        }
      case .wait:
        if await !waitForDurable(beyond: cursor) { return [] }
      }
    }
  }

  private func compactedError(_ cursor: UInt64, _ compacted: UInt64) -> StoreError {
    StoreError(
      code: .compacted,
      message: "revisions after \(cursor) are no longer all kept: history starts after revision \(compacted); "
        + "reload the full state and watch from its revision")
  }

  /// Reads records after `cursor` from one segment, at most about 1 MiB of them.
  private func readSegment(_ segment: SegmentInfo, after cursor: UInt64) throws -> [StoredRecord] {
    let fd = try fs.open(path(segment.name), mode: .readOnly)
    defer { fs.close(fd) }
    var offset = Format.segmentHeaderSize
    for entry in segment.index where entry.revision <= cursor + 1 { offset = entry.offset }
    let maxPayload = segment.maxBatchBytes - Format.recordHeaderSize
    let chunk = 1 << 20
    var result: [StoredRecord] = []
    while offset < segment.end && result.isEmpty {
      let want = min(segment.end - offset, max(chunk, Format.recordHeaderSize))
      let bytes = try fs.pread(fd, count: want, at: Int64(offset))
      var p = 0
      var needed = 0
      bytes.withUnsafeBytes { raw in
        while p < raw.count {
          guard let r = Format.decodeRecord(raw, at: p, epoch: epoch, maxPayload: maxPayload) else {
            // Either the record continues past this chunk or the file changed under us.
            if raw.count - p >= Format.recordHeaderSize {
              needed = Format.recordSize(payload: Int(Format.get(UInt32.self, raw, p)))
            }
            break
          }
          if r.revision > cursor && r.revision <= segment.last {
            result.append(StoredRecord(revision: r.revision, type: r.type, payload: Array(raw[r.payloadRange])))
          }
          p = r.end
        }
      }
      if result.isEmpty && p == 0 {
        // One record larger than the chunk: read exactly it, bounded by the segment.
        guard needed > 0, needed <= segment.end - offset, needed > bytes.count else {
          throw StoreError(code: .corrupted, message: "\(segment.name) at offset \(offset): unreadable record")
        }
        let big = try fs.pread(fd, count: needed, at: Int64(offset))
        try big.withUnsafeBytes { raw in
          guard let r = Format.decodeRecord(raw, at: 0, epoch: epoch, maxPayload: maxPayload) else {
            throw StoreError(code: .corrupted, message: "\(segment.name) at offset \(offset): unreadable record")
          }
          if r.revision > cursor && r.revision <= segment.last {
            result.append(StoredRecord(revision: r.revision, type: r.type, payload: Array(raw[r.payloadRange])))
          }
          p = r.end
        }
      }
      offset += p
    }
    return result
  }

  /// Waits until the durable head passes `cursor`, the store fails or closes.
  /// Returns false if the waiting task was cancelled.
  private func waitForDurable(beyond cursor: UInt64) async -> Bool {
    let id = state.withLock { s in
      s.nextWaiter += 1
      s.waiters[s.nextWaiter] = .allocated
      return s.nextWaiter
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let now = state.withLock { s in
          if case .cancelled = s.waiters[id] {
            s.waiters[id] = nil
            return true
          }
          if s.durable > cursor || s.failure != nil || s.closeRequested {
            s.waiters[id] = nil
            return true
          }
          s.waiters[id] = .registered(c)
          return false
        }
        if now { c.resume() }
      }
    } onCancel: {
      let c: CheckedContinuation<Void, Never>? = state.withLock { s in
        switch s.waiters[id] {
        case .registered(let c):
          s.waiters[id] = nil
          return c
        case .allocated:
          s.waiters[id] = .cancelled
          return nil
        default:
          return nil
        }
      }
      c?.resume()
    }
    return !Task.isCancelled
  }
}

/// The records of a ``Store/watch(after:)``: an `AsyncSequence` of ``StoredRecord``.
///
/// Pull-based: records are read as the consumer asks for them, so a slow consumer costs
/// no memory in the store; it only falls behind, and may then meet `.compacted`.
public struct RecordStream: AsyncSequence, Sendable {
  /// The stream's element.
  public typealias Element = StoredRecord
  let store: Store
  let start: UInt64

  /// Creates the iterator.
  public func makeAsyncIterator() -> Iterator {
    Iterator(store: store, cursor: start)
  }

  /// Iterates a ``RecordStream``.
  public struct Iterator: AsyncIteratorProtocol {
    let store: Store
    var cursor: UInt64
    var buffer: [StoredRecord] = []
    var index = 0
    var finished = false

    /// The next record, or nil once the stream is over.
    public mutating func next() async throws -> StoredRecord? {
      if index == buffer.count {
        if finished { return nil }
        buffer = try await store.records(after: cursor)
        index = 0
        if buffer.isEmpty {
          finished = true
          return nil
        }
      }
      let record = buffer[index]
      index += 1
      cursor = record.revision
      return record
    }
  }
}

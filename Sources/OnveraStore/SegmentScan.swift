/// What recovery learned from one segment file.
struct SegmentScan {
  var name: String
  var header: Format.SegmentHeader
  /// The last revision kept in the segment; `base - 1` when it holds none.
  var last: UInt64
  /// The offset just after the last kept record.
  var end: Int
  /// Every 64th record: (revision, offset), so readers need not scan from the start.
  var index: [(revision: UInt64, offset: Int)]
  /// A torn tail to cut: the bytes from `end` up to the last non-zero byte. Only ever set for
  /// the active segment.
  var tornLength: Int
  /// The file's size. In the active segment, everything after `end + tornLength` is zero:
  /// space preallocated for the next records.
  var size: Int
  /// The header itself was torn (file shorter than a header); the segment is rewritten empty.
  var tornHeader: Bool
  /// Offset of each group start the scan saw last, used by repair.
  var groupEnds: [(revision: UInt64, offset: Int)]
}

enum SegmentScanner {
  static let indexStride: UInt64 = 64

  /// Validates one segment. `isActive` is true for the newest segment, the only one a crash
  /// can have left with a torn tail. Throws `.corrupted` naming file and offset for anything
  /// a crash cannot explain. `collectGroupEnds` is for repair, which may cut at any group.
  static func scan(
    name: String, bytes: [UInt8], expectedBase: UInt64, epoch: UInt64?, isActive: Bool,
    collectGroupEnds: Bool = false
  ) throws -> SegmentScan {
    let header: Format.SegmentHeader
    if let h = bytes.withUnsafeBytes({ Format.decodeSegmentHeader($0) }) {
      header = h
    } else if isActive && bytes.count < Format.segmentHeaderSize {
      // Only a torn creation can leave a short header; segments are created by rename
      // after an fsync, so this is test or hand damage, still safe to treat as empty.
      return SegmentScan(
        name: name, header: .init(maxBatchBytes: 0, epoch: epoch ?? 0, base: expectedBase),
        last: expectedBase &- 1, end: 0, index: [], tornLength: bytes.count, size: bytes.count, tornHeader: true,
        groupEnds: [])
    } else {
      throw corrupted(name, 0, "segment header is damaged (bad magic, version or checksum)")
    }
    guard header.base == expectedBase else {
      throw corrupted(name, 24, "header says base revision \(header.base) but the file name says \(expectedBase)")
    }
    if let epoch, header.epoch != epoch {
      throw corrupted(name, 16, "epoch \(header.epoch) differs from the store's epoch \(epoch)")
    }
    let maxPayload = max(0, Int(header.maxBatchBytes) - Format.recordHeaderSize)
    let epoch = header.epoch
    var result = SegmentScan(
      name: name, header: header, last: header.base &- 1, end: Format.segmentHeaderSize, index: [],
      tornLength: 0, size: bytes.count, tornHeader: false, groupEnds: [])

    return try bytes.withUnsafeBytes { (raw) throws -> SegmentScan in
      var offset = Format.segmentHeaderSize
      var revision = header.base
      var groupEnd = offset
      var groupLast = header.base &- 1
      var bad: Int?
      while offset < raw.count {
        guard let r = Format.decodeRecord(raw, at: offset, epoch: epoch, maxPayload: maxPayload) else {
          bad = offset
          break
        }
        guard r.revision == revision else {
          throw corrupted(
            name, offset,
            "record has revision \(r.revision) where \(revision) was expected (a gap or a repeat)")
        }
        if (revision - header.base) % indexStride == 0 { result.index.append((revision, offset)) }
        offset = r.end
        if r.flags & Format.flagContinues == 0 {
          groupEnd = offset
          groupLast = revision
          if collectGroupEnds { result.groupEnds.append((revision, offset)) }
        }
        revision += 1
      }
      result.last = groupLast
      result.end = groupEnd
      // Drop index entries that point past what is kept.
      while let lastEntry = result.index.last, lastEntry.revision > groupLast { result.index.removeLast() }

      guard let bad else {
        if groupEnd != offset {
          if !isActive {
            throw corrupted(name, groupEnd, "sealed segment ends inside an atomic append")
          }
          result.tornLength = raw.count - groupEnd
        }
        return result
      }
      if !isActive {
        throw corrupted(name, bad, "bad record in a sealed segment")
      }
      // Zeros at the end are preallocated space; only what comes before them can be damage.
      var dataEnd = raw.count
      while dataEnd > bad && raw[dataEnd - 1] == 0 { dataEnd -= 1 }
      let tail = dataEnd - bad
      if tail > Int(header.maxBatchBytes) {
        throw corrupted(
          name, bad,
          "bad record followed by \(tail) bytes, more than one write batch (\(header.maxBatchBytes) bytes) "
            + "could have left unsynced")
      }
      // A torn write only ever damages the newest batch. A valid record beyond the bad one
      // that belongs to a later batch proves the bad record had been synced: corruption.
      let expected = revision
      var p = bad + 8
      while p < dataEnd && raw.count - p >= Format.recordHeaderSize {
        if let r = Format.decodeRecord(raw, at: p, epoch: epoch, maxPayload: maxPayload) {
          let batchStart = r.revision &- UInt64(r.batchIndex)
          if r.revision < expected || UInt64(r.batchIndex) > r.revision || batchStart > expected {
            throw corrupted(
              name, bad,
              "bad record (revision \(expected) expected) followed by a valid record of revision "
                + "\(r.revision) at offset \(p) from a later write batch")
          }
          p = r.end
        } else {
          p += 8
        }
      }
      result.tornLength = max(dataEnd, bad) - groupEnd
      return result
    }
  }

  static func corrupted(_ file: String, _ offset: Int, _ what: String) -> StoreError {
    StoreError(code: .corrupted, message: "\(file) at offset \(offset): \(what); refusing to open, no file was changed")
  }
}

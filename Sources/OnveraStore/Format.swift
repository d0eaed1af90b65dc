// The on-disk format. Everything little-endian, records 8-byte aligned.
//
// Segment file `<20-digit base revision>.seg`:
//   header (40 bytes): magic "ONVSTSEG", version u16, flags u16, maxBatchBytes u32,
//   epoch u64, base revision u64, reserved u32, masked CRC32C of bytes 0..<36 (u32).
//   then records; the active segment then zeros up to the end of the file (preallocated
//   space, where the next records are written; a record never has revision 0).
// Record (24-byte header, payload, zero padding to a multiple of 8):
//   length u32 (payload bytes), masked CRC32C u32, revision u64, type u16, flags u16,
//   batch index u32 (position of the record in its write batch), payload. The CRC covers the epoch, the length and every header byte
//   after the CRC field plus the payload, so stale bytes of another store never validate.
// Snapshot file `<20-digit revision>.snap`:
//   header (48 bytes): magic "ONVSTSNP", version u16, flags u16, reserved u32, epoch u64,
//   revision u64, payload length u64, masked CRC32C of epoch+revision+payload (u32),
//   masked CRC32C of bytes 0..<44 (u32); then the payload.

enum Format {
  static let segmentMagic: [UInt8] = Array("ONVSTSEG".utf8)
  static let snapshotMagic: [UInt8] = Array("ONVSTSNP".utf8)
  static let version: UInt16 = 1
  static let segmentHeaderSize = 40
  static let recordHeaderSize = 24
  static let snapshotHeaderSize = 48

  /// More records of the same atomic append follow this one.
  static let flagContinues: UInt16 = 0x1

  static func padded(_ n: Int) -> Int { (n + 7) & ~7 }
  static func recordSize(payload: Int) -> Int { recordHeaderSize + padded(payload) }

  static func segmentName(_ base: UInt64) -> String { pad20(base) + ".seg" }
  static func snapshotName(_ revision: UInt64) -> String { pad20(revision) + ".snap" }
  /// The next segment, zero-filled ahead of need; a temporary until a roll names it.
  static let spareName = "spare.seg.tmp"

  static func pad20(_ n: UInt64) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 20 - s.count)) + s
  }

  /// Parses `<20 digits><suffix>`.
  static func parseName(_ name: String, suffix: String) -> UInt64? {
    guard name.hasSuffix(suffix), name.utf8.count == 20 + suffix.utf8.count else { return nil }
    let digits = name.utf8.prefix(20)
    guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    return UInt64(String(decoding: digits, as: UTF8.self))
  }

  // MARK: little-endian helpers

  static func put<T: FixedWidthInteger>(_ value: T, _ buffer: inout [UInt8], _ offset: Int) {
    withUnsafeBytes(of: value.littleEndian) { raw in
      for i in 0..<raw.count { buffer[offset + i] = raw[i] }
    }
  }

  static func get<T: FixedWidthInteger>(_ type: T.Type, _ raw: UnsafeRawBufferPointer, _ offset: Int) -> T {
    T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
  }

  // MARK: segment header

  struct SegmentHeader: Equatable {
    var maxBatchBytes: UInt32
    var epoch: UInt64
    var base: UInt64
  }

  static func encodeSegmentHeader(_ h: SegmentHeader) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: segmentHeaderSize)
    b.replaceSubrange(0..<8, with: segmentMagic)
    put(version, &b, 8)
    put(h.maxBatchBytes, &b, 12)
    put(h.epoch, &b, 16)
    put(h.base, &b, 24)
    put(CRC32C.mask(CRC32C.update(0, b[0..<36])), &b, 36)
    return b
  }

  static func decodeSegmentHeader(_ raw: UnsafeRawBufferPointer) -> SegmentHeader? {
    guard raw.count >= segmentHeaderSize,
      raw.prefix(8).elementsEqual(segmentMagic),
      get(UInt16.self, raw, 8) == version,
      get(UInt32.self, raw, 36) == CRC32C.mask(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<36])))
    else { return nil }
    return SegmentHeader(
      maxBatchBytes: get(UInt32.self, raw, 12), epoch: get(UInt64.self, raw, 16),
      base: get(UInt64.self, raw, 24))
  }

  // MARK: records

  static func recordCRC(epoch: UInt64, _ raw: UnsafeRawBufferPointer, at offset: Int, payloadLength: Int) -> UInt32 {
    var c = withUnsafeBytes(of: epoch.littleEndian) { CRC32C.update(0, $0) }
    c = CRC32C.update(c, UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 4)]))
    c = CRC32C.update(
      c, UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<(offset + recordHeaderSize + payloadLength)]))
    return CRC32C.mask(c)
  }

  /// Appends one encoded record to `buffer`.
  static func appendRecord(
    to buffer: inout [UInt8], epoch: UInt64, revision: UInt64, type: UInt16, flags: UInt16,
    batchIndex: UInt32, payload: [UInt8]
  ) {
    let start = buffer.count
    let total = recordSize(payload: payload.count)
    buffer.append(contentsOf: repeatElement(0, count: total))
    put(UInt32(payload.count), &buffer, start)
    put(revision, &buffer, start + 8)
    put(type, &buffer, start + 16)
    put(flags, &buffer, start + 18)
    put(batchIndex, &buffer, start + 20)
    if !payload.isEmpty {
      buffer.replaceSubrange((start + recordHeaderSize)..<(start + recordHeaderSize + payload.count), with: payload)
    }
    let crc = buffer.withUnsafeBytes { recordCRC(epoch: epoch, $0, at: start, payloadLength: payload.count) }
    put(crc, &buffer, start + 4)
  }

  struct RecordView {
    var revision: UInt64
    var type: UInt16
    var flags: UInt16
    var batchIndex: UInt32
    var payloadRange: Range<Int>
    var end: Int
  }

  /// Decodes a record at `offset` if it is complete and valid. Never allocates from the
  /// length field: the length is checked against the bytes actually present first.
  static func decodeRecord(
    _ raw: UnsafeRawBufferPointer, at offset: Int, epoch: UInt64, maxPayload: Int
  ) -> RecordView? {
    guard offset >= 0, raw.count - offset >= recordHeaderSize else { return nil }
    let length = Int(get(UInt32.self, raw, offset))
    guard length <= maxPayload, raw.count - offset - recordHeaderSize >= padded(length) else { return nil }
    // Revisions start at 1: a zero revision is preallocated space, however its checksum reads.
    guard get(UInt64.self, raw, offset + 8) != 0 else { return nil }
    let payloadStart = offset + recordHeaderSize
    let end = payloadStart + padded(length)
    for i in (payloadStart + length)..<end where raw[i] != 0 { return nil }
    guard get(UInt32.self, raw, offset + 4) == recordCRC(epoch: epoch, raw, at: offset, payloadLength: length)
    else { return nil }
    return RecordView(
      revision: get(UInt64.self, raw, offset + 8), type: get(UInt16.self, raw, offset + 16),
      flags: get(UInt16.self, raw, offset + 18), batchIndex: get(UInt32.self, raw, offset + 20),
      payloadRange: payloadStart..<(payloadStart + length), end: end)
  }

  // MARK: snapshots

  static func encodeSnapshot(epoch: UInt64, revision: UInt64, payload: [UInt8]) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: snapshotHeaderSize)
    b.replaceSubrange(0..<8, with: snapshotMagic)
    put(version, &b, 8)
    put(epoch, &b, 16)
    put(revision, &b, 24)
    put(UInt64(payload.count), &b, 32)
    var c = withUnsafeBytes(of: epoch.littleEndian) { CRC32C.update(0, $0) }
    c = withUnsafeBytes(of: revision.littleEndian) { CRC32C.update(c, $0) }
    c = CRC32C.update(c, payload)
    put(CRC32C.mask(c), &b, 40)
    put(CRC32C.mask(CRC32C.update(0, b[0..<44])), &b, 44)
    b.append(contentsOf: payload)
    return b
  }

  /// Returns (epoch, revision, payload) of a whole, valid snapshot file, or why it is not.
  static func decodeSnapshot(_ bytes: [UInt8]) -> Result<(UInt64, UInt64, [UInt8]), SnapshotDefect> {
    guard bytes.count >= snapshotHeaderSize else { return .failure(.init(offset: 0, reason: "shorter than its header")) }
    return bytes.withUnsafeBytes { raw in
      guard raw.prefix(8).elementsEqual(snapshotMagic), get(UInt16.self, raw, 8) == version,
        get(UInt32.self, raw, 44) == CRC32C.mask(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<44])))
      else { return .failure(.init(offset: 0, reason: "bad header")) }
      let epoch = get(UInt64.self, raw, 16)
      let revision = get(UInt64.self, raw, 24)
      let length = get(UInt64.self, raw, 32)
      guard length == UInt64(raw.count - snapshotHeaderSize) else {
        return .failure(.init(offset: 32, reason: "payload length \(length) but \(raw.count - snapshotHeaderSize) bytes follow"))
      }
      var c = withUnsafeBytes(of: epoch.littleEndian) { CRC32C.update(0, $0) }
      c = withUnsafeBytes(of: revision.littleEndian) { CRC32C.update(c, $0) }
      c = CRC32C.update(c, UnsafeRawBufferPointer(rebasing: raw[snapshotHeaderSize...]))
      guard CRC32C.mask(c) == get(UInt32.self, raw, 40) else {
        return .failure(.init(offset: Int64(snapshotHeaderSize), reason: "payload checksum mismatch"))
      }
      return .success((epoch, revision, Array(bytes[snapshotHeaderSize...])))
    }
  }

  struct SnapshotDefect: Error {
    var offset: Int64
    var reason: String
  }
}

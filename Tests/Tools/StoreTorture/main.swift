// onvera-store-torture: drives the store for the kill -9 loop (tools/test.d/20-store-kill9.sh).
//
//   onvera-store-torture run <dir> [writers]   append forever with concurrent writers and a
//                                              snapshot task; print "ACK <revision> <fnv32>" to
//                                              stdout only after the append returned (durable)
//   onvera-store-torture verify <dir> <acks>   recover, check every acknowledged revision is
//                                              there with its payload, revisions contiguous
//
// The state this tool keeps is the list of payload fingerprints by revision, so a snapshot
// and the log together must reproduce every acknowledged fingerprint.
#if canImport(Glibc)
import Glibc
#endif
import Logging
import OnveraStore
import Synchronization

func fnv(_ bytes: [UInt8]) -> UInt32 {
  var h: UInt32 = 2_166_136_261
  for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
  return h
}

func die(_ message: String) -> Never {
  FileHandleWriter.write(2, "onvera-store-torture: \(message)\n")
  exit(1)
}

enum FileHandleWriter {
  /// One write(2) per line, so a SIGKILL never leaves half a line.
  static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
      if n <= 0 { if errno == EINTR { continue }; exit(2) }
      done += n
    }
  }
}

let configuration: Store.Configuration = {
  var c = Store.Configuration()
  c.segmentSize = 256 << 10
  c.maxBatchBytes = 1 << 20
  c.preallocationBytes = 64 << 10
  c.historyWindow = 2_000
  return c
}()

/// Fingerprints by revision: the recovered ones, then the acknowledged ones as they
/// become contiguous (concurrent writers acknowledge out of order).
final class Known: Sendable {
  let state: Mutex<(list: [UInt32], pending: [UInt64: UInt32])>
  init(_ list: [UInt32]) { state = Mutex((list, [:])) }

  /// Prints the acknowledgement (only ever after the append returned) and remembers it.
  func acknowledge(_ revision: UInt64, _ fingerprint: UInt32) {
    FileHandleWriter.write(1, "ACK \(revision) \(fingerprint)\n")
    state.withLock { k in
      k.pending[revision] = fingerprint
      while let next = k.pending.removeValue(forKey: UInt64(k.list.count) + 1) { k.list.append(next) }
    }
  }

  var list: [UInt32] { state.withLock { $0.list } }
}

func encodeState(_ fingerprints: [UInt32]) -> [UInt8] {
  var bytes: [UInt8] = []
  bytes.reserveCapacity(fingerprints.count * 4)
  for f in fingerprints { withUnsafeBytes(of: f.littleEndian) { bytes += $0 } }
  return bytes
}

/// Recovers the directory: fingerprints of revisions 1...head, checking order as it goes.
func recover(_ dir: String) throws -> (Store, [UInt32], UInt64) {
  var fingerprints: [UInt32] = []
  var snapshotRevision: UInt64 = 0
  let logger = Logger(label: "torture")
  let store = try Store.open(
    dataDirectory: dir, configuration: configuration, logger: logger,
    restore: { snapshot in
      snapshotRevision = snapshot.revision
      guard snapshot.bytes.count == Int(snapshot.revision) * 4 else {
        die("snapshot of revision \(snapshot.revision) holds \(snapshot.bytes.count / 4) fingerprints")
      }
      fingerprints = snapshot.bytes.withUnsafeBytes { raw in
        (0..<(raw.count / 4)).map { i -> UInt32 in UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
      }
    },
    replay: { record in
      guard record.revision == UInt64(fingerprints.count) + 1 else {
        die("replay gave revision \(record.revision) after \(fingerprints.count): not strictly increasing by one")
      }
      fingerprints.append(fnv(record.payload))
    })
  return (store, fingerprints, snapshotRevision)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { die("usage: run <dir> [writers] | verify <dir> <acks>") }
let dir = arguments[2]

switch arguments[1] {
case "run":
  let writers = arguments.count > 3 ? Int(arguments[3]) ?? 8 : 8
  let (store, recovered, _) = try recover(dir)
  FileHandleWriter.write(2, "torture: recovered head \(recovered.count), \(writers) writers\n")
  // Fingerprints by revision: the recovered ones, then every acknowledged one.
  let known = Known(recovered)
  await withThrowingTaskGroup(of: Void.self) { group in
    for w in 0..<writers {
      group.addTask {
        var rng = SystemRandomNumberGenerator()
        var n = 0
        while true {
          n += 1
          let count = Int.random(in: 0..<8, using: &rng) == 0 ? Int.random(in: 2...3, using: &rng) : 1
          let records = (0..<count).map { k in
            Record(
              type: UInt16(w),
              payload: Array("w\(w) n\(n) k\(k) ".utf8) + (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
          }
          let range = try await store.append(contentsOf: records)
          for (revision, record) in zip(range, records) { known.acknowledge(revision, fnv(record.payload)) }
        }
      }
    }
    group.addTask {
      // Snapshots keep coming so that kills land in the middle of them too.
      var last: UInt64 = 0
      while true {
        try await Task.sleep(for: .milliseconds(50))
        let list = known.list
        guard UInt64(list.count) > last else { continue }
        last = UInt64(list.count)
        FileHandleWriter.write(2, "torture: snapshot begin \(last)\n")
        try await store.writeSnapshot(at: last, bytes: encodeState(list))
        FileHandleWriter.write(2, "torture: snapshot done \(last)\n")
      }
    }
    do {
      try await group.next()
    } catch {
      die("\(error)")
    }
  }

case "verify":
  guard arguments.count >= 4 else { die("verify needs the acknowledgement file") }
  let (store, fingerprints, snapshotRevision) = try recover(dir)
  await store.close()
  let fd = open(arguments[3], O_RDONLY)
  guard fd >= 0 else { die("cannot open \(arguments[3])") }
  var text: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if n <= 0 { break }
    text += buffer[0..<n]
  }
  close(fd)
  var acknowledged = 0
  var seen: [UInt64: UInt32] = [:]
  var violations = 0
  for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
    let parts = line.split(separator: " ")
    guard parts.count == 3, parts[0] == "ACK", let revision = UInt64(parts[1]), let fingerprint = UInt32(parts[2]) else {
      continue
    }
    acknowledged += 1
    if let earlier = seen[revision], earlier != fingerprint {
      FileHandleWriter.write(2, "VIOLATION: revision \(revision) acknowledged twice with different payloads\n")
      violations += 1
    }
    seen[revision] = fingerprint
    if revision > UInt64(fingerprints.count) {
      FileHandleWriter.write(2, "VIOLATION: acknowledged revision \(revision) lost (recovered head \(fingerprints.count))\n")
      violations += 1
    } else if fingerprints[Int(revision) - 1] != fingerprint {
      FileHandleWriter.write(2, "VIOLATION: revision \(revision) recovered with a different payload\n")
      violations += 1
    }
  }
  print("verify: head \(fingerprints.count), snapshot \(snapshotRevision), \(acknowledged) acknowledgements checked, \(violations) violations")
  exit(violations == 0 ? 0 : 1)

default:
  die("unknown command \(arguments[1])")
}

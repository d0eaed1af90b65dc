#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import OnveraStore

/// An in-memory file system that remembers what is durable and what is not, records every
/// call, can crash at any call with several models of what survives a power cut, and can
/// fail chosen calls.
final class SimulatedFileSystem: FileSystem {
  /// What survives a crash.
  enum CrashModel: CaseIterable, Sendable, CustomStringConvertible {
    /// Only synced data; directory operations survive.
    case dropUnsynced
    /// Synced data plus a random subset of the unsynced 512-byte sectors.
    case keepRandomSectors
    /// Everything written, except that the last write is cut at a random byte.
    case tearLastWrite
    /// All data written survives, but creations, renames and unlinks since the last
    /// directory sync are undone.
    case undoDirectoryOperations

    var description: String {
      switch self {
      case .dropUnsynced: "dropUnsynced"
      case .keepRandomSectors: "keepRandomSectors"
      case .tearLastWrite: "tearLastWrite"
      case .undoDirectoryOperations: "undoDirectoryOperations"
      }
    }
  }

  /// Calls that can be failed on purpose.
  enum Call: Hashable, Sendable {
    case open, pwrite, fdatasync, fsync, truncate, rename, unlink, syncDirectory
  }

  enum Fault: Sendable {
    case error(Int32)
    /// Writes half the bytes and reports that.
    case shortWrite
  }

  struct Inode {
    var data: [UInt8] = []
    var durable: [UInt8] = []
    var dirty = false
  }

  struct State {
    var inodes: [Int: Inode] = [:]
    var nextInode = 1
    var entries: [String: Int] = [:]
    var durableEntries: [String: Int] = [:]
    var directories: Set<String> = []
    var fds: [Int32: (inode: Int, path: String)] = [:]
    var nextFD: Int32 = 3
    var locks: [String: Int32] = [:]
    var operations: [String] = []
    var mutations = 0
    var crashAfter: Int?
    var crashed = false
    var faults: [Call: [Int: Fault]] = [:]
    var calls: [Call: Int] = [:]
    var lastWrite: (inode: Int, offset: Int, length: Int)?
    var available = Int64.max
    var failingPaths: Set<String> = []
  }

  let state: Mutex<State>

  init() { state = Mutex(State()) }
  private init(_ s: State) { state = Mutex(s) }

  // MARK: test controls

  /// Crash right before mutating call number `n` (0-based): it and everything after fail with EIO.
  func crash(afterMutations n: Int) { state.withLock { $0.crashAfter = n } }
  /// Fails the `occurrence`-th (1-based) call of `call`.
  func inject(_ fault: Fault, on call: Call, occurrence: Int) {
    state.withLock { $0.faults[call, default: [:]][occurrence] = fault }
  }
  /// What ``availableBytes(_:)`` reports (unlimited by default; writes never run out).
  var available: Int64 {
    get { state.withLock { $0.available } }
    set { state.withLock { $0.available = newValue } }
  }
  /// Fails every later pwrite to the file at `path` with EIO.
  func failWrites(to path: String) { state.withLock { _ = $0.failingPaths.insert(path) } }
  var mutationCount: Int { state.withLock { $0.mutations } }
  var crashed: Bool { state.withLock { $0.crashed } }
  var operations: [String] { state.withLock { $0.operations } }

  /// The files (current view) under `dir`, name to contents.
  func files(in dir: String) -> [String: [UInt8]] {
    state.withLock { s in
      var result: [String: [UInt8]] = [:]
      for (p, i) in s.entries where parent(p) == dir { result[String(p.dropFirst(dir.count + 1))] = s.inodes[i]!.data }
      return result
    }
  }

  func contents(_ path: String) -> [UInt8]? {
    state.withLock { s in s.entries[path].map { s.inodes[$0]!.data } }
  }

  /// Replaces a file's contents as if it had always been so (durable, no crash window).
  func setContents(_ path: String, _ bytes: [UInt8]) {
    state.withLock { s in
      if let i = s.entries[path] {
        s.inodes[i]!.data = bytes
        s.inodes[i]!.durable = bytes
      } else {
        let i = s.nextInode
        s.nextInode += 1
        s.inodes[i] = Inode(data: bytes, durable: bytes)
        s.entries[path] = i
        s.durableEntries[path] = i
      }
    }
  }

  func remove(_ path: String) {
    state.withLock { s in
      s.entries[path] = nil
      s.durableEntries[path] = nil
    }
  }

  /// The disk as it would be found after a power cut at the crash point, under `model`.
  func crashImage(_ model: CrashModel, seed: UInt64) -> SimulatedFileSystem {
    var rng = SeededRandom(seed: seed)
    let s = state.withLock { $0 }
    var image = State()
    image.directories = s.directories
    image.nextInode = s.nextInode
    image.entries = model == .undoDirectoryOperations ? s.durableEntries : s.entries
    image.durableEntries = image.entries
    for (id, inode) in s.inodes {
      var data: [UInt8]
      switch model {
      case .dropUnsynced:
        data = inode.durable
      case .undoDirectoryOperations:
        data = inode.data
      case .tearLastWrite:
        data = inode.data
        if let w = s.lastWrite, w.inode == id, inode.dirty, w.length > 0 {
          let keep = Int.random(in: 0..<w.length, using: &rng)
          let cut = w.offset + keep
          // Bytes of the torn write beyond `keep` go back to what the disk had before.
          for i in cut..<(w.offset + w.length) where i < data.count {
            data[i] = i < inode.durable.count ? inode.durable[i] : 0
          }
          let size = max(inode.durable.count, cut)
          if data.count > size && w.offset + w.length >= data.count { data.removeLast(data.count - size) }
        }
      case .keepRandomSectors:
        data = inode.durable
        if inode.dirty {
          let sector = 512
          var size = inode.durable.count
          if data.count < inode.data.count { data += [UInt8](repeating: 0, count: inode.data.count - data.count) }
          var start = 0
          while start < inode.data.count {
            let end = min(start + sector, inode.data.count)
            let changed = start >= inode.durable.count || inode.data[start..<end] != inode.durable[start..<min(end, inode.durable.count)]
            if changed && Bool.random(using: &rng) {
              data.replaceSubrange(start..<end, with: inode.data[start..<end])
              size = max(size, end)
            }
            start = end
          }
          if inode.data.count < inode.durable.count && Bool.random(using: &rng) { size = inode.data.count }
          data = Array(data.prefix(size))
        }
      }
      image.inodes[id] = Inode(data: data, durable: data, dirty: false)
    }
    return SimulatedFileSystem(image)
  }

  // MARK: FileSystem

  private func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }

  /// Bookkeeping shared by every mutating call: crash point, injected fault, log.
  private func mutate(_ s: inout State, _ call: Call, _ text: String) throws -> Fault? {
    if s.crashed { throw FileSystemError(errno: EIO, operation: text, path: "(crashed)") }
    if let n = s.crashAfter, s.mutations >= n {
      s.crashed = true
      throw FileSystemError(errno: EIO, operation: text, path: "(crashed)")
    }
    s.mutations += 1
    s.calls[call, default: 0] += 1
    s.operations.append(text)
    if let fault = s.faults[call]?[s.calls[call]!] {
      if case .error(let e) = fault { throw FileSystemError(errno: e, operation: text, path: "(injected)") }
      return fault
    }
    return nil
  }

  private func check(_ s: State, _ text: String) throws {
    if s.crashed { throw FileSystemError(errno: EIO, operation: text, path: "(crashed)") }
  }

  func makeDirectory(_ path: String) throws {
    try state.withLock { s in
      try check(s, "mkdir")
      s.directories.insert(path)
    }
  }

  func list(_ directory: String) throws -> [String] {
    try state.withLock { s in
      try check(s, "list")
      guard s.directories.contains(directory) else { throw FileSystemError(errno: ENOENT, operation: "list", path: directory) }
      return s.entries.keys.filter { parent($0) == directory }.map { String($0.dropFirst(directory.count + 1)) }.sorted()
    }
  }

  func open(_ path: String, mode: OpenMode) throws -> Int32 {
    try state.withLock { s in
      let inode: Int
      switch mode {
      case .readOnly, .readWrite:
        try check(s, "open")
        guard let i = s.entries[path] else { throw FileSystemError(errno: ENOENT, operation: "open", path: path) }
        inode = i
      case .createTruncate:
        _ = try mutate(&s, .open, "create \(path)")
        if let i = s.entries[path] {
          inode = i
          if !s.inodes[i]!.data.isEmpty {
            s.inodes[i]!.data = []
            s.inodes[i]!.dirty = true
          }
        } else {
          inode = s.nextInode
          s.nextInode += 1
          s.inodes[inode] = Inode()
          s.entries[path] = inode
        }
      }
      let fd = s.nextFD
      s.nextFD += 1
      s.fds[fd] = (inode, path)
      return fd
    }
  }

  func close(_ fd: Int32) {
    state.withLock { _ = $0.fds.removeValue(forKey: fd) }
  }

  private func file(_ s: State, _ fd: Int32) throws -> (inode: Int, path: String) {
    guard let f = s.fds[fd] else { throw FileSystemError(errno: EBADF, operation: "fd", path: "\(fd)") }
    return f
  }

  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    try state.withLock { s in
      let f = try file(s, fd)
      let fault = try mutate(&s, .pwrite, "pwrite \(f.path) @\(offset) +\(bytes.count)")
      if s.failingPaths.contains(f.path) { throw FileSystemError(errno: EIO, operation: "pwrite", path: f.path) }
      var n = bytes.count
      if case .shortWrite = fault { n = bytes.count / 2 }
      let o = Int(offset)
      var data = s.inodes[f.inode]!.data
      if data.count < o + n { data += [UInt8](repeating: 0, count: o + n - data.count) }
      for i in 0..<n { data[o + i] = bytes[i] }
      s.inodes[f.inode]!.data = data
      s.inodes[f.inode]!.dirty = true
      s.lastWrite = (f.inode, o, n)
      return n
    }
  }

  func pread(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8] {
    try state.withLock { s in
      try check(s, "pread")
      let f = try file(s, fd)
      let data = s.inodes[f.inode]!.data
      let start = min(Int(offset), data.count)
      return Array(data[start..<min(data.count, start + count)])
    }
  }

  private func sync(_ fd: Int32, _ call: Call) throws {
    try state.withLock { s in
      let f = try file(s, fd)
      _ = try mutate(&s, call, "\(call) \(f.path)")
      s.inodes[f.inode]!.durable = s.inodes[f.inode]!.data
      s.inodes[f.inode]!.dirty = false
    }
  }

  func fdatasync(_ fd: Int32) throws { try sync(fd, .fdatasync) }
  func fsync(_ fd: Int32) throws { try sync(fd, .fsync) }

  func size(_ fd: Int32) throws -> Int64 {
    try state.withLock { s in
      try check(s, "size")
      return Int64(s.inodes[try file(s, fd).inode]!.data.count)
    }
  }

  func truncate(_ fd: Int32, to size: Int64) throws {
    try state.withLock { s in
      let f = try file(s, fd)
      _ = try mutate(&s, .truncate, "truncate \(f.path) \(size)")
      var data = s.inodes[f.inode]!.data
      if data.count > Int(size) { data.removeLast(data.count - Int(size)) } else {
        data += [UInt8](repeating: 0, count: Int(size) - data.count)
      }
      s.inodes[f.inode]!.data = data
      s.inodes[f.inode]!.dirty = true
    }
  }

  func rename(_ from: String, to: String) throws {
    try state.withLock { s in
      _ = try mutate(&s, .rename, "rename \(from) \(to)")
      guard let i = s.entries.removeValue(forKey: from) else {
        throw FileSystemError(errno: ENOENT, operation: "rename", path: from)
      }
      s.entries[to] = i
    }
  }

  func unlink(_ path: String) throws {
    try state.withLock { s in
      _ = try mutate(&s, .unlink, "unlink \(path)")
      guard s.entries.removeValue(forKey: path) != nil else {
        throw FileSystemError(errno: ENOENT, operation: "unlink", path: path)
      }
    }
  }

  func syncDirectory(_ path: String) throws {
    try state.withLock { s in
      _ = try mutate(&s, .syncDirectory, "syncDirectory \(path)")
      for p in s.durableEntries.keys where parent(p) == path { s.durableEntries[p] = nil }
      for (p, i) in s.entries where parent(p) == path { s.durableEntries[p] = i }
    }
  }

  func availableBytes(_ path: String) throws -> Int64 {
    try state.withLock { s in
      try check(s, "availableBytes")
      return s.available
    }
  }

  func lock(_ path: String) throws -> Int32 {
    try state.withLock { s in
      try check(s, "lock")
      if let holder = s.locks[path] {
        throw FileSystemError(errno: EWOULDBLOCK, operation: "flock", path: path, detail: "held by pid \(getpid()) (fd \(holder))")
      }
      if s.entries[path] == nil {
        let i = s.nextInode
        s.nextInode += 1
        s.inodes[i] = Inode(data: Array("\(getpid())\n".utf8), durable: [], dirty: true)
        s.entries[path] = i
      }
      let fd = s.nextFD
      s.nextFD += 1
      s.locks[path] = fd
      return fd
    }
  }

  func unlock(_ fd: Int32) {
    state.withLock { s in
      for (p, f) in s.locks where f == fd { s.locks[p] = nil }
    }
  }
}

/// SplitMix64: small, fast and reproducible from a seed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

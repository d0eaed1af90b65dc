#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed file-system call: which call, on which path, and the errno it returned.
package struct FileSystemError: Error, Sendable, CustomStringConvertible {
  /// The errno value (EIO, ENOSPC, ...); for a short write, the one writing the rest gave
  /// (0 if that went through).
  package var errno: Int32
  /// The call that failed, e.g. "fdatasync".
  package var operation: String
  /// The path the call was about.
  package var path: String
  /// Extra words, for example the pid holding a lock.
  package var detail: String

  package init(errno: Int32, operation: String, path: String, detail: String = "") {
    self.errno = errno
    self.operation = operation
    self.path = path
    self.detail = detail
  }

  package var description: String {
    let reason = errno == 0 ? "" : String(cString: strerror(errno))
    let words = [reason, detail].filter { !$0.isEmpty }.joined(separator: " ")
    return "\(operation)(\(path)) failed: \(words)"
  }
}

/// How ``FileSystem/open(_:mode:)`` opens a file.
package enum OpenMode: Sendable {
  /// Read only; the file must exist.
  case readOnly
  /// Read and write; the file must exist.
  case readWrite
  /// Read and write, created if missing and truncated to zero length.
  case createTruncate
}

/// The seam between the store and the operating system.
///
/// Production uses ``PosixFileSystem``; the tests use a simulated layer that records
/// every call, can lose unsynced data the way a power cut does, and can fail any call.
/// Descriptors are plain integers owned by the implementation.
package protocol FileSystem: Sendable {
  func makeDirectory(_ path: String) throws
  func list(_ directory: String) throws -> [String]
  func open(_ path: String, mode: OpenMode) throws -> Int32
  func close(_ fd: Int32)
  /// Writes at `offset`; returns how many bytes were written (may be short).
  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int
  /// Reads up to `count` bytes at `offset`; fewer only at end of file.
  func pread(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8]
  func fdatasync(_ fd: Int32) throws
  func fsync(_ fd: Int32) throws
  func size(_ fd: Int32) throws -> Int64
  func truncate(_ fd: Int32, to size: Int64) throws
  func rename(_ from: String, to: String) throws
  func unlink(_ path: String) throws
  /// fsyncs the directory itself, making creations, renames and unlinks in it durable.
  func syncDirectory(_ path: String) throws
  /// Bytes an unprivileged writer may still use on the file system holding `path`.
  func availableBytes(_ path: String) throws -> Int64
  /// Takes an exclusive lock on `path` (created if missing) and writes our pid into it.
  /// Fails with a message naming the holder's pid if someone else has it.
  func lock(_ path: String) throws -> Int32
  func unlock(_ fd: Int32)
}

extension FileSystem {
  /// Reads the whole file at `path`.
  func readFile(_ path: String) throws -> [UInt8] {
    let fd = try open(path, mode: .readOnly)
    defer { close(fd) }
    let n = try size(fd)
    return try pread(fd, count: Int(n), at: 0)
  }

  /// Writes `bytes` to a new file at `path` (replacing it) and fsyncs it. No directory sync.
  func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = try open(path, mode: .createTruncate)
    defer { close(fd) }
    try writeAll(fd, bytes, at: 0, path: path)
    try fsync(fd)
  }

  /// A write that must land whole: a short write is an error (the store fails), because
  /// what reached the disk is then unknown. The rest is written once more only to learn why
  /// the write stopped (a full disk says ENOSPC only on the next call), for the message.
  func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws {
    let n = try bytes.withUnsafeBytes { try pwrite(fd, $0, at: offset) }
    if n != bytes.count {
      var reason: Int32 = 0
      if n >= 0 && n < bytes.count {
        do {
          _ = try bytes.withUnsafeBytes { try pwrite(fd, UnsafeRawBufferPointer(rebasing: $0[n...]), at: offset + Int64(n)) }
        } catch let error as FileSystemError {
          reason = error.errno
        }
      }
      throw FileSystemError(
        errno: reason, operation: "pwrite", path: path,
        detail: "(short write: \(n) of \(bytes.count) bytes at offset \(offset))")
    }
  }
}

/// The real file system through Glibc.
package struct PosixFileSystem: FileSystem {
  package init() {}

  private func fail(_ op: String, _ path: String) -> FileSystemError {
    FileSystemError(errno: Glibc.errno, operation: op, path: path)
  }

  package func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && Glibc.errno != EEXIST { throw fail("mkdir", path) }
  }

  package func list(_ directory: String) throws -> [String] {
    guard let dir = opendir(directory) else { throw fail("opendir", directory) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  package func open(_ path: String, mode: OpenMode) throws -> Int32 {
    let flags: Int32
    switch mode {
    case .readOnly: flags = O_RDONLY
    case .readWrite: flags = O_RDWR
    case .createTruncate: flags = O_RDWR | O_CREAT | O_TRUNC
    }
    let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
    if fd < 0 { throw fail("open", path) }
    return fd
  }

  package func close(_ fd: Int32) { _ = Glibc.close(fd) }

  package func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    while true {
      let n = Glibc.pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset))
      if n >= 0 { return n }
      // EINTR means nothing was written; repeating the call is not an fsync retry.
      if Glibc.errno != EINTR { throw fail("pwrite", "fd \(fd)") }
    }
  }

  package func pread(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8] {
    var result = [UInt8](repeating: 0, count: count)
    var done = 0
    try result.withUnsafeMutableBytes { buffer in
      while done < count {
        let n = Glibc.pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        if n < 0 {
          if Glibc.errno == EINTR { continue }
          throw fail("pread", "fd \(fd)")
        }
        if n == 0 { break }
        done += n
      }
    }
    if done < count { result.removeLast(count - done) }
    return result
  }

  package func fdatasync(_ fd: Int32) throws {
    if Glibc.fdatasync(fd) != 0 { throw fail("fdatasync", "fd \(fd)") }
  }

  package func fsync(_ fd: Int32) throws {
    if Glibc.fsync(fd) != 0 { throw fail("fsync", "fd \(fd)") }
  }

  package func size(_ fd: Int32) throws -> Int64 {
    var st = stat()
    if fstat(fd, &st) != 0 { throw fail("fstat", "fd \(fd)") }
    return Int64(st.st_size)
  }

  package func truncate(_ fd: Int32, to size: Int64) throws {
    if ftruncate(fd, off_t(size)) != 0 { throw fail("ftruncate", "fd \(fd)") }
  }

  package func rename(_ from: String, to: String) throws {
    if Glibc.rename(from, to) != 0 { throw fail("rename", "\(from) -> \(to)") }
  }

  package func unlink(_ path: String) throws {
    if Glibc.unlink(path) != 0 { throw fail("unlink", path) }
  }

  package func syncDirectory(_ path: String) throws {
    let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw fail("open", path) }
    defer { _ = Glibc.close(fd) }
    if Glibc.fsync(fd) != 0 { throw fail("fsync", path) }
  }

  package func availableBytes(_ path: String) throws -> Int64 {
    var st = statvfs()
    if statvfs(path, &st) != 0 { throw fail("statvfs", path) }
    return Int64(st.f_bavail) * Int64(st.f_frsize)
  }

  package func lock(_ path: String) throws -> Int32 {
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    if fd < 0 { throw fail("open", path) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let err = Glibc.errno
      let holder = (try? pread(fd, count: 32, at: 0)).map { String(decoding: $0, as: UTF8.self) } ?? ""
      _ = Glibc.close(fd)
      let pid = holder.trimmingSpaces()
      throw FileSystemError(
        errno: err, operation: "flock", path: path,
        detail: "held by pid \(pid.isEmpty ? "unknown" : pid)")
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress, $0.count, 0) }
    return fd
  }

  package func unlock(_ fd: Int32) {
    _ = flock(fd, LOCK_UN)
    _ = Glibc.close(fd)
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace || c == "\0" { s.removeFirst() }
    while let c = s.last, c.isWhitespace || c == "\0" { s.removeLast() }
    return String(s)
  }
}

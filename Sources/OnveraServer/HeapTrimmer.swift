import CMalloc
import Dispatch
import Glibc
import Synchronization

/// Gives the allocator's free memory back to the system once it has piled up.
///
/// glibc keeps what a burst freed in its arenas: after 10,000 connections come and go, the
/// server holds about 300 MiB of which 20 MiB are in use, and a later burst, allocated from
/// other threads' arenas, does not reuse all of it, so each burst can leave the process larger.
/// Every `interval`, on its own thread (not the event loops or the cooperative pool), this checks
/// the allocator's figures and, when the process's resident memory exceeds what is in use by more
/// than `threshold` and more is free than in use, calls `malloc_trim`, which returns the free
/// pages to the system. (Trimmed chunks stay on the allocator's free lists, so its free figure
/// alone would call for a trim every time.)
final class HeapTrimmer: Sendable {
  struct Usage: Sendable {
    /// Bytes allocated and not freed (including large blocks mapped on their own).
    var inUse: Int
    /// Bytes freed and kept by the allocator.
    var free: Int
  }

  private let interval: Duration
  private let threshold: Int
  private let queue = DispatchQueue(label: "onvera.heap-trimmer")
  private let state = Mutex<(running: Bool, trims: Int)>((false, 0))

  init(interval: Duration = .seconds(2), threshold: Int = 32 * 1024 * 1024) {
    self.interval = interval
    self.threshold = threshold
  }

  /// The allocator's figures now (summed over its arenas).
  static func usage() -> Usage {
    let info = mallinfo2()
    return Usage(inUse: Int(info.uordblks) + Int(info.hblkhd), free: Int(info.fordblks))
  }

  /// The process's resident set (from /proc/self/statm), or nil if it cannot be read.
  static func residentBytes() -> Int? {
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return nil }
    // "size resident shared text lib data dt", in pages.
    let fields = buffer[..<n].split(separator: UInt8(ascii: " "))
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// How many times it trimmed.
  var trims: Int { state.withLock { $0.trims } }

  func start() {
    let wasRunning = state.withLock { state -> Bool in
      defer { state.running = true }
      return state.running
    }
    if !wasRunning { schedule() }
  }

  func stop() {
    state.withLock { $0.running = false }
  }

  /// Trims now if it is worth it; true if it did.
  @discardableResult
  func check() -> Bool {
    let usage = Self.usage()
    guard usage.free > usage.inUse, let resident = Self.residentBytes(), resident - usage.inUse >= threshold else {
      return false
    }
    malloc_trim(0)
    state.withLock { $0.trims += 1 }
    return true
  }

  private func schedule() {
    queue.asyncAfter(deadline: .now() + .nanoseconds(Int(interval.nanoseconds))) { [self] in
      guard state.withLock({ $0.running }) else { return }
      check()
      schedule()
    }
  }
}

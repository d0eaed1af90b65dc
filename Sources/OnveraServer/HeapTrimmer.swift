import CMalloc
import Dispatch
import Glibc
import Synchronization

/// Gives the allocator's free memory back to the system once a burst is over.
///
/// glibc keeps what a burst freed in its arenas: after 10,000 connections come and go, the
/// server holds about 300 MiB of which 20 MiB are in use, and a later burst, allocated from
/// other threads' arenas, does not reuse all of it, so each burst can leave the process larger.
/// `malloc_trim` returns the free pages to the system.
///
/// Looking at the heap is not free: both `mallinfo2` (how much is free) and `malloc_trim` walk
/// every free chunk with its arena locked, and every thread allocating from that arena waits.
/// After a burst that is hundreds of thousands of chunks (400 MiB in 200,000 chunks: 32 ms for
/// each call), so a trimmer that looked every few seconds stalled the whole server under load.
/// This one reads only cheap figures every `interval`, on its own thread (not the event loops
/// or the cooperative pool): the resident set (/proc/self/statm) and the caller's `activity`
/// (open connections and calls). It walks the heap (a *look*) only when resident memory did
/// not grow (by more than `threshold` / 16) in the last interval (a burst that is still growing would only refill what a trim
/// returned, and would wait for it), at least `spacing` intervals after the last look, and
/// either
/// - activity fell to half its peak since the last look at a burst's end and stopped falling (the burst's
///   connections and calls are gone) with resident memory `threshold` above where the last
///   trim left it, or
/// - `fallback` intervals have passed since the last look and resident memory grew by
///   `threshold` since (free memory piling up under steady load).
///
/// A look trims when more is free than in use and resident memory exceeds what is in use by
/// `threshold`. (Trimmed chunks stay on the allocator's free lists, so its free figure alone
/// would call for a trim every time.)
final class HeapTrimmer: Sendable {
  struct Usage: Sendable, Equatable {
    /// Bytes allocated and not freed (including large blocks mapped on their own).
    var inUse: Int
    /// Bytes freed and kept by the allocator.
    var free: Int
  }

  /// When to look at the heap, from the cheap figures (see ``HeapTrimmer``). A value with no
  /// clock or I/O, so its decisions can be checked figure by figure.
  struct Policy: Sendable {
    let threshold: Int
    let fallback: Int
    let spacing: Int
    /// Resident bytes after the last trim at a burst's end, or the lowest since.
    private(set) var floor: Int?
    /// Resident bytes at the last look.
    private var lookedAt = 0
    private var lastResident = 0
    private var lastActivity = 0
    /// The highest activity since the last look at a burst's end (a fallback look under load
    /// keeps it: the burst it belongs to has not ended).
    private var peakActivity = 0
    private var sinceLook = 0

    /// Why the heap is looked at.
    enum Look: Sendable {
      /// A burst is over: what it freed can go back to the system.
      case burstEnd
      /// Grown under load for `fallback` intervals, or asked for directly.
      case other
    }

    init(threshold: Int, fallback: Int, spacing: Int) {
      self.threshold = threshold
      self.fallback = fallback
      self.spacing = spacing
    }

    /// One interval's figures; why the heap is worth a look now, or nil.
    mutating func shouldLook(resident: Int, activity: Int) -> Look? {
      defer {
        lastResident = resident
        lastActivity = activity
      }
      guard let floor else {  // the first figures: the starting point
        self.floor = resident
        lookedAt = resident
        peakActivity = activity
        return nil
      }
      sinceLook += 1
      peakActivity = max(peakActivity, activity)
      let lowest = min(floor, resident)
      self.floor = lowest
      // Still growing (by more than the odd page a quiet server touches), or just looked.
      guard resident <= lastResident + threshold / 16, sinceLook >= spacing else { return nil }
      // A burst is over: its connections and calls are gone (and no longer going: while
      // thousands close, their threads free into the arenas a look would lock).
      if activity * 2 <= peakActivity && activity >= lastActivity - lastActivity / 8 && resident - lowest >= threshold {
        return .burstEnd
      }
      return sinceLook >= fallback && resident - lookedAt >= threshold ? .other : nil  // or grown under load
    }

    /// After a look at `usage`, made for `look`: true when it is worth a trim.
    mutating func looked(at usage: Usage, resident: Int, activity: Int, for look: Look) -> Bool {
      sinceLook = 0
      if look == .burstEnd { peakActivity = activity }
      lookedAt = resident
      return usage.free > usage.inUse && resident - usage.inUse >= threshold
    }

    /// After a trim that left `resident` bytes. Only a trim at a burst's end sets the floor: one
    /// under load (the fallback) leaves the burst's memory in use, and what the burst's end
    /// frees is then measured from where the burst began, not from that trim.
    mutating func trimmed(resident: Int, after look: Look) {
      if look == .burstEnd { floor = resident }
      lookedAt = resident
      lastResident = resident
    }
  }

  /// What walked the allocator's free lists (and for how long every allocating thread of an
  /// arena may have waited).
  enum Walk: Sendable { case look, trim }

  private struct State {
    var running = false
    var policy: Policy
    var activity: @Sendable () -> Int = { 0 }
    var walked: @Sendable (Walk, Duration) -> Void = { _, _ in }
    var trims = 0
    var looks = 0
    var lastUsage: Usage?
  }

  private let interval: Duration
  private let queue = DispatchQueue(label: "onvera.heap-trimmer")
  private let state: Mutex<State>

  /// - Parameters:
  ///   - interval: How often the cheap figures are read.
  ///   - threshold: Resident memory above what is in use that is worth a trim.
  ///   - fallback: Intervals after which the heap is looked at even though activity did not fall.
  ///   - spacing: Intervals at least between two looks.
  init(interval: Duration = .milliseconds(500), threshold: Int = 32 * 1024 * 1024, fallback: Int = 120, spacing: Int = 10) {
    self.interval = interval
    self.state = Mutex(State(policy: Policy(threshold: threshold, fallback: fallback, spacing: spacing)))
  }

  /// The allocator's figures now (summed over its arenas). Walks every free chunk with its
  /// arena locked: see ``HeapTrimmer``.
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

  /// How many times it looked at the heap (a trim or not).
  var looks: Int { state.withLock { $0.looks } }

  /// The figures of the last look, if any: the allocator's in-use and free bytes then.
  var lastUsage: Usage? { state.withLock { $0.lastUsage } }

  /// Starts the periodic checks, with `activity` the server's load now (e.g. open connections
  /// plus calls in flight), read once an interval; `walked` hears how long each look and trim
  /// took.
  func start(
    activity: @escaping @Sendable () -> Int = { 0 },
    walked: @escaping @Sendable (Walk, Duration) -> Void = { _, _ in }
  ) {
    let wasRunning = state.withLock { state -> Bool in
      defer {
        state.running = true
        state.activity = activity
        state.walked = walked
      }
      return state.running
    }
    guard !wasRunning else { return }
    check()  // the first figures, on start: a small heap, a quick look
    schedule()
  }

  func stop() {
    state.withLock { $0.running = false }
  }

  /// Looks at the heap now and trims if it is worth it; true if it did.
  @discardableResult
  func check(_ look: Policy.Look = .other) -> Bool {
    let clock = ContinuousClock()
    let lookStart = clock.now
    let usage = Self.usage()
    let lookTime = clock.now - lookStart
    let resident = Self.residentBytes() ?? 0
    let (activityNow, walked) = state.withLock { ($0.activity, $0.walked) }
    let activity = activityNow()
    walked(.look, lookTime)
    let worth = state.withLock { state in
      state.looks += 1
      state.lastUsage = usage
      return state.policy.looked(at: usage, resident: resident, activity: activity, for: look)
    }
    guard worth else { return false }
    let trimStart = clock.now
    malloc_trim(0)
    walked(.trim, clock.now - trimStart)
    let after = Self.residentBytes() ?? resident
    state.withLock { state in
      state.trims += 1
      state.policy.trimmed(resident: after, after: look)
    }
    return true
  }

  /// One interval: the cheap figures, and a look if the policy calls for one.
  func tick() {
    guard let resident = Self.residentBytes() else { return }
    let activity = state.withLock { $0.activity }()
    if let look = state.withLock({ $0.policy.shouldLook(resident: resident, activity: activity) }) {
      check(look)
    }
  }

  private func schedule() {
    queue.asyncAfter(deadline: .now() + .nanoseconds(Int(interval.nanoseconds))) { [self] in
      guard state.withLock({ $0.running }) else { return }
      tick()
      schedule()
    }
  }
}

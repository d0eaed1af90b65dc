import Testing

@testable import OnveraServer

@Suite struct HeapTrimmerTests {
  /// 96 MiB in 1 KiB blocks, then all freed but every 64th: the blocks still in use pin the
  /// heap, so glibc cannot give the rest back by itself. A trim must return most of it.
  @Test func trimGivesFreedMemoryBackToTheSystem() throws {
    let count = 96 * 1024
    var blocks: [UnsafeMutableRawPointer] = []
    blocks.reserveCapacity(count)
    for _ in 0..<count {
      let block = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
      block.initializeMemory(as: UInt8.self, repeating: 1, count: 1024)  // resident
      blocks.append(block)
    }
    for (i, block) in blocks.enumerated() where i % 64 != 0 { block.deallocate() }
    defer { for (i, block) in blocks.enumerated() where i % 64 == 0 { block.deallocate() } }

    let before = try #require(HeapTrimmer.residentBytes())
    let trimmer = HeapTrimmer(threshold: 32 * 1024 * 1024)
    #expect(trimmer.check(), "over 90 MiB free and resident: a trim is due")
    let after = try #require(HeapTrimmer.residentBytes())
    #expect(before - after > 48 * 1024 * 1024, "resident \(before >> 20) MiB before, \(after >> 20) MiB after")
    #expect(trimmer.trims == 1)
  }

  static let mib = 1024 * 1024

  /// A policy fed figures in MiB.
  struct Feed {
    var policy: HeapTrimmer.Policy
    /// Why the last interval looked (what the following look and trim were made for).
    var look = HeapTrimmer.Policy.Look.other
    init(fallback: Int = 60, spacing: Int = 5) {
      policy = HeapTrimmer.Policy(threshold: 32 * HeapTrimmerTests.mib, fallback: fallback, spacing: spacing)
    }
    /// Its decision (look or not) for each interval's (resident MiB, activity).
    mutating func decide(_ figures: [(resident: Int, activity: Int)]) -> [Bool] {
      figures.map { figures in
        let look = policy.shouldLook(resident: figures.resident * HeapTrimmerTests.mib, activity: figures.activity)
        if let look { self.look = look }
        return look != nil
      }
    }
    /// How many of `intervals` intervals with the same figures it looks in.
    mutating func looks(in intervals: Int, _ resident: Int, _ activity: Int) -> Int {
      decide(Array(repeating: (resident, activity), count: intervals)).filter { $0 }.count
    }
    /// A look that found `inUseMiB` in use and `freeMiB` free: true if worth a trim.
    mutating func looked(inUse inUseMiB: Int, free freeMiB: Int, resident residentMiB: Int, activity: Int) -> Bool {
      policy.looked(
        at: .init(inUse: inUseMiB * HeapTrimmerTests.mib, free: freeMiB * HeapTrimmerTests.mib),
        resident: residentMiB * HeapTrimmerTests.mib, activity: activity, for: look)
    }
    /// A trim after that look that left `resident` bytes.
    mutating func trimmed(resident: Int) { policy.trimmed(resident: resident, after: look) }
  }

  /// The figures of a burst of connections: memory grows with them, stays while they are open,
  /// and the heap is looked at once they are gone, not before.
  @Test func looksOnlyOnceABurstIsOver() {
    var feed = Feed()
    // The starting point; 10,000 connections arrive, memory grows, then steady; then they
    // leave (activity under half its peak; memory does not fall by itself): no look while
    // thousands are still closing, one once they are gone.
    let decisions = feed.decide([
      (30, 5), (80, 4_000), (150, 9_000), (200, 10_005), (200, 10_005), (201, 10_005), (201, 4_000), (201, 3_900),
    ])
    #expect(decisions == [false, false, false, false, false, false, false, true])
    let trim = feed.looked(inUse: 40, free: 150, resident: 201, activity: 5)
    #expect(trim, "150 MiB free of 201 resident, 40 in use: worth a trim")
    feed.trimmed(resident: 45 * Self.mib)
    #expect(feed.policy.floor == 45 * Self.mib)
    let quiet = feed.looks(in: 100, 46, 5)
    #expect(quiet == 0, "quiet, nothing new to free")
  }

  @Test func doesNotLookWhileMemoryIsStillGrowing() {
    var feed = Feed(spacing: 1)
    // Activity has fallen (calls ended) but memory is still climbing: a look once it stopped
    // growing (but for a page or so).
    let decisions = feed.decide([(30, 1_000), (90, 100), (95, 100), (96, 100)])
    #expect(decisions == [false, false, false, true])
  }

  /// Under steady load memory can pile up with no fall in activity: a look after `fallback`
  /// intervals, and one that finds little free is not repeated until memory grows again.
  @Test func steadyLoadIsLookedAtAfterTheFallbackOnly() {
    var feed = Feed(fallback: 10)
    let first = feed.decide([(30, 500)] + Array(repeating: (100, 500), count: 10))
    #expect(first == Array(repeating: false, count: 10) + [true], "the fallback, not before")
    let trim = feed.looked(inUse: 85, free: 10, resident: 100, activity: 500)
    #expect(!trim, "85 of 100 MiB in use: nothing worth a trim")
    let after = feed.looks(in: 50, 110, 500)
    #expect(after == 0, "grown by less than the threshold since the look")
    let grown = feed.decide([(140, 500), (140, 500)])
    #expect(grown == [false, true], "40 MiB more: once it stopped growing, the fallback again")
  }

  /// Memory that steady load keeps in use does not hide what its end frees: once activity
  /// falls, the heap is looked at though a look just before found nothing to free.
  @Test func looksWhenLoadEndsThoughTheLastLookFoundNothing() {
    var feed = Feed(fallback: 10)
    let load = feed.decide([(30, 10)] + stride(from: 40, through: 400, by: 40).map { ($0, 10_000) } + [(400, 10_000)])
    #expect(load == Array(repeating: false, count: 11) + [true], "growing, then the fallback")
    let trim = feed.looked(inUse: 380, free: 5, resident: 400, activity: 10_000)
    #expect(!trim)
    // The streams are gone: a look, once the spacing since the last one has passed.
    let end = feed.decide(Array(repeating: (400, 3), count: 5))
    #expect(end == [false, false, false, false, true])
  }

  /// A fallback look while the streams drain (activity already low, memory still held by the
  /// last ones) does not make the drain's end look like no burst ended: the peak is the
  /// burst's, so the heap is looked at once the streams are gone.
  @Test func looksWhenLoadEndsAfterAFallbackLookDuringTheDrain() {
    var feed = Feed(fallback: 10)
    let load = feed.decide([(30, 10)] + stride(from: 40, through: 400, by: 40).map { ($0, 10_000) } + [(400, 10_000)])
    #expect(load.last == true, "the fallback under load")
    let trimUnderLoad = feed.looked(inUse: 380, free: 5, resident: 400, activity: 10_000)
    #expect(!trimUnderLoad)
    // The streams end over ten intervals, each fewer by more than an eighth; memory grows by
    // 40 MiB and stops: the fallback looks again, at 139 streams.
    let drain = feed.decide([
      (410, 5_000), (420, 2_500), (430, 1_200), (440, 600), (440, 300), (440, 250), (440, 215), (440, 185),
      (440, 160), (440, 139),
    ])
    #expect(drain == Array(repeating: false, count: 9) + [true])
    let trimInDrain = feed.looked(inUse: 420, free: 10, resident: 440, activity: 139)
    #expect(!trimInDrain)
    // The last streams are gone and the clients' 120 connections stay: a look (spaced), which
    // a peak of 139 would have ruled out (120 is not under half of it).
    let end = feed.decide(Array(repeating: (440, 120), count: 5))
    #expect(end == [false, false, false, false, true])
    let trim = feed.looked(inUse: 60, free: 360, resident: 440, activity: 120)
    #expect(trim)
    feed.trimmed(resident: 90 * Self.mib)
    // That look was at the burst's end: the peak starts again from 120.
    let after = feed.looks(in: 200, 90, 120)
    #expect(after == 0)
  }

  /// A trim under load (the fallback) leaves the load's memory in use; resident memory then
  /// barely moves when the load ends, but what its end frees is measured from where the load
  /// began: a look once the streams are gone.
  @Test func looksWhenLoadEndsAfterATrimUnderLoad() {
    var feed = Feed(fallback: 10)
    let load = feed.decide([(30, 10)] + stride(from: 40, through: 400, by: 40).map { ($0, 10_000) } + [(400, 10_000)])
    #expect(load.last == true, "the fallback under load")
    let trimUnderLoad = feed.looked(inUse: 180, free: 200, resident: 400, activity: 10_000)
    #expect(trimUnderLoad)
    feed.trimmed(resident: 300 * Self.mib)
    #expect(feed.policy.floor == 30 * Self.mib, "a trim under load is not where the load began")
    let end = feed.decide([(320, 10_000), (320, 10_000), (320, 10_000), (320, 5_000), (320, 120), (320, 120)])
    #expect(end == [false, false, false, false, false, true])
  }

  @Test func looksAreSpacedEvenWhenActivityKeepsSwinging() {
    var feed = Feed(fallback: 1_000)
    _ = feed.decide([(30, 0), (300, 64)])
    var looks = 0
    for i in 0..<50 {
      // Activity up, down by half, steady, and again; memory high (in use, nothing to trim).
      if feed.decide([(300, i % 3 == 0 ? 64 : 32)]) == [true] {
        looks += 1
        let trim = feed.looked(inUse: 290, free: 5, resident: 300, activity: 32)
        #expect(!trim)
      }
    }
    #expect(looks >= 1 && looks <= 10, "\(looks) looks: at most one every 5 intervals")
  }

  /// Starting looks at the heap once, so the metrics have figures from the start.
  @Test func startLooksOnce() throws {
    let trimmer = HeapTrimmer(threshold: 1 << 40)
    #expect(trimmer.lastUsage == nil)
    trimmer.start()
    defer { trimmer.stop() }
    let usage = try #require(trimmer.lastUsage)
    #expect(usage.inUse > 0)
    #expect(trimmer.looks == 1)
  }

  @Test func noTrimWhenLittleIsFree() {
    // A threshold larger than this whole test process: never worth a trim.
    let trimmer = HeapTrimmer(threshold: 1 << 40)
    #expect(!trimmer.check())
    #expect(trimmer.trims == 0)
  }
}

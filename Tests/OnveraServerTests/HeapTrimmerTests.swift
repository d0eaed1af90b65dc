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

  @Test func noTrimWhenLittleIsFree() {
    // A threshold larger than this whole test process: never worth a trim.
    let trimmer = HeapTrimmer(threshold: 1 << 40)
    #expect(!trimmer.check())
    #expect(trimmer.trims == 0)
  }
}

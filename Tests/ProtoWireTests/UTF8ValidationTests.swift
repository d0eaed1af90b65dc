import ProtoWire
import TestSupport
import Testing

/// ProtoWire's UTF-8 validator agrees with the standard library's on every input.
@Suite struct UTF8ValidationTests {
  static let samples: [[UInt8]] = [
    [], Array("plain ascii, longer than eight bytes".utf8), Array("héllo 日本 🚀".utf8),
    [0xC0, 0x80],  // overlong NUL
    [0xE0, 0x80, 0x80],  // overlong
    [0xED, 0xA0, 0x80],  // surrogate
    [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
    [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x9A],
    Array("abcdefgh".utf8) + [0xC3, 0xA9] + Array("ijklmnop".utf8) + [0xE2, 0x82],
  ]

  static func reference(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

  @Test(arguments: samples)
  func agreesOnSamples(bytes: [UInt8]) {
    #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == Self.reference(bytes))
  }

  @Test func agreesOnRandomInput() {
    var rng = SeededRandom(seed: 8)
    var valid = 0
    for i in 0..<50_000 {
      var bytes = rng.bytes(Int.random(in: 0...12, using: &rng))
      // Bias towards near-valid sequences: lead bytes followed by continuation bytes.
      if i % 2 == 0 {
        bytes = bytes.map { $0 < 0x40 ? $0 | 0x80 : $0 }
      }
      let ours = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
      #expect(ours == Self.reference(bytes), "\(bytes)")
      if ours { valid += 1 }
    }
    #expect(valid > 1_000)
  }
}

#if canImport(Glibc)
import Glibc
#endif
import OnveraProto

/// xoshiro256**, seeded from the system generator: ids need to be unique, not secret, and
/// the system generator costs a system call per 8 bytes.
struct FastRandom: RandomNumberGenerator {
  private var s: (UInt64, UInt64, UInt64, UInt64)

  init() {
    var g = SystemRandomNumberGenerator()
    s = (g.next(), g.next(), g.next(), g.next() | 1)
  }

  /// A reproducible sequence (tests).
  init(seed: UInt64) {
    s = (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, (seed &* 0xD1B5_4A32_D192_ED03) | 1)
  }

  mutating func next() -> UInt64 {
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    let result = rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = rotl(s.3, 45)
    return result
  }
}

/// Small helpers: ids, names, time.
enum Support {
  /// A random lowercase UUID (version 4).
  static func uuid(using random: inout FastRandom) -> String {
    let (a, b) = (random.next(), random.next())
    var bytes = (0..<8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { b -> String in
      let s = String(b, radix: 16)
      return s.count == 1 ? "0" + s : s
    }.joined()
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
      + String(c[20..<32])
  }

  private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

  /// `count` random characters of [a-z0-9].
  static func randomSuffix(_ count: Int, using random: inout FastRandom) -> String {
    String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
  }

  /// A DNS-label-safe slug of `name`: lowercase [a-z0-9] runs joined by "-", at most `maxLength`.
  static func slug(_ name: String, maxLength: Int = 56) -> String {
    var out = ""
    var dash = false
    for ch in name.lowercased().unicodeScalars {
      if (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") {
        if dash && !out.isEmpty { out.append("-") }
        out.unicodeScalars.append(ch)
        dash = false
      } else {
        dash = true
      }
      if out.count >= maxLength { break }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out
  }

  /// The current wall-clock time.
  static func now() -> Google_Protobuf_Timestamp {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Google_Protobuf_Timestamp(seconds: Int64(ts.tv_sec), nanos: Int32(ts.tv_nsec))
  }
}

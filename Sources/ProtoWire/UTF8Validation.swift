/// UTF-8 validation for string fields (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), with a word-at-a-time ASCII fast path.
public enum UTF8Validation {
  /// Whether `bytes` is well-formed UTF-8.
  @inlinable
  public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var i = 0
    // Eight ASCII bytes at a time while no high bit is set.
    while i &+ 8 <= count {
      let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      if word & 0x8080_8080_8080_8080 != 0 { break }
      i &+= 8
    }
    while i < count {
      let b0 = base.load(fromByteOffset: i, as: UInt8.self)
      if b0 < 0x80 {
        i &+= 1
        continue
      }
      return validateMultibyte(base, from: i, count: count)
    }
    return true
  }

  @usableFromInline
  static func validateMultibyte(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Bool {
    var i = start
    @inline(__always) func byte(_ j: Int) -> UInt8 { base.load(fromByteOffset: j, as: UInt8.self) }
    @inline(__always) func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
    while i < count {
      let b0 = byte(i)
      if b0 < 0x80 {
        i &+= 1
      } else if b0 >= 0xC2 && b0 <= 0xDF {
        guard i &+ 1 < count, isContinuation(byte(i &+ 1)) else { return false }
        i &+= 2
      } else if b0 >= 0xE0 && b0 <= 0xEF {
        guard i &+ 2 < count else { return false }
        let b1 = byte(i &+ 1)
        // E0 needs A0...BF (no overlong); ED needs 80...9F (no surrogates).
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
        guard b1 >= low && b1 <= high, isContinuation(byte(i &+ 2)) else { return false }
        i &+= 3
      } else if b0 >= 0xF0 && b0 <= 0xF4 {
        guard i &+ 3 < count else { return false }
        let b1 = byte(i &+ 1)
        // F0 needs 90...BF (no overlong); F4 needs 80...8F (nothing above U+10FFFF).
        let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low && b1 <= high, isContinuation(byte(i &+ 2)), isContinuation(byte(i &+ 3)) else { return false }
        i &+= 4
      } else {
        return false
      }
    }
    return true
  }
}

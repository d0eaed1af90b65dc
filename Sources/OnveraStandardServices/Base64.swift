/// Base64 decoding (RFC 4648, standard alphabet), for the embedded descriptor set.
///
/// Written here rather than taken from Foundation so the module stays
/// Foundation-free like the rest of the RPC stack.
enum Base64 {
  /// Decodes `text`, skipping whitespace and newlines; padding is optional.
  /// Returns nil for any other character outside the alphabet or a dangling sextet.
  static func decode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    var sawPadding = false
    for byte in text.utf8 {
      let value: UInt32
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="):
        sawPadding = true
        continue
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
      default: return nil
      }
      // Data after padding means two encodings were glued together: refuse.
      if sawPadding { return nil }
      accumulator = (accumulator << 6) | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
      }
    }
    // 6 leftover bits cannot come from whole bytes.
    if bits >= 6 { return nil }
    return out
  }
}

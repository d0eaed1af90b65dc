internal import GRPCCore

/// Reassembles length-prefixed gRPC messages from DATA payloads whose boundaries are arbitrary.
struct GRPCMessageDeframer {
  struct Message {
    var compressed: Bool
    var bytes: [UInt8]
    /// Bytes this message occupied on the wire (prefix included).
    var wireCount: Int { self.bytes.count + 5 }
  }

  enum DeframeError: Error, Equatable {
    case tooLarge(length: Int, limit: Int)
    case invalidFlag(UInt8)
  }

  let maxMessageBytes: Int
  private var buffer: [UInt8] = []
  private var readIndex = 0

  init(maxMessageBytes: Int) {
    self.maxMessageBytes = maxMessageBytes
  }

  /// True when bytes of an incomplete message are buffered.
  var hasPartialMessage: Bool { self.readIndex < self.buffer.count }

  /// Appends a chunk and returns every message it completes.
  mutating func append(_ chunk: UnsafeRawBufferPointer, into messages: inout [Message]) throws(DeframeError) {
    self.buffer.append(contentsOf: chunk)
    while true {
      let available = self.buffer.count - self.readIndex
      guard available >= 5 else { break }
      let flag = self.buffer[self.readIndex]
      guard flag <= 1 else { throw .invalidFlag(flag) }
      var length = 0
      for i in 1...4 { length = (length << 8) | Int(self.buffer[self.readIndex + i]) }
      // The limit is checked on the prefix, before any of the message is buffered.
      guard length <= self.maxMessageBytes else {
        throw .tooLarge(length: length, limit: self.maxMessageBytes)
      }
      guard available >= 5 + length else {
        self.buffer.reserveCapacity(self.readIndex + 5 + length)
        break
      }
      let start = self.readIndex + 5
      messages.append(Message(compressed: flag == 1, bytes: Array(self.buffer[start..<start + length])))
      self.readIndex = start + length
    }
    if self.readIndex == self.buffer.count {
      self.buffer.removeAll(keepingCapacity: self.buffer.capacity <= 65536)
      self.readIndex = 0
    } else if self.readIndex > 65536 && self.readIndex * 2 > self.buffer.count {
      self.buffer.removeFirst(self.readIndex)
      self.readIndex = 0
    }
  }
}

enum GRPCFraming {
  /// Prefixes a message with its compressed flag and big-endian length.
  static func frame(_ payload: some Collection<UInt8>, compressed: Bool) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(payload.count + 5)
    let n = UInt32(payload.count)
    out.append(compressed ? 1 : 0)
    out.append(UInt8(truncatingIfNeeded: n >> 24))
    out.append(UInt8(truncatingIfNeeded: n >> 16))
    out.append(UInt8(truncatingIfNeeded: n >> 8))
    out.append(UInt8(truncatingIfNeeded: n))
    out.append(contentsOf: payload)
    return out
  }
}

/// Header value codecs from the gRPC HTTP/2 protocol.
enum GRPCHeaders {
  /// Percent-encodes a `grpc-message`: bytes outside 0x20-0x7E and `%` are escaped.
  static func percentEncode(_ message: String) -> String {
    var out = [UInt8]()
    out.reserveCapacity(message.utf8.count)
    let hex = Array("0123456789ABCDEF".utf8)
    for b in message.utf8 {
      if b >= 0x20 && b <= 0x7E && b != UInt8(ascii: "%") {
        out.append(b)
      } else {
        out.append(UInt8(ascii: "%"))
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes a percent-encoded `grpc-message`; invalid escapes are kept as they are.
  static func percentDecode(_ encoded: String) -> String {
    let bytes = Array(encoded.utf8)
    guard bytes.contains(UInt8(ascii: "%")) else { return encoded }
    var out = [UInt8]()
    out.reserveCapacity(bytes.count)
    var i = 0
    func hexValue(_ c: UInt8) -> UInt8? {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
      default: return nil
      }
    }
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
        let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2])
      {
        out.append(hi << 4 | lo)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static let base64Alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Base64 without padding, as gRPC sends `-bin` values.
  static func base64Encode(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out.append(base64Alphabet[Int(n >> 18 & 63)])
      out.append(base64Alphabet[Int(n >> 12 & 63)])
      out.append(base64Alphabet[Int(n >> 6 & 63)])
      out.append(base64Alphabet[Int(n & 63)])
      i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
      let n = UInt32(bytes[i]) << 16
      out.append(base64Alphabet[Int(n >> 18 & 63)])
      out.append(base64Alphabet[Int(n >> 12 & 63)])
    } else if rest == 2 {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
      out.append(base64Alphabet[Int(n >> 18 & 63)])
      out.append(base64Alphabet[Int(n >> 12 & 63)])
      out.append(base64Alphabet[Int(n >> 6 & 63)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes base64, padded or not (standard or URL alphabet); nil when malformed.
  static func base64Decode(_ string: String) -> [UInt8]? {
    var out = [UInt8]()
    out.reserveCapacity(string.utf8.count * 3 / 4)
    var acc: UInt32 = 0
    var bits = 0
    for c in string.utf8 {
      let v: UInt32
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
      case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
      case UInt8(ascii: "="): continue
      default: return nil
      }
      acc = acc << 6 | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
      }
    }
    return out
  }

  /// Parses `grpc-timeout`: 1 to 8 digits and a unit (H, M, S, m, u, n).
  static func parseTimeout(_ value: String) -> Duration? {
    let bytes = Array(value.utf8)
    guard bytes.count >= 2, bytes.count <= 9 else { return nil }
    var amount: Int64 = 0
    for b in bytes.dropLast() {
      guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
      amount = amount * 10 + Int64(b - UInt8(ascii: "0"))
    }
    switch bytes.last! {
    case UInt8(ascii: "H"): return .seconds(amount * 3600)
    case UInt8(ascii: "M"): return .seconds(amount * 60)
    case UInt8(ascii: "S"): return .seconds(amount)
    case UInt8(ascii: "m"): return .milliseconds(amount)
    case UInt8(ascii: "u"): return .microseconds(amount)
    case UInt8(ascii: "n"): return .nanoseconds(amount)
    default: return nil
    }
  }

  /// Encodes a duration as `grpc-timeout` with at most 8 digits, rounding up.
  static func encodeTimeout(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return "1n" }
    let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let total: Int64 = nanos.overflow ? Int64.max : nanos.partialValue &+ (attoseconds + 999_999_999) / 1_000_000_000
    let units: [(Int64, String)] = [
      (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"),
      (3_600_000_000_000, "H"),
    ]
    for (scale, unit) in units {
      let amount = (total + scale - 1) / scale
      if amount <= 99_999_999 { return "\(amount)\(unit)" }
    }
    return "99999999H"
  }

  /// Headers that belong to the transport and are not handed to the application as metadata.
  static func isReserved(_ name: String) -> Bool {
    if name.hasPrefix(":") { return true }
    switch name {
    case "te", "content-type", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
      "content-length", "connection":
      return true
    default:
      return false
    }
  }

  /// Adds a received header to metadata, decoding `-bin` values.
  static func addHeader(name: String, value: String, to metadata: inout Metadata) {
    if name.hasSuffix("-bin") {
      if let bytes = base64Decode(value) {
        metadata.addBinary(bytes, forKey: name)
      }
    } else {
      metadata.addString(value, forKey: name)
    }
  }

  /// Appends metadata as header fields, encoding binary values as unpadded base64.
  static func appendMetadata(_ metadata: Metadata, to headers: inout [(String, String)]) {
    for (key, value) in metadata {
      let name = key.lowercased()
      if isReserved(name) { continue }
      switch value {
      case .string(let s): headers.append((name, s))
      case .binary(let b): headers.append((name, base64Encode(b)))
      }
    }
  }

  /// The parts of a `:path` of the form `/package.Service/Method`.
  static func parsePath(_ path: String) -> MethodDescriptor? {
    guard path.hasPrefix("/") else { return nil }
    let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    return MethodDescriptor(fullyQualifiedService: String(parts[0]), method: String(parts[1]))
  }
}

internal import COpenSSL

/// The few cryptographic primitives the API needs, from the system's OpenSSL.
enum Crypto {
  /// SHA-256 of `bytes`.
  static func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    bytes.withUnsafeBufferPointer { input in
      digest.withUnsafeMutableBufferPointer { out in
        _ = SHA256(input.baseAddress, input.count, out.baseAddress)
      }
    }
    return digest
  }

  /// HMAC-SHA-256 of `message` under `key`.
  static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    key.withUnsafeBufferPointer { k in
      message.withUnsafeBufferPointer { m in
        digest.withUnsafeMutableBufferPointer { out in
          _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, out.baseAddress, &length)
        }
      }
    }
    return Array(digest.prefix(Int(length)))
  }

  /// Whether two byte strings are equal, in time that depends only on their length.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
  }

  /// `count` bytes from OpenSSL's CSPRNG.
  static func randomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
    // Without randomness no key can be issued safely: stop rather than continue weakly.
    precondition(ok == 1, "OpenSSL RAND_bytes failed")
    return bytes
  }

  static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

  /// `count` characters of [A-Za-z0-9], uniformly (rejection sampling, no modulo bias).
  static func randomAlphanumeric(_ count: Int) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    while out.count < count {
      for byte in randomBytes(count) where byte < 248 {  // 248 = 4 * 62
        out.append(keyAlphabet[Int(byte) % 62])
        if out.count == count { break }
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Lowercase hex.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

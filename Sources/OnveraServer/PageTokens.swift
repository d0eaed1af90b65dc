/// Opaque page tokens: a cursor bound to the organization, the list and its
/// filters, and signed with HMAC-SHA-256 under a server key, so a token cannot
/// be forged, moved to another organization, or reused with other filters.
struct PageTokens: Sendable {
  let key: [UInt8]

  init(key: [UInt8]) { self.key = key }

  /// A token for listing `list` (e.g. "deployments") of `organizationID` with `filters`, from `cursor` on.
  func make(list: String, organizationID: String, filters: String, cursor: Int) -> String {
    let body = "v1|\(list)|\(organizationID)|\(cursor)"
    let mac = Crypto.hmacSHA256(key: key, message: Array((body + "|" + filters).utf8))
    return Self.base64URL(Array(body.utf8)) + "." + Self.base64URL(Array(mac.prefix(16)))
  }

  /// The cursor in `token`, or INVALID_ARGUMENT when it is not one this server made for this list and filters.
  func cursor(from token: String, list: String, organizationID: String, filters: String) throws -> Int {
    let invalid = APIError.validation(
      "page_token is not valid for this list: pass the next_page_token of the previous response unchanged, with the same filters",
      field: "page_token")
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let bodyBytes = Self.unbase64URL(String(parts[0])),
      let macBytes = Self.unbase64URL(String(parts[1]))
    else { throw invalid }
    let body = String(decoding: bodyBytes, as: UTF8.self)
    let expected = Crypto.hmacSHA256(key: key, message: Array((body + "|" + filters).utf8)).prefix(16)
    guard Crypto.constantTimeEqual(Array(expected), macBytes) else { throw invalid }
    let fields = body.split(separator: "|", omittingEmptySubsequences: false)
    guard fields.count == 4, fields[0] == "v1", fields[1] == list, fields[2] == organizationID,
      let cursor = Int(fields[3]), cursor >= 0
    else { throw invalid }
    return cursor
  }

  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func base64URL(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let b0 = UInt32(bytes[i])
      let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
      let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
      let n = b0 << 16 | b1 << 8 | b2
      let chars = [n >> 18 & 63, n >> 12 & 63, n >> 6 & 63, n & 63].map { alphabet[Int($0)] }
      out += chars.prefix(min(4, bytes.count - i + 1))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func unbase64URL(_ text: String) -> [UInt8]? {
    var values: [UInt32] = []
    for c in text.utf8 {
      guard let v = alphabet.firstIndex(of: c) else { return nil }
      values.append(UInt32(v))
    }
    guard values.count % 4 != 1 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < values.count {
      let chunk = Array(values[i..<min(i + 4, values.count)])
      let padded = chunk + Array(repeating: 0, count: 4 - chunk.count)
      let n = padded[0] << 18 | padded[1] << 12 | padded[2] << 6 | padded[3]
      let bytes = [UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)]
      out += bytes.prefix(chunk.count - 1)
      i += 4
    }
    return out
  }
}

/// The page size a request asks for: 0 means 50, above 100 means 100, negative is invalid.
func pageSize(_ requested: Int32) throws -> Int {
  if requested < 0 {
    throw APIError.validation("page_size must be 0 (default 50) or positive, got \(requested)", field: "page_size")
  }
  return requested == 0 ? 50 : min(Int(requested), 100)
}

extension PageTokens {
  /// One page of a short list served by offset (environments, members, API keys): the
  /// items from the token's position on, and the token for the next page ("" on the last).
  func page<Item>(_ all: [Item], token: String, list: String, organizationID: String, limit: Int) throws
    -> (items: [Item], next: String)
  {
    let start = token.isEmpty ? 0 : try cursor(from: token, list: list, organizationID: organizationID, filters: "")
    let items = Array(all.dropFirst(start).prefix(limit))
    let next = start + limit < all.count
      ? make(list: list, organizationID: organizationID, filters: "", cursor: start + limit) : ""
    return (items, next)
  }
}

@testable import OnveraServer
import Testing

/// Page tokens cannot be forged, moved to another organization or reused with other filters.
@Suite struct PageTokenTests {
  let tokens = PageTokens(key: Array("0123456789abcdef0123456789abcdef".utf8))

  @Test func roundTrip() throws {
    let token = tokens.make(list: "deployments", organizationID: "org_a", filters: "env=", cursor: 42)
    #expect(try tokens.cursor(from: token, list: "deployments", organizationID: "org_a", filters: "env=") == 42)
  }

  @Test func anotherOrganizationListOrFilterIsRefused() {
    let token = tokens.make(list: "deployments", organizationID: "org_a", filters: "env=", cursor: 42)
    #expect(throws: APIError.self) { try tokens.cursor(from: token, list: "deployments", organizationID: "org_b", filters: "env=") }
    #expect(throws: APIError.self) { try tokens.cursor(from: token, list: "operations", organizationID: "org_a", filters: "env=") }
    #expect(throws: APIError.self) { try tokens.cursor(from: token, list: "deployments", organizationID: "org_a", filters: "env=x") }
  }

  @Test func forgedAndGarbageTokensAreRefused() {
    let token = tokens.make(list: "deployments", organizationID: "org_a", filters: "", cursor: 42)
    let body = String(token.split(separator: ".")[0])
    let forgedBody = PageTokens.base64URL(Array("v1|deployments|org_a|7".utf8))
    #expect(throws: APIError.self) {
      try tokens.cursor(from: forgedBody + "." + token.split(separator: ".")[1], list: "deployments", organizationID: "org_a", filters: "")
    }
    let otherKey = PageTokens(key: Array("another key, another server ....".utf8))
    #expect(throws: APIError.self) {
      try tokens.cursor(from: otherKey.make(list: "deployments", organizationID: "org_a", filters: "", cursor: 42), list: "deployments", organizationID: "org_a", filters: "")
    }
    for garbage in ["", ".", "abc", body, body + ".", "!!!.###", String(repeating: "A", count: 5000)] {
      #expect(throws: APIError.self) { try tokens.cursor(from: garbage, list: "deployments", organizationID: "org_a", filters: "") }
    }
  }

  @Test func base64URLRoundTripsEveryLength() {
    for n in 0..<40 {
      let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
      #expect(PageTokens.unbase64URL(PageTokens.base64URL(bytes)) == bytes)
    }
  }

  @Test func pageSizes() throws {
    #expect(try pageSize(0) == 50)
    #expect(try pageSize(7) == 7)
    #expect(try pageSize(1000) == 100)
    #expect(throws: APIError.self) { try pageSize(-1) }
  }
}

extension PageTokenTests {
  @Test func offsetPagesCoverTheListOnce() throws {
    let all = Array(0..<23)
    var seen: [Int] = []
    var token = ""
    repeat {
      let page = try tokens.page(all, token: token, list: "members", organizationID: "org_a", limit: 5)
      #expect(page.items.count <= 5)
      seen += page.items
      token = page.next
    } while !token.isEmpty
    #expect(seen == all)
    let first = try tokens.page(all, token: "", list: "members", organizationID: "org_a", limit: 5)
    #expect(throws: APIError.self) { try tokens.page(all, token: first.next, list: "api_keys", organizationID: "org_a", limit: 5) }
  }
}

public import GRPCCore
public import Orchestrator
import OnveraProto
import OnveraRPC
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The scopes an API key can hold, as the contract names them.
public enum Scope: String, Sendable, CaseIterable {
  case deploymentsRead = "deployments:read"
  case deploymentsWrite = "deployments:write"
  case deploymentsDelete = "deployments:delete"
  case operationsRead = "operations:read"
  case orgRead = "org:read"
  case orgAdmin = "org:admin"

  /// Every scope, in the contract's order.
  public static let all: [String] = allCases.map(\.rawValue)
}

/// Who is calling: the organization and key a request was authenticated as.
public struct Caller: Sendable, Hashable {
  /// The key's organization; every read and write is scoped to it.
  public var organizationID: String
  /// The key's id (`key_...`), or "admin" for the platform administrator.
  public var keyID: String
  /// What the key may do.
  public var scopes: Set<String>
  /// The platform administrator (the server's admin key): may create organizations and environments.
  public var isPlatformAdmin: Bool
}

/// Authenticates calls by API key (`x-api-key`, or `authorization: Bearer`), enforces
/// scopes, and rate-limits each key with a token bucket.
public final class Authenticator: Sendable {
  /// Rate limiting per key.
  public struct RateLimit: Sendable {
    /// Sustained requests per second.
    public var requestsPerSecond: Double
    /// Requests allowed in a burst.
    public var burst: Double

    /// 50 requests per second, bursts of 100.
    public init(requestsPerSecond: Double = 50, burst: Double = 100) {
      self.requestsPerSecond = requestsPerSecond
      self.burst = burst
    }
  }

  /// The prefix of every secret: `onv_sk_live_` and then 40 characters of [A-Za-z0-9].
  public static let secretPrefix = "onv_sk_live_"
  static let secretRandomLength = 40

  let orchestrator: Orchestrator
  let adminSecretHash: [UInt8]?
  let rateLimit: RateLimit
  let buckets = Mutex<[String: Bucket]>([:])

  struct Bucket {
    var tokens: Double
    var updated: ContinuousClock.Instant
  }

  /// An authenticator over the orchestrator's key records; `adminSecret`, when set, is the platform admin key.
  public init(orchestrator: Orchestrator, adminSecret: String?, rateLimit: RateLimit = RateLimit()) {
    self.orchestrator = orchestrator
    self.adminSecretHash = adminSecret.map { Crypto.sha256(Array($0.utf8)) }
    self.rateLimit = rateLimit
  }

  /// A new secret: the prefix and 40 characters from OpenSSL's CSPRNG (about 238 bits).
  public static func newSecret() -> String {
    secretPrefix + Crypto.randomAlphanumeric(secretRandomLength)
  }

  /// The stored form of a secret: its SHA-256.
  public static func hash(secret: String) -> [UInt8] { Crypto.sha256(Array(secret.utf8)) }

  /// The first characters of a secret, kept to recognise a key in lists.
  public static func displayPrefix(of secret: String) -> String { String(secret.prefix(secretPrefix.count + 6)) }

  /// The secret a request carries, if any.
  static func secret(in metadata: Metadata) -> String? {
    for value in metadata[stringValues: "x-api-key"] where !value.isEmpty {
      return value.trimmingSpaces
    }
    for value in metadata[stringValues: "authorization"] {
      let trimmed = value.trimmingSpaces
      if trimmed.lowercased().hasPrefix("bearer ") {
        return String(trimmed.dropFirst("bearer ".count)).trimmingSpaces
      }
    }
    return nil
  }

  /// The caller of a request that needs `scope` (nil: any valid key, e.g. for admin-only calls
  /// that check ``Caller/isPlatformAdmin`` themselves).
  public func authenticate(_ metadata: Metadata, requiring scope: Scope?) async throws -> Caller {
    guard let secret = Self.secret(in: metadata) else {
      throw APIError.unauthenticated(
        "MISSING_API_KEY", "this call needs an API key in the 'x-api-key' metadata entry or 'authorization: Bearer <key>'")
    }
    let hash = Self.hash(secret: secret)
    let caller: Caller
    if let adminSecretHash, Crypto.constantTimeEqual(hash, adminSecretHash) {
      caller = Caller(organizationID: "", keyID: "admin", scopes: Set(Scope.all), isPlatformAdmin: true)
    } else {
      guard let (organizationID, key) = orchestrator.apiKey(secretHash: hash) else {
        throw APIError.unauthenticated("INVALID_API_KEY", "the API key is not valid")
      }
      if key.hasRevokeTime {
        throw APIError.unauthenticated("API_KEY_REVOKED", "the API key \(key.id) was revoked", metadata: ["key_id": key.id])
      }
      if key.hasExpireTime && key.expireTime.seconds <= Self.nowSeconds() {
        throw APIError.unauthenticated(
          "API_KEY_EXPIRED", "the API key \(key.id) expired at \(key.expireTime.rfc3339)",
          metadata: ["key_id": key.id, "expire_time": key.expireTime.rfc3339])
      }
      caller = Caller(organizationID: organizationID, keyID: key.id, scopes: Set(key.scopes), isPlatformAdmin: false)
    }
    try admit(caller.keyID)
    if let scope, !caller.scopes.contains(scope.rawValue) {
      throw APIError(
        code: .permissionDenied, reason: "INSUFFICIENT_SCOPE",
        message: "this call needs the scope '\(scope.rawValue)', which the API key \(caller.keyID) does not have",
        metadata: ["required_scope": scope.rawValue, "key_id": caller.keyID])
    }
    if !caller.isPlatformAdmin && orchestrator.apiKeyUseIsDue(keyID: caller.keyID) {
      // Best effort: a failure to note the use must not fail the call.
      try? await orchestrator.recordApiKeyUse(keyID: caller.keyID)
    }
    return caller
  }

  /// Takes one token from the key's bucket, or refuses with RESOURCE_EXHAUSTED.
  func admit(_ keyID: String) throws {
    let now = ContinuousClock.now
    let limit = rateLimit
    let wait: Double? = buckets.withLock { buckets in
      var bucket = buckets[keyID] ?? Bucket(tokens: limit.burst, updated: now)
      let elapsed = now - bucket.updated
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      bucket.tokens = min(limit.burst, bucket.tokens + seconds * limit.requestsPerSecond)
      bucket.updated = now
      defer { buckets[keyID] = bucket }
      if bucket.tokens >= 1 {
        bucket.tokens -= 1
        return nil
      }
      return (1 - bucket.tokens) / limit.requestsPerSecond
    }
    if let wait {
      let retryMillis = Int((wait * 1000).rounded(.up))
      throw APIError(
        code: .resourceExhausted, reason: "RATE_LIMIT_EXCEEDED",
        message: "too many requests for API key \(keyID): at most \(Int(limit.requestsPerSecond)) per second; retry in \(retryMillis) ms",
        metadata: ["retry_after_ms": String(retryMillis), "key_id": keyID])
    }
  }

  static func nowSeconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec)
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}

import OnveraProto
import Synchronization

/// Authentication's copy of the durable API keys, by secret hash, and when each key's use was
/// last noted. Every authenticated call reads it, so it is read under a lock, not on the
/// orchestrator's actor: a call never queues behind domain work to be authenticated, and a
/// flood of calls with unknown keys never reaches the actor. The orchestrator updates it in
/// the same step as its durable state.
final class KeyDirectory: Sendable {
  struct Entry {
    var organizationID: String
    var key: Onvera_V1_ApiKey
  }

  private let byHash = Mutex<[[UInt8]: Entry]>([:])
  private let lastUse = Mutex<[String: ContinuousClock.Instant]>([:])

  /// Replaces everything with the keys of `state` (at start).
  func load(_ state: OrchestratorState) {
    var all: [[UInt8]: Entry] = [:]
    for stored in state.apiKeys.values {
      all[stored.secretHash] = Entry(organizationID: stored.organizationID, key: stored.key)
    }
    byHash.withLock { $0 = all }
  }

  /// Takes in keys created or changed by a durable change.
  func apply(_ keys: [StoredApiKey]) {
    guard !keys.isEmpty else { return }
    byHash.withLock { map in
      for stored in keys { map[stored.secretHash] = Entry(organizationID: stored.organizationID, key: stored.key) }
    }
  }

  func lookup(_ secretHash: [UInt8]) -> Entry? { byHash.withLock { $0[secretHash] } }

  /// Whether a use of the key at `now` is due to be noted: none was within `granularity`.
  func useIsDue(_ keyID: String, now: ContinuousClock.Instant, granularity: Duration) -> Bool {
    lastUse.withLock { map in map[keyID].map { now - $0 >= granularity } ?? true }
  }

  /// Claims noting a use at `now`: true (and `now` remembered) if none was noted within
  /// `granularity`, so that concurrent callers note it once.
  func claimUse(_ keyID: String, now: ContinuousClock.Instant, granularity: Duration) -> Bool {
    lastUse.withLock { map in
      if let last = map[keyID], now - last < granularity { return false }
      map[keyID] = now
      return true
    }
  }
}

import OnveraProto

/// Everything the orchestrator knows, rebuilt from the store by applying records in order.
///
/// Pure data: ``apply(_:revision:)`` is the only way it changes, so the state after replay
/// equals the state before a stop.
struct OrchestratorState: Hashable, Sendable {
  var organizations: [String: Onvera_V1_Organization] = [:]
  var organizationOrder: [String] = []
  /// Organization id → environment id → environment ("env_default" exists in every organization).
  var environments: [String: [String: Onvera_V1_Environment]] = [:]
  var environmentOrder: [String: [String]] = [:]
  /// Organization id → user id → member.
  var members: [String: [String: StoredMember]] = [:]
  var memberOrder: [String: [String]] = [:]
  var apiKeys: [String: StoredApiKey] = [:]
  var apiKeyOrder: [String: [String]] = [:]
  var apiKeysByHash: [[UInt8]: String] = [:]
  var deployments: [String: Onvera_V1_Deployment] = [:]
  /// Organization id → deployment ids in creation order (the list cursor is an index here).
  var deploymentOrder: [String: [String]] = [:]
  /// Organization id → how many of its deployments are DESTROYED tombstones (absent: none), so
  /// that a list's total is known without walking every deployment.
  var destroyedCount: [String: Int] = [:]
  var operations: [String: Onvera_V1_Operation] = [:]
  var operationOrder: [String: [String]] = [:]
  /// Key: organization id + "\u{0}" + request id.
  var idempotency: [String: StoredIdempotency] = [:]
  /// Reserved subdomains → deployment id; released when the deployment is destroyed.
  var subdomains: [String: String] = [:]
  /// Present provisioned resources by "kind:id".
  var resources: [String: StoredResource] = [:]
  /// Deployment id → keys of its present resources.
  var resourcesByDeployment: [String: Set<String>] = [:]
  /// The revision of the last applied record (0 when none, or for the not-yet-durable view).
  var revision: UInt64 = 0

  static func idempotencyKey(_ organizationID: String, _ requestID: String) -> String {
    organizationID + "\u{0}" + requestID
  }

  /// Applies one change. With a revision (the durable view and replay), deployments get
  /// `revision` and a new etag; without one (the view ahead of durability) they keep theirs.
  mutating func apply(_ change: ChangeRecord, revision: UInt64?) {
    for org in change.organizations {
      if organizations.updateValue(org, forKey: org.id) == nil { organizationOrder.append(org.id) }
    }
    for env in change.environments {
      if environments[env.organizationID, default: [:]].updateValue(env, forKey: env.id) == nil {
        environmentOrder[env.organizationID, default: []].append(env.id)
      }
    }
    for member in change.members {
      if members[member.organizationID, default: [:]].updateValue(member, forKey: member.member.userID) == nil {
        memberOrder[member.organizationID, default: []].append(member.member.userID)
      }
    }
    for key in change.apiKeys {
      if apiKeys.updateValue(key, forKey: key.key.id) == nil {
        apiKeyOrder[key.organizationID, default: []].append(key.key.id)
      }
      apiKeysByHash[key.secretHash] = key.key.id
    }
    for var d in change.deployments.map(\.deployment) {
      if let revision {
        d.revision = revision
        d.etag = Self.etag(revision)
      } else if let old = deployments[d.id] {
        d.revision = old.revision
        d.etag = old.etag
      }
      insert(d)
      if !d.subdomain.isEmpty {
        if d.status == .destroyed {
          if subdomains[d.subdomain] == d.id { subdomains[d.subdomain] = nil }
        } else {
          subdomains[d.subdomain] = d.id
        }
      }
    }
    for op in change.operations {
      if operations.updateValue(op, forKey: op.id) == nil {
        operationOrder[op.organizationID, default: []].append(op.id)
      }
    }
    for entry in change.idempotency {
      idempotency[Self.idempotencyKey(entry.organizationID, entry.requestID)] = entry
    }
    for resource in change.resources {
      let key = resource.key
      if resource.present {
        resources[key] = resource
        resourcesByDeployment[resource.deploymentID, default: []].insert(key)
      } else if let old = resources.removeValue(forKey: key) {
        resourcesByDeployment[old.deploymentID]?.remove(key)
        if resourcesByDeployment[old.deploymentID]?.isEmpty == true { resourcesByDeployment[old.deploymentID] = nil }
      }
    }
    if let revision { self.revision = revision }
  }

  /// Stores a deployment, new or changed, with its place in the order and the tombstone count.
  mutating func insert(_ d: Onvera_V1_Deployment) {
    let old = deployments.updateValue(d, forKey: d.id)
    if old == nil { deploymentOrder[d.organizationID, default: []].append(d.id) }
    let change = (d.status == .destroyed ? 1 : 0) - (old?.status == .destroyed ? 1 : 0)
    if change != 0 {
      let count = destroyedCount[d.organizationID, default: 0] + change
      destroyedCount[d.organizationID] = count == 0 ? nil : count
    }
  }

  static func etag(_ revision: UInt64) -> String { "r" + String(revision, radix: 36) }

  /// The whole state as one change record, entities in creation order so that applying it
  /// to an empty state gives back the same state (snapshots).
  func snapshotRecord() -> ChangeRecord {
    var record = ChangeRecord()
    record.organizations = organizationOrder.compactMap { organizations[$0] }
    for org in environmentOrder.keys.sorted() {
      record.environments += environmentOrder[org]!.compactMap { environments[org]?[$0] }
    }
    for org in memberOrder.keys.sorted() {
      record.members += memberOrder[org]!.compactMap { members[org]?[$0] }
    }
    for org in apiKeyOrder.keys.sorted() {
      record.apiKeys += apiKeyOrder[org]!.compactMap { apiKeys[$0] }
    }
    for org in deploymentOrder.keys.sorted() {
      record.deployments += deploymentOrder[org]!.compactMap { deployments[$0].map { DeploymentChange($0) } }
    }
    for org in operationOrder.keys.sorted() {
      record.operations += operationOrder[org]!.compactMap { operations[$0] }
    }
    record.idempotency = idempotency.keys.sorted().map { idempotency[$0]! }
    record.resources = resources.keys.sorted().map { resources[$0]! }
    return record
  }

  /// Rebuilds a state from a snapshot record taken at `revision`.
  static func restoring(_ record: ChangeRecord, revision: UInt64) -> OrchestratorState {
    var state = OrchestratorState()
    // Deployments keep the revision and etag they had: restore them exactly.
    var plain = record
    plain.deployments = []
    state.apply(plain, revision: revision)
    for change in record.deployments {
      let d = change.deployment
      state.insert(d)
      if !d.subdomain.isEmpty && d.status != .destroyed { state.subdomains[d.subdomain] = d.id }
    }
    state.revision = revision
    return state
  }

  /// Operations that are not done yet, oldest first.
  var unfinishedOperations: [Onvera_V1_Operation] {
    operations.values.filter { !$0.done }.sorted {
      ($0.createTime.seconds, $0.createTime.nanos, $0.id) < ($1.createTime.seconds, $1.createTime.nanos, $1.id)
    }
  }
}

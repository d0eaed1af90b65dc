public import OnveraProto
import OnveraStore

/// What CreateDeployment asks for.
public struct CreateDeploymentCommand: Sendable, Hashable {
  /// The caller's organization.
  public var organizationID: String
  /// Airflow or Superset.
  public var appType: Onvera_V1_AppType
  /// 1...63 characters; generated when empty.
  public var name: String
  /// Empty: `env_default`.
  public var environmentID: String
  /// Optional idempotency key, scoped to the organization.
  public var requestID: String
  /// Check everything, create nothing.
  public var validateOnly: Bool

  /// Creates a command.
  public init(
    organizationID: String, appType: Onvera_V1_AppType, name: String = "", environmentID: String = "",
    requestID: String = "", validateOnly: Bool = false
  ) {
    self.organizationID = organizationID
    self.appType = appType
    self.name = name
    self.environmentID = environmentID
    self.requestID = requestID
    self.validateOnly = validateOnly
  }
}

/// What CreateDeployment returns.
public struct DeploymentCreation: Sendable, Hashable {
  /// The new deployment (for `validateOnly`, what it would look like, with an empty id).
  public var deployment: Onvera_V1_Deployment
  /// Its deployment.create operation (empty for `validateOnly`).
  public var operation: Onvera_V1_Operation
  /// True when a retry with the same request id returned the first call's result.
  public var replayed: Bool
}

/// Filters of ListDeployments; empty or unspecified values match everything.
public struct DeploymentFilter: Sendable, Hashable {
  /// Only deployments of this environment.
  public var environmentID: String
  /// Only deployments of this application.
  public var appType: Onvera_V1_AppType
  /// Only deployments in this status.
  public var status: Onvera_V1_DeploymentStatus
  /// DESTROYED tombstones are hidden unless this is set (or `status` asks for them).
  public var showDestroyed: Bool

  /// Creates a filter (the default matches every deployment but tombstones).
  public init(
    environmentID: String = "", appType: Onvera_V1_AppType = .unspecified,
    status: Onvera_V1_DeploymentStatus = .unspecified, showDestroyed: Bool = false
  ) {
    self.environmentID = environmentID
    self.appType = appType
    self.status = status
    self.showDestroyed = showDestroyed
  }

  func matches(_ d: Onvera_V1_Deployment) -> Bool {
    if !environmentID.isEmpty && d.environmentID != environmentID { return false }
    if appType != .unspecified && d.appType != appType { return false }
    if status != .unspecified && d.status != status { return false }
    if status != .destroyed && !showDestroyed && d.status == .destroyed { return false }
    return true
  }
}

/// Filters of ListOperations; empty or unspecified values match everything.
public struct OperationFilter: Sendable, Hashable {
  /// Only operations in this status.
  public var status: Onvera_V1_OperationStatus
  /// Only operations of this type.
  public var type: Onvera_V1_OperationType
  /// Only operations on this resource (a deployment id, or a user id for user operations).
  public var resourceID: String

  /// Creates a filter (the default matches every operation).
  public init(status: Onvera_V1_OperationStatus = .unspecified, type: Onvera_V1_OperationType = .unspecified, resourceID: String = "") {
    self.status = status
    self.type = type
    self.resourceID = resourceID
  }

  func matches(_ op: Onvera_V1_Operation) -> Bool {
    if status != .unspecified && op.status != status { return false }
    if type != .unspecified && op.type != type { return false }
    if !resourceID.isEmpty && op.resourceID != resourceID { return false }
    return true
  }
}

/// One page of a list, newest first.
///
/// Cursors are positions in the organization's creation order: objects created after a list
/// started land before its cursor, so paging on never repeats or skips an object.
public struct Page<Item: Sendable & Hashable>: Sendable, Hashable {
  /// The items, newest first.
  public var items: [Item]
  /// Pass as `before` for the next page; nil on the last page.
  public var nextCursor: Int?
  /// How many objects match the filter in all.
  public var totalSize: Int
}

extension Orchestrator {
  // MARK: deployments

  /// Starts creating a deployment and returns at once (once durable) with it and its
  /// deployment.create operation.
  ///
  /// Throws VALIDATION_ERROR, ORGANIZATION_NOT_FOUND, ENVIRONMENT_NOT_FOUND, REQUEST_ID_REUSED
  /// (same request id, different request). A retry with the same request id and request returns
  /// the first result (`replayed`).
  public func createDeployment(_ command: CreateDeploymentCommand) async throws(OrchestratorError)
    -> DeploymentCreation
  {
    try checkAvailable()
    let org = command.organizationID
    try requireOrganizationExists(org)
    guard command.appType == .airflow || command.appType == .superset else {
      throw .validation(
        "app_type must be APP_TYPE_AIRFLOW or APP_TYPE_SUPERSET, got \(command.appType.protoName ?? "\(command.appType.rawValue)")",
        field: "app_type")
    }
    if !command.name.isEmpty { try Self.validateName(command.name, field: "name", max: 63) }
    let environmentID = command.environmentID.isEmpty ? "env_default" : command.environmentID
    guard ahead.environments[org]?[environmentID] != nil else {
      throw .notFound(OrchestratorError.Reason.environmentNotFound, "environment", environmentID)
    }
    let fingerprint = "create|\(command.appType.rawValue)|\(command.name)|\(environmentID)"
    if !command.requestID.isEmpty,
      let first = try await idempotent(org, command.requestID, fingerprint: fingerprint)
    {
      guard let d = durable.deployments[first.deploymentID], let op = durable.operations[first.operationID] else {
        throw OrchestratorError(
          code: .internalError, reason: OrchestratorError.Reason.internalError,
          message: "request id \(command.requestID) names a missing deployment")
      }
      return DeploymentCreation(deployment: d, operation: op, replayed: true)
    }

    let time = Support.now()
    let appName = command.appType == .airflow ? "airflow" : "superset"
    let name = command.name.isEmpty ? appName + "-" + Support.randomSuffix(6, using: &random) : command.name
    var base = Support.slug(name)
    if base.isEmpty { base = appName }
    var subdomain = base + "-" + Support.randomSuffix(6, using: &random)
    while ahead.subdomains[subdomain] != nil { subdomain = base + "-" + Support.randomSuffix(6, using: &random) }

    var d = Onvera_V1_Deployment()
    d.name = name
    d.appType = command.appType
    d.phase = .initialization
    d.status = Plan.status(for: .initialization)
    d.subdomain = subdomain
    d.environmentID = environmentID
    d.organizationID = org
    d.createTime = time
    d.updateTime = time
    if command.validateOnly {
      return DeploymentCreation(deployment: d, operation: Onvera_V1_Operation(), replayed: false)
    }
    d.id = "dep_" + Support.uuid(using: &random)
    let op = OperationMachine(
      id: "op_" + Support.uuid(using: &random), type: .deploymentCreate, resourceID: d.id, organizationID: org,
      steps: Plan.pendingSteps(Plan.createSteps(for: command.appType)), phase: .initialization, at: time
    ).operation
    d.operationID = op.id
    var change = ChangeRecord()
    change.time = time
    change.deployments = [DeploymentChange(d, created: true)]
    change.operations = [op]
    if !command.requestID.isEmpty {
      var entry = StoredIdempotency()
      entry.organizationID = org
      entry.requestID = command.requestID
      entry.fingerprint = fingerprint
      entry.deploymentID = d.id
      entry.operationID = op.id
      change.idempotency = [entry]
    }
    try await commit(change)
    workflowContinuation.yield(op.id)
    return DeploymentCreation(
      deployment: durable.deployments[d.id]!, operation: durable.operations[op.id]!, replayed: false)
  }

  private func requireOrganizationExists(_ id: String) throws(OrchestratorError) {
    if ahead.organizations[id] == nil {
      throw .notFound(OrchestratorError.Reason.organizationNotFound, "organization", id)
    }
  }

  /// The first result of `requestID` if it was used before with the same request; throws
  /// REQUEST_ID_REUSED if it was used with another one. Waits until that first result is durable.
  private func idempotent(_ org: String, _ requestID: String, fingerprint: String) async throws(OrchestratorError)
    -> StoredIdempotency?
  {
    guard let entry = ahead.idempotency[OrchestratorState.idempotencyKey(org, requestID)] else { return nil }
    guard entry.fingerprint == fingerprint else {
      throw OrchestratorError(
        code: .invalidArgument, reason: OrchestratorError.Reason.requestIDReused,
        message: "request_id '\(requestID)' was already used for a different request",
        metadata: ["request_id": requestID])
    }
    await barrier()
    try checkAvailable()
    return entry
  }

  /// The deployment `id` of the organization (tombstones included). Throws DEPLOYMENT_NOT_FOUND,
  /// also for another organization's deployment.
  public func deployment(organizationID: String, id: String) throws(OrchestratorError) -> Onvera_V1_Deployment {
    guard let d = durable.deployments[id], d.organizationID == organizationID else {
      throw .notFound(OrchestratorError.Reason.deploymentNotFound, "deployment", id)
    }
    return d
  }

  /// A page of the organization's deployments matching `filter`, newest first, before the
  /// cursor `before` (nil: from the newest), at most `limit` (the caller clamps it).
  public func listDeployments(
    organizationID: String, filter: DeploymentFilter = DeploymentFilter(), before: Int? = nil, limit: Int = 50
  ) -> Page<Onvera_V1_Deployment> {
    let order = durable.deploymentOrder[organizationID] ?? []
    // Filtered by tombstones alone, the total is known: the page walks only its own items.
    var total: Int?
    if filter.environmentID.isEmpty && filter.appType == .unspecified && filter.status == .unspecified {
      total = order.count - (filter.showDestroyed ? 0 : durable.destroyedCount[organizationID] ?? 0)
    }
    return Self.page(order: order, before: before, limit: limit, total: total) { id in
      durable.deployments[id].flatMap { filter.matches($0) ? $0 : nil }
    }
  }

  /// The page of `order`'s matching items before the cursor `before`, newest first. Without a
  /// known `total` of matching items every item is looked at to count them; with one, only
  /// those from the cursor down to the first match after the page.
  static func page<Item>(
    order: [String], before: Int?, limit: Int, total known: Int? = nil, item: (String) -> Item?
  ) -> Page<Item> {
    let end = min(before ?? order.count, order.count)
    var items: [Item] = []
    var total = 0
    var next: Int?
    var i = (known == nil ? order.count : end) - 1
    while i >= 0 {
      if let x = item(order[i]) {
        total += 1
        if i < end {
          if items.count < max(1, limit) {
            items.append(x)
          } else if next == nil {
            next = i + 1
            if known != nil { break }
          }
        }
      }
      i -= 1
    }
    return Page(items: items, nextCursor: next, totalSize: known ?? total)
  }

  /// Starts destroying a READY or FAILED deployment.
  ///
  /// While a destroy is in flight, returns that operation. Throws DEPLOYMENT_NOT_FOUND,
  /// RESOURCE_CONFLICT (another operation in flight; metadata `operation_id`),
  /// DEPLOYMENT_NOT_DESTROYABLE (already destroyed), ETAG_MISMATCH (aborted: `etag` given and
  /// stale), REQUEST_ID_REUSED.
  public func destroyDeployment(organizationID: String, id: String, etag: String = "", requestID: String = "")
    async throws(OrchestratorError) -> Onvera_V1_Operation
  {
    try checkAvailable()
    guard var d = ahead.deployments[id], d.organizationID == organizationID else {
      throw .notFound(OrchestratorError.Reason.deploymentNotFound, "deployment", id)
    }
    let fingerprint = "destroy|\(id)|\(etag)"
    if !requestID.isEmpty, let first = try await idempotent(organizationID, requestID, fingerprint: fingerprint) {
      return durable.operations[first.operationID]!
    }
    var machine = DeploymentMachine(phase: d.phase)
    switch machine.onDestroyRequested() {
    case .joinInFlight:
      let opID = d.operationID
      await barrier()
      if let op = durable.operations[opID] { return op }
      throw OrchestratorError(
        code: .internalError, reason: OrchestratorError.Reason.internalError,
        message: "deployment \(id) is destroying without an operation")
    case .conflict:
      throw OrchestratorError(
        code: .failedPrecondition, reason: OrchestratorError.Reason.resourceConflict,
        message: "deployment \(id) has operation \(d.operationID) in flight; wait for it to finish",
        metadata: ["deployment_id": id, "operation_id": d.operationID])
    case .notDestroyable:
      throw OrchestratorError(
        code: .failedPrecondition, reason: OrchestratorError.Reason.deploymentNotDestroyable,
        message: "deployment \(id) is \(d.status.protoName ?? "unknown") and cannot be destroyed",
        metadata: ["deployment_id": id, "status": d.status.protoName ?? ""])
    case .start:
      break
    }
    if !etag.isEmpty, let current = durable.deployments[id], current.etag != etag {
      throw OrchestratorError(
        code: .aborted, reason: OrchestratorError.Reason.etagMismatch,
        message: "etag '\(etag)' is stale; the deployment's current etag is '\(current.etag)'",
        metadata: ["etag": etag, "current_etag": current.etag])
    }
    let time = Support.now()
    let op = OperationMachine(
      id: "op_" + Support.uuid(using: &random), type: .deploymentDestroy, resourceID: id, organizationID: organizationID,
      steps: Plan.pendingSteps(Plan.destroySteps), phase: machine.phase, at: time
    ).operation
    d.phase = machine.phase
    d.status = machine.status
    d.operationID = op.id
    d.updateTime = time
    d.clearFailure()
    var change = ChangeRecord()
    change.time = time
    change.deployments = [DeploymentChange(d)]
    change.operations = [op]
    if !requestID.isEmpty {
      var entry = StoredIdempotency()
      entry.organizationID = organizationID
      entry.requestID = requestID
      entry.fingerprint = fingerprint
      entry.deploymentID = id
      entry.operationID = op.id
      change.idempotency = [entry]
    }
    try await commit(change)
    workflowContinuation.yield(op.id)
    return durable.operations[op.id]!
  }

  // MARK: operations

  /// The operation `id` of the organization. Throws OPERATION_NOT_FOUND.
  public func operation(organizationID: String, id: String) throws(OrchestratorError) -> Onvera_V1_Operation {
    guard let op = durable.operations[id], op.organizationID == organizationID else {
      throw .notFound(OrchestratorError.Reason.operationNotFound, "operation", id)
    }
    return op
  }

  /// A page of the organization's operations matching `filter`, newest first.
  public func listOperations(
    organizationID: String, filter: OperationFilter = OperationFilter(), before: Int? = nil, limit: Int = 50
  ) -> Page<Onvera_V1_Operation> {
    let order = durable.operationOrder[organizationID] ?? []
    return Self.page(order: order, before: before, limit: limit) { id in
      durable.operations[id].flatMap { filter.matches($0) ? $0 : nil }
    }
  }

  /// Asks a queued or running operation to stop at the next step boundary; a canceled create
  /// releases what it provisioned and leaves the deployment FAILED (OPERATION_CANCELED).
  ///
  /// Throws OPERATION_NOT_FOUND, OPERATION_ALREADY_DONE, OPERATION_NOT_CANCELABLE (a destroy,
  /// which is irreversible once started).
  public func cancelOperation(organizationID: String, id: String) async throws(OrchestratorError)
    -> Onvera_V1_Operation
  {
    try checkAvailable()
    guard let op = ahead.operations[id], op.organizationID == organizationID else {
      throw .notFound(OrchestratorError.Reason.operationNotFound, "operation", id)
    }
    if op.type == .deploymentDestroy && !op.done {
      throw OrchestratorError(
        code: .failedPrecondition, reason: OrchestratorError.Reason.operationNotCancelable,
        message: "operation \(id) destroys a deployment and cannot be canceled", metadata: ["operation_id": id])
    }
    var machine = OperationMachine(op)
    switch machine.onCancelRequested() {
    case .persist(let updated):
      var change = ChangeRecord()
      change.operations = [updated]
      try await commit(change)
    case .none:
      await barrier()
    case .reject:
      throw OrchestratorError(
        code: .failedPrecondition, reason: OrchestratorError.Reason.operationDone,
        message: "operation \(id) is already \(op.status.protoName ?? "done")", metadata: ["operation_id": id])
    }
    return durable.operations[id]!
  }

  /// Streams the operation: see ``OperationWatch``. Throws OPERATION_NOT_FOUND.
  public func watchOperation(organizationID: String, id: String, afterSequence: UInt64 = 0)
    throws(OrchestratorError) -> OperationWatch
  {
    try checkAvailable()
    let op = try operation(organizationID: organizationID, id: id)
    let (subscriber, handle) = hub.watchOperation(op, afterSequence: afterSequence, time: Support.now())
    return OperationWatch(subscriber: subscriber, handle: handle)
  }

  /// Returns when the operation is done or `timeout` passed (nil: only the caller's
  /// cancellation ends the wait), with its latest durable state.
  public func waitOperation(organizationID: String, id: String, timeout: Duration? = nil)
    async throws(OrchestratorError) -> Onvera_V1_Operation
  {
    let current = try operation(organizationID: organizationID, id: id)
    if current.done { return current }
    let waiters = doneWaiters
    let waiter = waiters.allocate(id)
    let sleeper = configuration.sleeper
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await waiters.wait(waiter) }
      if let timeout {
        group.addTask { try? await sleeper.sleep(for: timeout) }
      }
      await group.next()
      group.cancelAll()
    }
    waiters.remove(waiter)
    return try operation(organizationID: organizationID, id: id)
  }

  /// Streams the organization's deployments: see ``DeploymentWatch``.
  ///
  /// Throws ORGANIZATION_NOT_FOUND, ENVIRONMENT_NOT_FOUND, WATCH_REVISION_COMPACTED (out of
  /// range: `afterRevision` is older than the history the store keeps).
  public func watchDeployments(organizationID: String, afterRevision: UInt64 = 0, environmentID: String = "")
    throws(OrchestratorError) -> DeploymentWatch
  {
    try checkAvailable()
    guard durable.organizations[organizationID] != nil else {
      throw .notFound(OrchestratorError.Reason.organizationNotFound, "organization", organizationID)
    }
    if !environmentID.isEmpty && durable.environments[organizationID]?[environmentID] == nil {
      throw .notFound(OrchestratorError.Reason.environmentNotFound, "environment", environmentID)
    }
    let head = durable.revision
    var initial: [(key: String, event: Onvera_V1_DeploymentEvent)] = []
    var catchingUp = false
    if afterRevision == 0 {
      for id in durable.deploymentOrder[organizationID] ?? [] {
        guard let d = durable.deployments[id], d.status != .destroyed,
          environmentID.isEmpty || d.environmentID == environmentID
        else { continue }
        var e = Onvera_V1_DeploymentEvent()
        e.kind = .added
        e.deployment = d
        e.revision = d.revision
        initial.append((d.id, e))
      }
      var synced = Onvera_V1_DeploymentEvent()
      synced.kind = .synced
      synced.revision = head
      initial.append(("", synced))
    } else {
      let compacted = store.compactedRevision
      if afterRevision < compacted {
        throw OrchestratorError(
          code: .outOfRange, reason: OrchestratorError.Reason.watchRevisionCompacted,
          message: "revision \(afterRevision) is older than the kept history (after \(compacted)); "
            + "watch from 0 to reload the full state",
          metadata: ["after_revision": "\(afterRevision)", "compacted_revision": "\(compacted)"])
      }
      catchingUp = afterRevision < head
    }
    let (subscriber, handle) = hub.watchDeployments(
      organizationID: organizationID, environmentID: environmentID, initial: initial, catchingUp: catchingUp)
    return DeploymentWatch(
      subscriber: subscriber, handle: handle, store: store, organizationID: organizationID,
      environmentID: environmentID, catchUpFrom: afterRevision, catchUpTo: catchingUp ? head : afterRevision)
  }
}

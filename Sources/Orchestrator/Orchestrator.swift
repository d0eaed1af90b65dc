public import Logging
public import OnveraProto
public import OnveraStore
import Synchronization

/// The heart of the control plane: owns the domain state, turns commands into durable records,
/// runs the workflows of operations and feeds the watch hub.
///
/// Every command is validated against the state *ahead* of durability (so that two concurrent
/// commands see each other's reservations), appended to the store, and applied to the
/// *durable* state that queries and watchers see only once the store acknowledged it. Records
/// are appended in the order they were made (one batch at a time, group-committed), so
/// revision order equals decision order and replay rebuilds exactly the same state.
///
/// Lifecycle: ``open(dataDirectory:provisioner:configuration:logger:)``, then ``run()`` (workflows,
/// heartbeats, snapshots; returns after ``beginGracefulShutdown()`` or cancellation), then
/// ``close()``. Commands work before `run()` starts; their operations wait queued until it does.
public actor Orchestrator {
  /// Tunables. Defaults suit production; tests shrink the durations.
  public struct Configuration: Sendable {
    /// Deployments are reachable at `https://<subdomain>.<baseDomain>`.
    public var baseDomain: String
    /// A step running longer than this marks its operation stalled (it keeps running).
    public var stepDeadline: Duration
    /// Tries per step for transient provisioner errors, the first one included.
    public var maxAttempts: Int
    /// Backoff before the first retry; doubles per retry up to `maxRetryBackoff`.
    public var retryBackoff: Duration
    /// The longest backoff between two tries.
    public var maxRetryBackoff: Duration
    /// Watchers idle this long get a HEARTBEAT (operations) or BOOKMARK (deployments).
    public var heartbeatInterval: Duration
    /// Events buffered per watcher before its backlog is coalesced per object.
    public var watchBufferLimit: Int
    /// Recent states kept per unfinished operation for watchers resuming from a sequence.
    public var operationHistoryLimit: Int
    /// Records between automatic snapshots; 0 disables them.
    public var snapshotInterval: UInt64
    /// last_used_time of an API key is persisted at most this often.
    public var apiKeyUseGranularity: Duration
    /// How workflows wait (backoff, deadlines).
    public var sleeper: any Sleeper
    /// The store's own tunables.
    public var storeConfiguration: Store.Configuration

    /// The defaults.
    public init() {
      baseDomain = "onvera.local"
      stepDeadline = .seconds(600)
      maxAttempts = 5
      retryBackoff = .milliseconds(500)
      maxRetryBackoff = .seconds(30)
      heartbeatInterval = .seconds(15)
      watchBufferLimit = 256
      operationHistoryLimit = 64
      snapshotInterval = 50_000
      apiKeyUseGranularity = .seconds(60)
      sleeper = ContinuousSleeper()
      storeConfiguration = Store.Configuration()
    }
  }

  enum Wake: Sendable {
    case committed(UInt64)
    case flush
  }

  struct PendingCommit: Sendable {
    var change: ChangeRecord
    var continuation: CheckedContinuation<Wake, any Error>?
  }

  /// The store the orchestrator writes to (owned: ``close()`` closes it).
  public nonisolated let store: Store
  let provisioner: any Provisioner
  nonisolated let configuration: Configuration
  let logger: Logger
  let hub: WatchHub
  let doneWaiters = DoneWaiters()

  var durable: OrchestratorState
  var ahead: OrchestratorState
  var queue: [PendingCommit] = []
  var flushing = false
  var writerRunning = false
  var submitted: UInt64 = 0
  var committed: UInt64 = 0
  var barriers: [(UInt64, CheckedContinuation<Void, Never>)] = []
  var failure: OrchestratorError?
  var activeRunners: Set<String> = []
  var runningSteps: [String: RunningStep] = [:]
  /// Resource changes of running steps, written with the step's outcome.
  var staged: [String: [StoredResource]] = [:]
  var recordsSinceSnapshot: UInt64 = 0
  /// The API keys for authentication, readable off the actor.
  nonisolated let keys = KeyDirectory()
  /// Generates ids and subdomain suffixes (on the actor: no lock needed).
  var random = FastRandom()
  let batchBytes: Int

  let workflows: AsyncStream<String>
  let workflowContinuation: AsyncStream<String>.Continuation
  let snapshotRequests: AsyncStream<Void>
  let snapshotContinuation: AsyncStream<Void>.Continuation
  let writerSignals: AsyncStream<Void>
  let writerSignal: AsyncStream<Void>.Continuation
  let storeFailures: AsyncStream<OrchestratorError>
  let storeFailure: AsyncStream<OrchestratorError>.Continuation

  init(
    store: Store, state: OrchestratorState, provisioner: any Provisioner, configuration: Configuration,
    logger: Logger = Logger(label: "onvera.orchestrator")
  ) {
    self.store = store
    self.provisioner = provisioner
    self.configuration = configuration
    self.logger = logger
    durable = state
    ahead = state
    keys.load(state)
    hub = WatchHub(
      bufferLimit: configuration.watchBufferLimit, historyLimit: configuration.operationHistoryLimit,
      revision: state.revision)
    batchBytes = max(1024, min(1 << 20, configuration.storeConfiguration.maxBatchBytes / 2))
    (workflows, workflowContinuation) = AsyncStream.makeStream(of: String.self)
    (snapshotRequests, snapshotContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    (writerSignals, writerSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    (storeFailures, storeFailure) = AsyncStream.makeStream(
      of: OrchestratorError.self, bufferingPolicy: .bufferingOldest(1))
  }

  /// Opens the store in `dataDirectory` and rebuilds the state from its snapshot and log.
  ///
  /// - Throws: ``OrchestratorError`` (`unavailable`, with the `StoreError` as cause, e.g. the
  ///   directory is locked or corrupted; `internalError` if a record cannot be decoded).
  public static func open(
    dataDirectory: String, provisioner: any Provisioner = SimulatedProvisioner(),
    configuration: Configuration = Configuration(), logger: Logger = Logger(label: "onvera.orchestrator")
  ) throws -> Orchestrator {
    var state = OrchestratorState()
    var history = OperationHistory()
    let historyLimit = configuration.operationHistoryLimit
    let store: Store
    do {
      store = try Store.open(
        dataDirectory: dataDirectory, configuration: configuration.storeConfiguration, logger: logger,
        restore: { snapshot in
          let record = try ChangeRecord(serializedBytes: snapshot.bytes)
          state = OrchestratorState.restoring(record, revision: snapshot.revision)
          history = OperationHistory()
          for op in record.operationHistory { history.remember(op, limit: historyLimit) }
        },
        replay: { record in
          guard record.type == ChangeRecord.recordType else { return }
          let change = try ChangeRecord(serializedBytes: record.payload)
          for op in change.operations { history.remember(op, limit: historyLimit) }
          state.apply(change, revision: record.revision)
        })
    } catch let error as StoreError {
      throw OrchestratorError(
        code: .unavailable, reason: OrchestratorError.Reason.unavailable,
        message: "cannot open the store in \(dataDirectory): \(error.message)", cause: error)
    } catch {
      throw OrchestratorError(
        code: .internalError, reason: OrchestratorError.Reason.internalError,
        message: "cannot replay the store in \(dataDirectory): \(error)", cause: error)
    }
    logger.info(
      "orchestrator state rebuilt",
      metadata: [
        "revision": "\(state.revision)", "deployments": "\(state.deployments.count)",
        "unfinished_operations": "\(state.unfinishedOperations.count)",
      ])
    let orchestrator = Orchestrator(
      store: store, state: state, provisioner: provisioner, configuration: configuration, logger: logger)
    orchestrator.hub.restore(history)
    return orchestrator
  }

  // MARK: lifecycle

  /// Runs the workflows of every unfinished operation (resuming each at the step it was in)
  /// and of every new one, the heartbeats and the automatic snapshots, all as child tasks.
  /// Returns once ``beginGracefulShutdown()`` was called or the calling task is cancelled, after
  /// every child stopped; an interrupted step is resumed when a new orchestrator opens the same
  /// directory. Call it once per instance.
  public nonisolated func run() async {
    await withDiscardingTaskGroup { group in
      group.addTask { await self.heartbeatLoop() }
      group.addTask { await self.snapshotLoop() }
      group.addTask { await self.stallLoop() }
      group.addTask(priority: .high) { await self.writerLoop() }
      for op in await self.unfinishedOperationIDs() { self.workflowContinuation.yield(op) }
      for await id in self.workflows {
        group.addTask { await self.runWorkflow(id) }
      }
      group.cancelAll()
    }
  }

  /// Makes ``run()`` stop its workflows and return. Commands keep working until ``close()``.
  public nonisolated func beginGracefulShutdown() {
    workflowContinuation.finish()
  }

  /// Ends every watch with `unavailable`, waits for in-flight appends and closes the store.
  /// Call after ``run()`` returned; the orchestrator refuses commands afterwards.
  public func close() async {
    workflowContinuation.finish()
    snapshotContinuation.finish()
    if failure == nil {
      failure = OrchestratorError(
        code: .unavailable, reason: OrchestratorError.Reason.unavailable, message: "the orchestrator is closed")
    }
    await barrier()
    hub.close()
    doneWaiters.close()
    storeFailure.finish()
    await store.close()
  }

  private func unfinishedOperationIDs() -> [String] { durable.unfinishedOperations.map(\.id) }

  /// Waits until the store fails (a write or fdatasync error: the orchestrator then refuses
  /// every change until restarted) and returns that failure; returns nil once the
  /// orchestrator is closed without one. A server fail-stops on it. Call it from one task.
  public nonisolated func storeFailed() async -> OrchestratorError? {
    for await failure in storeFailures { return failure }
    return nil
  }

  private func heartbeatLoop() async {
    let interval = configuration.heartbeatInterval
    let tick = max(interval / 4, .milliseconds(1))
    while !Task.isCancelled {
      do { try await Task.sleep(for: tick) } catch { return }
      hub.tick(quiet: interval, time: Support.now())
    }
  }

  private nonisolated func stallLoop() async {
    let tick = max(min(configuration.stepDeadline / 4, .seconds(1)), .milliseconds(1))
    while !Task.isCancelled {
      do { try await configuration.sleeper.sleep(for: tick) } catch { return }
      await checkStalls()
    }
  }

  private nonisolated func snapshotLoop() async {
    for await _ in snapshotRequests {
      do {
        try await writeSnapshot()
      } catch {
        logger.warning("automatic snapshot failed", metadata: ["error": "\(error)"])
        // A snapshot's I/O error fails the store like an append's: stop changes now, not at
        // the next append.
        if let failure = store.failure { await failBatch([], failure) }
      }
    }
  }

  /// Writes a snapshot of the durable state to the store (which then compacts its log).
  ///
  /// - Returns: the revision the snapshot covers (0: nothing to snapshot).
  @discardableResult
  public func writeSnapshot() async throws -> UInt64 {
    let revision = durable.revision
    guard revision > 0 else { return 0 }
    var record = durable.snapshotRecord()
    record.operationHistory = hub.historyForSnapshot()
    let bytes = record.serializedBytes()
    recordsSinceSnapshot = 0
    do {
      try await store.writeSnapshot(at: revision, bytes: bytes)
    } catch let error as StoreError where error.code == .invalidArgument {
      // Not newer than the last snapshot, or one is being written: nothing new to cover.
      return 0
    } catch {
      throw OrchestratorError(
        code: .unavailable, reason: OrchestratorError.Reason.unavailable, message: "cannot write a snapshot",
        cause: error)
    }
    return revision
  }

  // MARK: committing

  /// Applies `change` to the state ahead of durability, appends it, and returns its revision
  /// once it is durable and applied to the durable state (and published).
  @discardableResult
  func commit(_ change: ChangeRecord) async throws(OrchestratorError) -> UInt64 {
    if let failure { throw failure }
    var change = change
    if !change.time.hasValue { change.time = Support.now() }
    ahead.apply(change, revision: nil)
    submitted += 1
    var wake: Wake
    do {
      if flushing || writerRunning {
        wake = try await withCheckedThrowingContinuation { c in
          queue.append(PendingCommit(change: change, continuation: c))
          if !flushing { writerSignal.yield() }
        }
      } else {
        flushing = true
        queue.append(PendingCommit(change: change, continuation: nil))
        wake = .flush
      }
      while true {
        switch wake {
        case .committed(let revision): return revision
        case .flush:
          // The batch is appended and applied by a high-priority child: the actor runs
          // higher-priority jobs first, so applying a durable batch (which wakes every
          // waiting committer) never queues behind the work of the committers it woke.
          wake = try await withThrowingTaskGroup(of: Wake.self) { group in
            group.addTask(priority: .high) { try await self.flushBatch() }
            return try await group.next()!
          }
        }
      }
    } catch let error as OrchestratorError {
      throw error
    } catch {
      throw OrchestratorError(
        code: .unavailable, reason: OrchestratorError.Reason.unavailable, message: "\(error)", cause: error)
    }
  }

  /// Appends the oldest queued changes (the caller's own among them) and applies them once
  /// durable. Encoding and appending run off the actor; only taking and applying are on it.
  private nonisolated func flushBatch() async throws -> Wake {
    let batch = await takeBatch()
    var chunks: [[Record]] = [[]]
    var bytes = 0
    for p in batch {
      let payload = p.change.serializedBytes()
      if !chunks[chunks.count - 1].isEmpty && bytes + payload.count + 64 > batchBytes {
        chunks.append([])
        bytes = 0
      }
      bytes += payload.count + 64
      chunks[chunks.count - 1].append(Record(type: ChangeRecord.recordType, payload: payload))
    }
    var first: UInt64?
    var next: UInt64?
    do {
      // One writer, one flusher at a time: consecutive appends get consecutive revisions.
      for chunk in chunks {
        let range = try await store.append(contentsOf: chunk)
        if let next, range.lowerBound != next {
          throw OrchestratorError(
            code: .internalError, reason: OrchestratorError.Reason.internalError,
            message: "the store gave revision \(range.lowerBound) where \(next) was expected: another writer?")
        }
        first = first ?? range.lowerBound
        next = range.upperBound + 1
      }
    } catch {
      await failBatch(batch, error)
      throw error
    }
    return await applyBatch(batch, firstRevision: first!)
  }

  private func takeBatch() -> [PendingCommit] {
    let n = min(queue.count, 4096)
    let batch = Array(queue.prefix(n))
    queue.removeFirst(n)
    return batch
  }

  private func failBatch(_ batch: [PendingCommit], _ error: any Error) {
    guard self.failure == nil || !batch.isEmpty || !queue.isEmpty else { return }
    let failure = OrchestratorError(
      code: .unavailable, reason: OrchestratorError.Reason.unavailable,
      message: "the store failed; the orchestrator refuses changes until restarted", cause: error)
    logger.critical("the store failed", metadata: ["error": "\(error)"])
    self.failure = failure
    storeFailure.yield(failure)
    storeFailure.finish()
    for p in batch + queue { p.continuation?.resume(throwing: failure) }
    queue = []
    flushing = false
    hub.close()
    doneWaiters.close()
    // Nothing more becomes durable: let every barrier go (callers then see `failure`).
    for (_, c) in barriers { c.resume() }
    barriers = []
  }

  private func applyBatch(_ batch: [PendingCommit], firstRevision: UInt64) -> Wake {
    var mine: UInt64 = 0
    for (i, p) in batch.enumerated() {
      let revision = firstRevision + UInt64(i)
      applyDurable(p.change, revision: revision)
      if let c = p.continuation {
        c.resume(returning: .committed(revision))
      } else {
        mine = revision
      }
    }
    if queue.isEmpty {
      flushing = false
    } else if writerRunning {
      // The writer takes the next batch right away, while the committers just woken work.
      flushing = false
      writerSignal.yield()
    } else {
      handOffFlushing()
    }
    return .committed(mine)
  }

  /// Makes the oldest waiter the flusher: its change leads the next batch.
  private func handOffFlushing() {
    flushing = true
    let next = queue[0].continuation!
    queue[0].continuation = nil
    next.resume(returning: .flush)
  }

  /// While ``run()`` runs, a high-priority writer appends batch after batch, so the next
  /// fdatasync overlaps the work of the committers the previous one woke. Without it (before
  /// `run()`, after it), the committers flush themselves in turn.
  private nonisolated func writerLoop() async {
    await setWriterRunning(true)
    for await _ in writerSignals {
      while await beginWriterFlush() {
        do { _ = try await flushBatch() } catch { break }
      }
    }
    await setWriterRunning(false)
  }

  private func setWriterRunning(_ running: Bool) {
    writerRunning = running
    if !running && !flushing && !queue.isEmpty { handOffFlushing() }
  }

  private func beginWriterFlush() -> Bool {
    guard writerRunning, !flushing, !queue.isEmpty, failure == nil else { return false }
    flushing = true
    return true
  }

  private func applyDurable(_ change: ChangeRecord, revision: UInt64) {
    durable.apply(change, revision: revision)
    keys.apply(change.apiKeys)
    committed += 1
    let deployments = change.deployments.map { durable.deployments[$0.deployment.id]! }
    hub.publish(revision: revision, time: change.time, change: change, deployments: deployments)
    for op in change.operations where op.done { doneWaiters.resumeAll(op.id) }
    while let first = barriers.first, first.0 <= committed {
      barriers.removeFirst()
      first.1.resume()
    }
    recordsSinceSnapshot += 1
    if configuration.snapshotInterval > 0 && recordsSinceSnapshot >= configuration.snapshotInterval {
      recordsSinceSnapshot = 0
      snapshotContinuation.yield()
    }
  }

  /// Waits until every change submitted so far is durable.
  func barrier() async {
    let target = submitted
    if committed >= target || (!flushing && queue.isEmpty) { return }
    await withCheckedContinuation { c in barriers.append((target, c)) }
  }

  func checkAvailable() throws(OrchestratorError) {
    if let failure { throw failure }
  }

  // MARK: organizations

  /// Creates an organization with its system-owned default environment `env_default`, and
  /// its owner as first member when `ownerEmail` is given.
  public func createOrganization(name: String, ownerEmail: String? = nil) async throws(OrchestratorError)
    -> Onvera_V1_Organization
  {
    try checkAvailable()
    try Self.validateName(name, field: "name", max: 100)
    let time = Support.now()
    var org = Onvera_V1_Organization()
    org.id = "org_" + Support.uuid(using: &random)
    org.name = name
    org.slug = Support.slug(name, maxLength: 63)
    org.createTime = time
    var env = Onvera_V1_Environment()
    env.id = "env_default"
    env.name = "Default"
    env.slug = "default"
    env.isolationLevel = .shared
    env.organizationID = org.id
    env.systemOwned = true
    env.createTime = time
    var change = ChangeRecord()
    change.time = time
    change.organizations = [org]
    change.environments = [env]
    if let ownerEmail {
      try Self.validateEmail(ownerEmail)
      var member = StoredMember()
      member.organizationID = org.id
      member.member.userID = "usr_" + Support.uuid(using: &random)
      member.member.email = ownerEmail
      member.member.role = .owner
      member.member.createTime = time
      change.members = [member]
    }
    try await commit(change)
    return durable.organizations[org.id]!
  }

  /// The organization `id`. Throws ORGANIZATION_NOT_FOUND.
  public func organization(id: String) throws(OrchestratorError) -> Onvera_V1_Organization {
    guard let org = durable.organizations[id] else {
      throw .notFound(OrchestratorError.Reason.organizationNotFound, "organization", id)
    }
    return org
  }

  /// Every organization, oldest first.
  public func organizations() -> [Onvera_V1_Organization] {
    durable.organizationOrder.compactMap { durable.organizations[$0] }
  }

  private func requireOrganization(_ id: String, in state: OrchestratorState) throws(OrchestratorError) {
    if state.organizations[id] == nil {
      throw .notFound(OrchestratorError.Reason.organizationNotFound, "organization", id)
    }
  }

  // MARK: environments

  /// Creates an environment (platform administrators only; the API layer checks that).
  public func createEnvironment(
    organizationID: String, name: String, isolationLevel: Onvera_V1_IsolationLevel
  ) async throws(OrchestratorError) -> Onvera_V1_Environment {
    try checkAvailable()
    try requireOrganization(organizationID, in: ahead)
    try Self.validateName(name, field: "name", max: 63)
    let slug = Support.slug(name, maxLength: 63)
    guard !slug.isEmpty else {
      throw .validation("name must contain a letter or digit, got '\(name)'", field: "name")
    }
    switch isolationLevel {
    case .shared, .dedicated, .dedicatedNetworking, .byoc, .unspecified: break
    default:
      throw .validation("isolation_level \(isolationLevel.rawValue) is not a known level", field: "isolation_level")
    }
    if ahead.environments[organizationID, default: [:]].values.contains(where: { $0.slug == slug }) {
      throw OrchestratorError(
        code: .alreadyExists, reason: OrchestratorError.Reason.environmentAlreadyExists,
        message: "an environment with slug '\(slug)' exists already", metadata: ["slug": slug])
    }
    var env = Onvera_V1_Environment()
    env.id = "env_" + Support.uuid(using: &random)
    env.name = name
    env.slug = slug
    env.isolationLevel = isolationLevel == .unspecified ? .shared : isolationLevel
    env.organizationID = organizationID
    env.createTime = Support.now()
    var change = ChangeRecord()
    change.environments = [env]
    try await commit(change)
    return env
  }

  /// The environment `id` of the organization. Throws ENVIRONMENT_NOT_FOUND.
  public func environment(organizationID: String, id: String) throws(OrchestratorError) -> Onvera_V1_Environment {
    guard let env = durable.environments[organizationID]?[id] else {
      throw .notFound(OrchestratorError.Reason.environmentNotFound, "environment", id)
    }
    return env
  }

  /// The organization's environments, `env_default` first, then by creation.
  public func environments(organizationID: String) -> [Onvera_V1_Environment] {
    (durable.environmentOrder[organizationID] ?? []).compactMap { durable.environments[organizationID]?[$0] }
  }

  // MARK: members

  /// Adds a member and starts its user.provision operation: one provision_user step per READY
  /// (or still provisioning) deployment of the organization; a provisioning deployment whose
  /// provision_members step has not started yet is skipped, since that step will include the
  /// member. Throws MEMBER_ALREADY_EXISTS for a current member's email.
  public func addMember(organizationID: String, email: String, role: Onvera_V1_MemberRole)
    async throws(OrchestratorError) -> (member: Onvera_V1_Member, operation: Onvera_V1_Operation)
  {
    try checkAvailable()
    try requireOrganization(organizationID, in: ahead)
    try Self.validateEmail(email)
    let existing = ahead.members[organizationID, default: [:]].values
    if existing.contains(where: { !$0.removed && $0.member.email.lowercased() == email.lowercased() }) {
      throw OrchestratorError(
        code: .alreadyExists, reason: OrchestratorError.Reason.memberAlreadyExists,
        message: "'\(email)' is a member already", metadata: ["email": email])
    }
    let time = Support.now()
    var member = StoredMember()
    member.organizationID = organizationID
    member.member.userID = "usr_" + Support.uuid(using: &random)
    member.member.email = email
    member.member.role = role == .unspecified ? .member : role
    member.member.createTime = time
    // Deployments still provisioning are included too: one whose provision_members step
    // already started without this member gets the member from this operation instead.
    let targets = deploymentIDs(organizationID, in: ahead) { $0.status == .ready || $0.status == .provisioning }
    let op = OperationMachine(
      id: "op_" + Support.uuid(using: &random), type: .userProvision, resourceID: member.member.userID,
      organizationID: organizationID,
      steps: Plan.pendingSteps(Array(repeating: StepName.provisionUser, count: targets.count), resourceIDs: targets),
      phase: .unspecified, at: time
    ).operation
    var change = ChangeRecord()
    change.time = time
    change.members = [member]
    change.operations = [op]
    try await commit(change)
    workflowContinuation.yield(op.id)
    return (member.member, durable.operations[op.id]!)
  }

  /// Removes a member and starts its user.revoke operation: one revoke_user step per READY,
  /// FAILED or provisioning deployment (one still bootstrapping is revoked after its
  /// provision_members step, or skipped if that has not started). Throws MEMBER_NOT_FOUND.
  public func removeMember(organizationID: String, userID: String) async throws(OrchestratorError)
    -> Onvera_V1_Operation
  {
    try checkAvailable()
    guard var member = ahead.members[organizationID]?[userID], !member.removed else {
      throw .notFound(OrchestratorError.Reason.memberNotFound, "member", userID)
    }
    member.removed = true
    let time = Support.now()
    let targets = deploymentIDs(organizationID, in: ahead) {
      $0.status == .ready || $0.status == .failed || $0.status == .provisioning
    }
    let op = OperationMachine(
      id: "op_" + Support.uuid(using: &random), type: .userRevoke, resourceID: userID, organizationID: organizationID,
      steps: Plan.pendingSteps(Array(repeating: StepName.revokeUser, count: targets.count), resourceIDs: targets),
      phase: .unspecified, at: time
    ).operation
    var change = ChangeRecord()
    change.time = time
    change.members = [member]
    change.operations = [op]
    try await commit(change)
    workflowContinuation.yield(op.id)
    return durable.operations[op.id]!
  }

  /// The organization's current members, oldest first.
  public func members(organizationID: String) -> [Onvera_V1_Member] {
    (durable.memberOrder[organizationID] ?? []).compactMap { id in
      durable.members[organizationID]?[id].flatMap { $0.removed ? nil : $0.member }
    }
  }

  private func deploymentIDs(
    _ organizationID: String, in state: OrchestratorState, where predicate: (Onvera_V1_Deployment) -> Bool
  ) -> [String] {
    (state.deploymentOrder[organizationID] ?? []).filter { state.deployments[$0].map(predicate) ?? false }
  }

  // MARK: API keys

  /// Stores a new API key record; the caller generated the secret and hashed it (SHA-256).
  public func createApiKey(
    organizationID: String, name: String, prefix: String, secretHash: [UInt8], scopes: [String],
    expireTime: Google_Protobuf_Timestamp? = nil
  ) async throws(OrchestratorError) -> Onvera_V1_ApiKey {
    try checkAvailable()
    try requireOrganization(organizationID, in: ahead)
    guard secretHash.count == 32 else {
      throw .validation("secret_hash must be 32 bytes (SHA-256), got \(secretHash.count)", field: "secret_hash")
    }
    if ahead.apiKeysByHash[secretHash] != nil {
      throw OrchestratorError(
        code: .alreadyExists, reason: "API_KEY_ALREADY_EXISTS", message: "a key with this secret exists already")
    }
    var stored = StoredApiKey()
    stored.organizationID = organizationID
    stored.secretHash = secretHash
    stored.key.id = "key_" + Support.uuid(using: &random)
    stored.key.name = name
    stored.key.prefix = prefix
    stored.key.scopes = scopes
    stored.key.createTime = Support.now()
    if let expireTime { stored.key.expireTime = expireTime }
    var change = ChangeRecord()
    change.apiKeys = [stored]
    try await commit(change)
    return stored.key
  }

  /// The key whose secret hashes to `secretHash`, with its organization, for authentication.
  /// Revoked and expired keys are returned too: the caller tells them apart. Durable keys only;
  /// read under a lock, not on the actor.
  public nonisolated func apiKey(secretHash: [UInt8]) -> (organizationID: String, key: Onvera_V1_ApiKey)? {
    keys.lookup(secretHash).map { ($0.organizationID, $0.key) }
  }

  /// Whether ``recordApiKeyUse(keyID:)`` would note a use of the key now; false while a use
  /// was noted within ``Configuration-swift.struct/apiKeyUseGranularity``. Off the actor, so
  /// that authentication hops onto it only when a use is to be written.
  public nonisolated func apiKeyUseIsDue(keyID: String) -> Bool {
    keys.useIsDue(keyID, now: .now, granularity: configuration.apiKeyUseGranularity)
  }

  /// The organization's API keys, oldest first.
  public func apiKeys(organizationID: String) -> [Onvera_V1_ApiKey] {
    (durable.apiKeyOrder[organizationID] ?? []).compactMap { durable.apiKeys[$0]?.key }
  }

  /// Revokes a key for good; revoking a revoked key returns it unchanged. Throws API_KEY_NOT_FOUND.
  public func revokeApiKey(organizationID: String, keyID: String) async throws(OrchestratorError) -> Onvera_V1_ApiKey {
    try checkAvailable()
    guard var stored = ahead.apiKeys[keyID], stored.organizationID == organizationID else {
      throw .notFound(OrchestratorError.Reason.apiKeyNotFound, "API key", keyID)
    }
    if stored.key.hasRevokeTime { return stored.key }
    stored.key.revokeTime = Support.now()
    var change = ChangeRecord()
    change.apiKeys = [stored]
    try await commit(change)
    return stored.key
  }

  /// Notes that a key was used; persisted at most once per ``Configuration-swift.struct/apiKeyUseGranularity``.
  public func recordApiKeyUse(keyID: String) async throws(OrchestratorError) {
    try checkAvailable()
    guard var stored = ahead.apiKeys[keyID],
      keys.claimUse(keyID, now: .now, granularity: configuration.apiKeyUseGranularity)
    else { return }
    stored.key.lastUsedTime = Support.now()
    var change = ChangeRecord()
    change.apiKeys = [stored]
    try await commit(change)
  }

  // MARK: validation

  static func validateName(_ name: String, field: String, max: Int) throws(OrchestratorError) {
    let count = name.count
    guard count >= 1, count <= max else {
      throw .validation("\(field) must be 1 to \(max) characters, got \(count)", field: field)
    }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw .validation("\(field) must not contain control characters", field: field)
    }
    if name.first!.isWhitespace || name.last!.isWhitespace {
      throw .validation("\(field) must not start or end with whitespace, got '\(name)'", field: field)
    }
  }

  static func validateEmail(_ email: String) throws(OrchestratorError) {
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, email.count <= 254,
      !email.contains(where: { $0.isWhitespace })
    else {
      throw .validation("email must look like name@example.com, got '\(email)'", field: "email")
    }
  }

  // MARK: provisioned resources

  /// The resources the provisioner recorded as present (for one deployment, or all).
  public func resources(deploymentID: String? = nil) -> [ProvisionedResource] {
    Self.resources(in: durable, deploymentID: deploymentID)
  }

  static func resources(in state: OrchestratorState, deploymentID: String?) -> [ProvisionedResource] {
    let selected: [StoredResource]
    if let deploymentID {
      selected = (state.resourcesByDeployment[deploymentID] ?? []).compactMap { state.resources[$0] }
    } else {
      selected = Array(state.resources.values)
    }
    return selected
      .map { ProvisionedResource(kind: $0.kind, id: $0.id, deploymentID: $0.deploymentID) }
      .sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
  }

  func ledgerList(_ deploymentID: String?) -> [ProvisionedResource] {
    Self.resources(in: ahead, deploymentID: deploymentID)
  }

  /// Records a resource a step created. The record is staged: it is applied to the state
  /// ahead of durability at once (so that every later check sees it) and written in the same
  /// durable change as the step's outcome, so a crash before that change leaves neither,
  /// and the step (idempotent) runs again after the restart.
  func ledgerRecord(_ resource: ProvisionedResource, requiring: ProvisionedResource?, operationID: String) throws
    -> Bool
  {
    try checkAvailable()
    var stored = StoredResource()
    stored.kind = resource.kind
    stored.id = resource.id
    stored.deploymentID = resource.deploymentID
    stored.present = true
    if ahead.resources[stored.key] != nil { return false }
    if let requiring, ahead.resources[requiring.kind + ":" + requiring.id] == nil {
      throw ProvisionerError("\(resource) needs \(requiring), which is gone", metadata: ["resource": "\(resource)"])
    }
    stage(stored, operationID: operationID)
    return true
  }

  /// Records a resource a step removed; staged like ``ledgerRecord(_:requiring:operationID:)``.
  func ledgerRemove(_ resource: ProvisionedResource, operationID: String) throws -> Bool {
    try checkAvailable()
    let key = resource.kind + ":" + resource.id
    guard var stored = ahead.resources[key] else { return false }
    stored.present = false
    stage(stored, operationID: operationID)
    return true
  }

  private func stage(_ resource: StoredResource, operationID: String) {
    var change = ChangeRecord()
    change.resources = [resource]
    ahead.apply(change, revision: nil)
    staged[operationID, default: []].append(resource)
  }

  /// The ledger the steps of one operation use.
  nonisolated func ledger(for operationID: String) -> ResourceLedger {
    ResourceLedger(
      listResources: { await self.ledgerList($0) },
      addResource: { try await self.ledgerRecord($0, requiring: $1, operationID: operationID) },
      removeResource: { try await self.ledgerRemove($0, operationID: operationID) })
  }

  /// The revision of the newest durable change the state includes.
  public var revision: UInt64 { durable.revision }

  /// False once the store failed or the orchestrator was closed (health: NOT_SERVING).
  public var isAvailable: Bool { failure == nil }

  /// How many operations there are of each type in each status (for metrics).
  public func operationCounts() -> [Onvera_V1_OperationType: [Onvera_V1_OperationStatus: Int]] {
    var counts: [Onvera_V1_OperationType: [Onvera_V1_OperationStatus: Int]] = [:]
    for op in durable.operations.values { counts[op.type, default: [:]][op.status, default: 0] += 1 }
    return counts
  }

  /// Open watches: operation watchers and deployment watchers (for metrics).
  public nonisolated var watcherCounts: (operations: Int, deployments: Int) { hub.counts }
}

extension Google_Protobuf_Timestamp {
  var hasValue: Bool { seconds != 0 || nanos != 0 }
}

/// Callers of `waitOperation`, woken once when their operation is done (not on every change).
final class DoneWaiters: Sendable {
  struct Waiter: Hashable, Sendable {
    var operationID: String
    var id: Int
  }

  enum Slot {
    case allocated
    case waiting(CheckedContinuation<Void, Never>)
    case woken
  }

  struct State {
    var next = 0
    var slots: [String: [Int: Slot]] = [:]
    var closed = false
  }

  let state = Mutex(State())

  /// Reserves a slot before the caller suspends, so a wake in between is not lost.
  func allocate(_ operationID: String) -> Waiter {
    state.withLock { s in
      s.next += 1
      s.slots[operationID, default: [:]][s.next] = s.closed ? .woken : .allocated
      return Waiter(operationID: operationID, id: s.next)
    }
  }

  /// Returns once the operation is done, the registry closes or the task is cancelled.
  func wait(_ w: Waiter) async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let now = state.withLock { s -> Bool in
          guard case .allocated = s.slots[w.operationID]?[w.id], !Task.isCancelled else { return true }
          s.slots[w.operationID]![w.id] = .waiting(c)
          return false
        }
        if now { c.resume() }
      }
    } onCancel: {
      wake(w)
    }
  }

  private func wake(_ w: Waiter) {
    let c: CheckedContinuation<Void, Never>? = state.withLock { s in
      guard let slot = s.slots[w.operationID]?[w.id] else { return nil }
      s.slots[w.operationID]![w.id] = .woken
      if case .waiting(let c) = slot { return c }
      return nil
    }
    c?.resume()
  }

  func remove(_ w: Waiter) {
    wake(w)
    state.withLock { s in
      s.slots[w.operationID]?[w.id] = nil
      if s.slots[w.operationID]?.isEmpty == true { s.slots[w.operationID] = nil }
    }
  }

  func resumeAll(_ operationID: String) {
    let ids: [Int] = state.withLock { s in s.slots[operationID].map { Array($0.keys) } ?? [] }
    for id in ids { wake(Waiter(operationID: operationID, id: id)) }
  }

  func close() {
    let all: [Waiter] = state.withLock { s in
      s.closed = true
      return s.slots.flatMap { op, slots in slots.keys.map { Waiter(operationID: op, id: $0) } }
    }
    for w in all { wake(w) }
  }
}

public import OnveraProto

/// The lifecycle of one deployment as a pure state machine over its phase.
///
/// Create: initialization → database_provisioning → infrastructure_provisioning →
/// application_bootstrap → subdomain_configuration → ready. Destroy (from READY or FAILED):
/// revoking_access → removing_db_tenant → tearing_down_infra → destroyed (a tombstone).
/// Provisioning or destroying may end in failed. The status is derived from the phase
/// (``Plan/status(for:)``). Every `on<Event>` returns what the owner should do; a rejected
/// event leaves the machine unchanged.
public struct DeploymentMachine: Sendable, Hashable {
  /// What an event asks the owner to do.
  public enum Transition: Sendable, Hashable {
    /// Record the deployment in `phase`.
    case moved(to: Onvera_V1_Phase)
    /// Nothing to record: the machine is already there.
    case unchanged
    /// The event is not allowed in this state; the text says why.
    case rejected(String)
  }

  /// What a destroy request asks the owner to do.
  public enum DestroyDecision: Sendable, Hashable {
    /// Start a deployment.destroy; the machine is now in revoking_access.
    case start
    /// A destroy is already in flight: return its operation.
    case joinInFlight
    /// Another operation (the create) is in flight: RESOURCE_CONFLICT.
    case conflict
    /// Destroyed already, or otherwise not destroyable.
    case notDestroyable
  }

  /// The current phase.
  public private(set) var phase: Onvera_V1_Phase

  /// The status the contract derives from the phase.
  public var status: Onvera_V1_DeploymentStatus { Plan.status(for: phase) }

  /// A machine for a new deployment, in initialization.
  public init() { phase = .initialization }

  /// A machine resuming a deployment in `phase`.
  public init(phase: Onvera_V1_Phase) { self.phase = phase }

  private static let createOrder: [Onvera_V1_Phase] = [
    .initialization, .databaseProvisioning, .infrastructureProvisioning, .applicationBootstrap,
    .subdomainConfiguration,
  ]
  private static let destroyOrder: [Onvera_V1_Phase] = [.revokingAccess, .removingDbTenant, .tearingDownInfra]

  /// A step of the deployment's current workflow started in `stepPhase`: the phase moves
  /// forward along the workflow it is in, never back and never across workflows.
  public mutating func onStepStarted(phase stepPhase: Onvera_V1_Phase) -> Transition {
    for order in [Self.createOrder, Self.destroyOrder] {
      guard let current = order.firstIndex(of: phase) else { continue }
      guard let next = order.firstIndex(of: stepPhase) else {
        return .rejected("a \(stepPhase) step cannot run while the deployment is in \(phase)")
      }
      if next == current { return .unchanged }
      if next < current { return .rejected("the deployment is in \(phase), past \(stepPhase)") }
      phase = stepPhase
      return .moved(to: stepPhase)
    }
    return .rejected("no step runs while the deployment is \(status)")
  }

  /// The create workflow finished every step.
  public mutating func onProvisioned() -> Transition {
    guard status == .provisioning else { return .rejected("only a provisioning deployment can become ready, not \(status)") }
    phase = .ready
    return .moved(to: .ready)
  }

  /// The create or destroy workflow failed, or a create was canceled and released.
  public mutating func onFailed() -> Transition {
    switch status {
    case .provisioning, .destroying:
      phase = .failed
      return .moved(to: .failed)
    case .failed:
      return .unchanged
    default:
      return .rejected("a \(status) deployment cannot fail")
    }
  }

  /// Someone asked to destroy the deployment.
  public mutating func onDestroyRequested() -> DestroyDecision {
    switch status {
    case .ready, .failed:
      phase = .revokingAccess
      return .start
    case .destroying: return .joinInFlight
    case .provisioning: return .conflict
    default: return .notDestroyable
    }
  }

  /// The destroy workflow finished every step: the deployment is a tombstone.
  public mutating func onDestroyed() -> Transition {
    guard status == .destroying else { return .rejected("only a destroying deployment can be destroyed, not \(status)") }
    phase = .destroyed
    return .moved(to: .destroyed)
  }
}

/// One operation as a pure state machine: queued → running → succeeded | failed | canceled,
/// with every planned step listed from the start and updated as it runs.
///
/// Each accepted event bumps `sequence` and returns the new full state to persist.
public struct OperationMachine: Sendable, Hashable {
  /// What an event asks the owner to do.
  public enum Action: Sendable, Hashable {
    /// Record this new state of the operation.
    case persist(Onvera_V1_Operation)
    /// Nothing changed.
    case none
    /// The event is not allowed in this state; the text says why.
    case reject(String)
  }

  /// The operation's current state.
  public private(set) var operation: Onvera_V1_Operation

  /// A machine over an existing operation.
  public init(_ operation: Onvera_V1_Operation) { self.operation = operation }

  /// A new queued operation with its planned steps; `sequence` is 1.
  public init(
    id: String, type: Onvera_V1_OperationType, resourceID: String, organizationID: String,
    steps: [Onvera_V1_OperationStep], phase: Onvera_V1_Phase, at time: Google_Protobuf_Timestamp
  ) {
    var op = Onvera_V1_Operation()
    op.id = id
    op.type = type
    op.status = .queued
    op.resourceID = resourceID
    op.organizationID = organizationID
    op.phase = phase
    op.message = "queued"
    op.steps = steps
    op.createTime = time
    op.sequence = 1
    operation = op
  }

  private var isDone: Bool { operation.done }

  private mutating func change(_ body: (inout Onvera_V1_Operation) -> Void) -> Action {
    // In place, so the steps array is not copied on every event.
    body(&operation)
    operation.sequence += 1
    return .persist(operation)
  }

  private func stepIndexValid(_ i: Int) -> Bool { operation.steps.indices.contains(i) }

  /// The index of the step that is running, if any.
  public var runningStep: Int? { operation.steps.firstIndex { $0.status == .running } }
  /// The index of the first pending step, if any.
  public var nextPendingStep: Int? { operation.steps.firstIndex { $0.status == .pending } }

  /// The runner picked the operation up.
  public mutating func onStart(at time: Google_Protobuf_Timestamp) -> Action {
    if isDone { return .reject("operation is \(operation.status), it cannot start") }
    if operation.status == .running { return .none }
    return change {
      $0.status = .running
      $0.startTime = time
      $0.message = "running"
    }
  }

  /// Step `i` started (or was resumed after a restart); its attempt counter goes up.
  public mutating func onStepStarted(_ i: Int, at time: Google_Protobuf_Timestamp, message: String) -> Action {
    guard operation.status == .running, stepIndexValid(i) else {
      return .reject("a step can only start in a running operation, this one is \(operation.status)")
    }
    let step = operation.steps[i]
    guard step.status == .pending || step.status == .running else {
      return .reject("step \(step.name) is \(step.status), it cannot start")
    }
    if let running = runningStep, running != i {
      return .reject("step \(operation.steps[running].name) is still running")
    }
    return change {
      $0.steps[i].status = .running
      $0.steps[i].attempt += 1
      $0.steps[i].startTime = time
      $0.steps[i].clearEndTime()
      $0.steps[i].message = message
      if step.phase != .unspecified { $0.phase = step.phase }
      $0.message = message
      $0.stalled = false
    }
  }

  /// The running step `i` failed transiently and will be tried again.
  public mutating func onStepRetrying(_ i: Int, message: String) -> Action {
    guard operation.status == .running, stepIndexValid(i), operation.steps[i].status == .running else {
      return .reject("only a running step can be retried")
    }
    return change {
      $0.steps[i].message = message
      $0.message = message
      $0.stalled = false
    }
  }

  /// The running step `i` overran its deadline: the operation is stalled, not failed.
  public mutating func onStepStalled(_ i: Int, message: String) -> Action {
    guard operation.status == .running, stepIndexValid(i), operation.steps[i].status == .running else {
      return .reject("only a running step can stall")
    }
    if operation.stalled { return .none }
    return change {
      $0.stalled = true
      $0.message = message
    }
  }

  /// The running step `i` succeeded.
  public mutating func onStepSucceeded(_ i: Int, at time: Google_Protobuf_Timestamp, message: String) -> Action {
    guard operation.status == .running, stepIndexValid(i), operation.steps[i].status == .running else {
      return .reject("only a running step can succeed")
    }
    return change {
      $0.steps[i].status = .succeeded
      $0.steps[i].endTime = time
      $0.steps[i].message = message
      $0.message = message
      $0.stalled = false
    }
  }

  /// Step `i` has nothing to do (e.g. its deployment is gone); pending or running.
  public mutating func onStepSkipped(_ i: Int, at time: Google_Protobuf_Timestamp, message: String) -> Action {
    guard operation.status == .running, stepIndexValid(i),
      operation.steps[i].status == .pending || operation.steps[i].status == .running
    else { return .reject("only a pending or running step can be skipped") }
    return change {
      $0.steps[i].status = .skipped
      if !$0.steps[i].hasStartTime { $0.steps[i].startTime = time }
      $0.steps[i].endTime = time
      $0.steps[i].message = message
      $0.message = message
      $0.stalled = false
    }
  }

  /// The running step `i` failed for good: so does the operation.
  public mutating func onStepFailed(_ i: Int, failure: Onvera_V1_Failure, at time: Google_Protobuf_Timestamp) -> Action {
    guard operation.status == .running, stepIndexValid(i), operation.steps[i].status == .running else {
      return .reject("only a running step can fail")
    }
    return change {
      $0.steps[i].status = .failed
      $0.steps[i].endTime = time
      $0.steps[i].message = failure.message
      $0.status = .failed
      $0.done = true
      $0.error = failure
      $0.endTime = time
      $0.message = failure.message
      $0.stalled = false
    }
  }

  /// Someone asked to cancel: recorded now, acted on at the next step boundary.
  public mutating func onCancelRequested() -> Action {
    if isDone { return .reject("operation is already \(operation.status)") }
    if operation.cancelRequested { return .none }
    return change {
      $0.cancelRequested = true
      $0.message = "cancel requested; stopping at the next step boundary"
    }
  }

  /// At a step boundary with a cancel requested: the remaining steps are canceled and
  /// `releaseSteps` (which undo what was provisioned) are appended to run next.
  public mutating func onCancelAtBoundary(releaseSteps: [Onvera_V1_OperationStep], at time: Google_Protobuf_Timestamp)
    -> Action
  {
    guard !isDone, operation.cancelRequested else { return .reject("no cancel was requested") }
    if runningStep != nil { return .reject("a step is running; cancel waits for the step boundary") }
    if operation.steps.contains(where: { $0.status == .canceled }) { return .none }
    return change {
      for i in $0.steps.indices where $0.steps[i].status == .pending {
        $0.steps[i].status = .canceled
        $0.steps[i].endTime = time
        $0.steps[i].message = "canceled"
      }
      $0.steps += releaseSteps
      $0.message = releaseSteps.isEmpty ? "canceled" : "canceled; releasing what was provisioned"
    }
  }

  /// Every step is over: the operation succeeds, or is canceled if it stopped at a cancel.
  public mutating func onFinished(at time: Google_Protobuf_Timestamp) -> Action {
    if isDone { return .reject("operation is already \(operation.status)") }
    if operation.steps.contains(where: { $0.status == .pending || $0.status == .running }) {
      return .reject("steps are still pending")
    }
    let canceled = operation.steps.contains { $0.status == .canceled }
    if operation.status == .queued && !canceled { return .reject("a queued operation must start first") }
    return change {
      $0.done = true
      $0.endTime = time
      $0.stalled = false
      if canceled {
        $0.status = .canceled
        var failure = Onvera_V1_Failure()
        failure.code = 1
        failure.reason = "OPERATION_CANCELED"
        failure.message = "the operation was canceled at the caller's request"
        failure.phase = $0.phase
        $0.error = failure
        $0.message = "canceled"
      } else {
        $0.status = .succeeded
        $0.message = "succeeded"
      }
    }
  }
}

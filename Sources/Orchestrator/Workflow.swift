import Logging
import OnveraProto

/// One step the runner is to carry out.
struct StepRun: Sendable {
  var operationID: String
  var index: Int
  var name: String
  var attempt: UInt32
  var context: StepContext
}

/// A step being carried out, for the stall scan.
struct RunningStep: Sendable {
  var index: Int
  var attempt: UInt32
  var name: String
  var started: ContinuousClock.Instant
  var reported = false
}

/// How a step call ended.
enum StepOutcome: Sendable {
  case succeeded
  case transient(ProvisionerError)
  case permanent(ProvisionerError)
  /// The orchestrator is stopping: record nothing, resume after the restart.
  case interrupted
}

/// What the runner does next.
enum Next: Sendable {
  case run(StepRun)
  case retry(StepRun, after: Duration)
  /// Nothing to run yet (a step waits for another operation's step): look again later.
  case wait(Duration)
  case done
}

extension Orchestrator {
  /// Runs one operation's workflow to the end (or until the orchestrator stops).
  func runWorkflow(_ id: String) async {
    guard claimRunner(id) else { return }
    var retries = 0
    var next: Next
    do {
      next = try await advance(id, outcome: nil, retries: 0)
      loop: while !Task.isCancelled {
        switch next {
        case .done:
          releaseRunner(id)
          return
        case .retry(let run, let delay):
          try await configuration.sleeper.sleep(for: delay)
          next = try await restartStep(run)
        case .wait(let delay):
          try await configuration.sleeper.sleep(for: delay)
          next = try await advance(id, outcome: nil, retries: 0)
        case .run(let run):
          let outcome = await execute(run)
          if case .interrupted = outcome { break loop }
          if case .transient = outcome { retries += 1 } else { retries = 0 }
          next = try await advance(id, outcome: (run, outcome), retries: retries)
        }
      }
    } catch {
      if !Task.isCancelled {
        logger.error("workflow stopped", metadata: ["operation_id": "\(id)", "error": "\(error)"])
      }
    }
    releaseRunner(id)
  }

  private func claimRunner(_ id: String) -> Bool {
    if failure != nil { return false }
    return activeRunners.insert(id).inserted
  }

  private func releaseRunner(_ id: String) {
    activeRunners.remove(id)
    runningSteps[id] = nil
    // An interrupted step's staged resources never became durable: forget them.
    for var r in staged.removeValue(forKey: id) ?? [] {
      r.present.toggle()
      var undo = ChangeRecord()
      undo.resources = [r]
      ahead.apply(undo, revision: nil)
    }
  }

  /// Calls the provisioner. Overrunning the deadline is noticed by ``checkStalls()``.
  private nonisolated func execute(_ run: StepRun) async -> StepOutcome {
    do {
      try await provisioner.run(run.name, run.context)
      return .succeeded
    } catch let error as ProvisionerError {
      if Task.isCancelled { return .interrupted }
      return error.isTransient ? .transient(error) : .permanent(error)
    } catch {
      if Task.isCancelled { return .interrupted }
      return .permanent(ProvisionerError("\(error)"))
    }
  }

  /// Marks stalled every operation whose running step has overrun the step deadline.
  ///
  /// One periodic scan instead of a timer per step: steps are many and short, overruns rare.
  func checkStalls() async {
    let now = ContinuousClock.now
    let deadline = configuration.stepDeadline
    let overdue = runningSteps.filter { now - $0.value.started >= deadline && !$0.value.reported }
    for (id, step) in overdue {
      runningSteps[id]?.reported = true
      await markStalled(id, index: step.index, attempt: step.attempt, name: step.name, deadline: deadline)
    }
  }

  private func markStalled(_ id: String, index: Int, attempt: UInt32, name: String, deadline: Duration) async {
    guard let op = ahead.operations[id], op.steps.indices.contains(index), op.steps[index].attempt == attempt
    else { return }
    var machine = OperationMachine(op)
    guard
      case .persist(let updated) = machine.onStepStalled(
        index, message: "step \(name) has been running for longer than its deadline of \(deadline)")
    else { return }
    var change = ChangeRecord()
    change.operations = [updated]
    _ = try? await commit(change)
  }

  /// Starts the same step again after a transient failure.
  private func restartStep(_ run: StepRun) async throws -> Next {
    guard let op = ahead.operations[run.operationID], !op.done else { return .done }
    var machine = OperationMachine(op)
    let message = "\(run.name): attempt \(op.steps[run.index].attempt + 1)"
    guard case .persist(let updated) = machine.onStepStarted(run.index, at: Support.now(), message: message) else {
      return try await advance(run.operationID, outcome: nil, retries: 0)
    }
    var change = ChangeRecord()
    change.operations = [updated]
    try await commit(change)
    return .run(makeRun(updated, index: run.index))
  }

  private func makeRun(_ op: Onvera_V1_Operation, index: Int) -> StepRun {
    let step = op.steps[index]
    let deploymentID = step.resourceID.isEmpty ? op.resourceID : step.resourceID
    var member: Onvera_V1_Member?
    if op.type == .userProvision || op.type == .userRevoke {
      member = ahead.members[op.organizationID]?[op.resourceID]?.member
    }
    let members =
      step.name != StepName.provisionMembers
      ? []
      : (ahead.memberOrder[op.organizationID] ?? []).compactMap { id in
        ahead.members[op.organizationID]?[id].flatMap { $0.removed ? nil : $0.member }
      }
    let context = StepContext(
      operationID: op.id, step: step.name, attempt: step.attempt,
      deployment: ahead.deployments[deploymentID] ?? Onvera_V1_Deployment(), member: member,
      members: members, ledger: ledger(for: op.id))
    runningSteps[op.id] = RunningStep(index: index, attempt: step.attempt, name: step.name, started: .now)
    return StepRun(operationID: op.id, index: index, name: step.name, attempt: step.attempt, context: context)
  }

  /// Records how the last step ended (if any) and every transition that follows without
  /// running a step, as one durable change; returns the next step to run, or done.
  private func advance(_ id: String, outcome: (StepRun, StepOutcome)?, retries: Int) async throws -> Next {
    guard let original = ahead.operations[id] else { return .done }
    if original.done { return .done }
    var machine = OperationMachine(original)
    var deployment = deploymentOf(original)
    let deploymentBefore = deployment
    let time = Support.now()
    var next: Next = .done

    func take(_ action: OperationMachine.Action) {
      if case .reject(let why) = action {
        logger.error("workflow transition refused", metadata: ["operation_id": "\(id)", "why": "\(why)"])
      }
    }

    if let (run, result) = outcome {
      runningSteps[id] = nil
      switch result {
      case .succeeded:
        take(machine.onStepSucceeded(run.index, at: time, message: "\(run.name) succeeded"))
      case .transient(let error) where retries < configuration.maxAttempts:
        var delay = configuration.retryBackoff
        for _ in 1..<max(1, retries) { delay = min(delay * 2, configuration.maxRetryBackoff) }
        delay = min(delay, configuration.maxRetryBackoff)
        take(
          machine.onStepRetrying(
            run.index, message: "\(run.name): attempt \(run.attempt) failed (\(error.message)); retrying in \(delay)"))
        next = .retry(run, after: delay)
      case .transient(let error), .permanent(let error):
        let failure = makeFailure(run, error, exhausted: { if case .transient = result { true } else { false } }())
        take(machine.onStepFailed(run.index, failure: failure, at: time))
        if original.type == .deploymentCreate || original.type == .deploymentDestroy {
          failDeployment(&deployment, failure, time)
        }
      case .interrupted:
        return .done
      }
    }

    if case .done = next, !machine.operation.done {
      next = automaticTransitions(&machine, &deployment, time: time)
    }

    var op = machine.operation
    // Every accepted event bumps the sequence: a changed sequence means a changed operation.
    let operationChanged = op.sequence != original.sequence
    if op.sequence > original.sequence + 1 { op.sequence = original.sequence + 1 }
    let resources = outcome == nil ? [] : staged.removeValue(forKey: id) ?? []
    // The workflow only ever changes these fields of a deployment: compare them, not all.
    func key(_ d: Onvera_V1_Deployment?) -> (Onvera_V1_Phase?, Onvera_V1_DeploymentStatus?, String?, String?, Bool?) {
      (d?.phase, d?.status, d?.operationID, d?.url, d?.hasFailure)
    }
    let deploymentChanged = key(deployment) != key(deploymentBefore)
    if operationChanged || deploymentChanged || !resources.isEmpty {
      var change = ChangeRecord()
      change.time = time
      change.resources = resources
      if operationChanged { change.operations = [op] }
      if var d = deployment, deploymentChanged {
        d.updateTime = time
        change.deployments = [DeploymentChange(d)]
      }
      try await commit(change)
      if operationChanged {
        // One line per durable transition of the operation (status, phase, step).
        let step = op.steps.last { $0.status != .pending } ?? op.steps.first
        logger.info(
          op.done ? "operation finished" : "operation progressed",
          metadata: [
            "operation_id": "\(id)", "type": "\(op.type.protoName ?? "")", "status": "\(op.status.protoName ?? "")",
            "phase": "\(op.phase.protoName ?? "")", "step": "\(step?.name ?? "")",
            "step_status": "\(step?.status.protoName ?? "")", "sequence": "\(op.sequence)",
          ])
      }
    }
    switch next {
    case .run(let run): return .run(makeRun(op, index: run.index))
    case .retry(let run, let delay):
      return .retry(makeRun(op, index: run.index), after: delay)
    case .wait(let delay): return .wait(delay)
    case .done: return .done
    }
  }

  /// Whether the create of a provisioning deployment has started its provision_members step
  /// (so a member added now is not in the list that step works from).
  private func membersProvisioningStarted(_ d: Onvera_V1_Deployment) -> Bool {
    guard let status = membersProvisioning(d) else { return false }
    return status != .pending
  }

  /// The status of the provision_members step of a provisioning deployment's create.
  private func membersProvisioning(_ d: Onvera_V1_Deployment) -> Onvera_V1_StepStatus? {
    guard let create = ahead.operations[d.operationID], create.type == .deploymentCreate else { return nil }
    return create.steps.first(where: { $0.name == StepName.provisionMembers })?.status
  }

  private func deploymentOf(_ op: Onvera_V1_Operation) -> Onvera_V1_Deployment? {
    guard op.type == .deploymentCreate || op.type == .deploymentDestroy else { return nil }
    return ahead.deployments[op.resourceID]
  }

  private func failDeployment(_ deployment: inout Onvera_V1_Deployment?, _ failure: Onvera_V1_Failure, _ time: Google_Protobuf_Timestamp) {
    guard var d = deployment else { return }
    var machine = DeploymentMachine(phase: d.phase)
    if case .moved(let phase) = machine.onFailed() {
      d.phase = phase
      d.status = machine.status
    }
    d.failure = failure
    d.operationID = ""
    deployment = d
  }

  private func makeFailure(_ run: StepRun, _ error: ProvisionerError, exhausted: Bool) -> Onvera_V1_Failure {
    var f = Onvera_V1_Failure()
    f.code = exhausted ? 14 : 13
    f.reason = error.reason ?? Plan.failureReason(of: run.name)
    f.message =
      exhausted
      ? "step \(run.name) failed after \(run.attempt) attempts: \(error.message)"
      : "step \(run.name) failed: \(error.message)"
    f.phase = Plan.phase(of: run.name) == .unspecified ? run.context.deployment.phase : Plan.phase(of: run.name)
    var metadata = error.metadata
    metadata["step"] = run.name
    metadata["attempt"] = "\(run.attempt)"
    metadata["error"] = error.message
    if !run.context.deployment.id.isEmpty { metadata["deployment_id"] = run.context.deployment.id }
    f.metadata = metadata
    return f
  }

  /// Transitions that need no provisioner call: start, resume, cancel at the boundary, skips,
  /// the next step's start, the end. Stops at a step to run or at the end.
  private func automaticTransitions(
    _ machine: inout OperationMachine, _ deployment: inout Onvera_V1_Deployment?, time: Google_Protobuf_Timestamp
  ) -> Next {
    let op0 = machine.operation
    if op0.status == .queued && !op0.cancelRequested { _ = machine.onStart(at: time) }
    if let running = machine.runningStep {
      // The orchestrator stopped in the middle of this step: run it again (steps are idempotent).
      let name = machine.operation.steps[running].name
      _ = machine.onStepStarted(running, at: time, message: "\(name) resumed after a restart")
      return .run(placeholderRun(machine.operation, running))
    }
    if machine.operation.cancelRequested && !machine.operation.steps.contains(where: { $0.status == .canceled }) {
      let release = machine.operation.type == .deploymentCreate ? Plan.pendingSteps(Plan.destroySteps) : []
      _ = machine.onCancelAtBoundary(releaseSteps: release, at: time)
      if machine.operation.status == .queued { _ = machine.onStart(at: time) }
    }
    let releasing = machine.operation.steps.contains { $0.status == .canceled }
    while let index = machine.nextPendingStep {
      let step = machine.operation.steps[index]
      if machine.operation.type == .userProvision || machine.operation.type == .userRevoke {
        let target = ahead.deployments[step.resourceID]
        let eligible: Bool
        var reason = "deployment \(step.resourceID) is \(target?.status.protoName ?? "gone"); nothing to do"
        switch (machine.operation.type, target?.status) {
        case (.userProvision, .ready?), (.userRevoke, .ready?), (.userRevoke, .failed?):
          eligible = true
        case (.userProvision, .provisioning?):
          eligible = membersProvisioningStarted(target!)
          reason = "deployment \(step.resourceID) provisions its members itself during bootstrap"
        case (.userRevoke, .provisioning?):
          switch membersProvisioning(target!) {
          case .running?:
            // It may still create this member's account: revoke once it is done.
            return .wait(max(configuration.retryBackoff, .milliseconds(10)))
          case .pending?, nil:
            eligible = false
            reason = "deployment \(step.resourceID) has not provisioned its members yet"
          default:
            eligible = true
          }
        default:
          eligible = false
        }
        if !eligible {
          _ = machine.onStepSkipped(index, at: time, message: reason)
          continue
        }
      }
      _ = machine.onStepStarted(index, at: time, message: "\(step.name) started")
      if !releasing, var d = deployment, step.phase != .unspecified {
        var dm = DeploymentMachine(phase: d.phase)
        if case .moved(let phase) = dm.onStepStarted(phase: step.phase) {
          d.phase = phase
          d.status = dm.status
          deployment = d
        }
      }
      return .run(placeholderRun(machine.operation, index))
    }
    // Every step is over.
    _ = machine.onFinished(at: time)
    let op = machine.operation
    guard var d = deployment else { return .done }
    var dm = DeploymentMachine(phase: d.phase)
    switch (op.type, op.status) {
    case (.deploymentCreate, .succeeded):
      if case .moved(let phase) = dm.onProvisioned() {
        d.phase = phase
        d.status = dm.status
        d.url = "https://\(d.subdomain).\(configuration.baseDomain)"
      }
    case (.deploymentCreate, .canceled):
      var failure = op.error
      failure.phase = d.phase
      failure.metadata = ["operation_id": op.id, "deployment_id": d.id]
      failure.message = "the creation was canceled at the caller's request; everything it provisioned was released"
      if case .moved(let phase) = dm.onFailed() {
        d.phase = phase
        d.status = dm.status
      }
      d.failure = failure
    case (.deploymentDestroy, .succeeded):
      if case .moved(let phase) = dm.onDestroyed() {
        d.phase = phase
        d.status = dm.status
      }
    default:
      break
    }
    d.operationID = ""
    deployment = d
    return .done
  }

  private func placeholderRun(_ op: Onvera_V1_Operation, _ index: Int) -> StepRun {
    StepRun(
      operationID: op.id, index: index, name: op.steps[index].name, attempt: op.steps[index].attempt,
      context: StepContext(
        operationID: op.id, step: op.steps[index].name, attempt: op.steps[index].attempt,
        deployment: Onvera_V1_Deployment(), member: nil, members: [], ledger: ledger(for: op.id)))
  }
}

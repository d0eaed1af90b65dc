import OnveraProto
import Testing

@testable import Orchestrator

// MARK: deployment lifecycle

private let allPhases: [Onvera_V1_Phase] = [
  .initialization, .databaseProvisioning, .infrastructureProvisioning, .applicationBootstrap,
  .subdomainConfiguration, .ready, .revokingAccess, .removingDbTenant, .tearingDownInfra, .destroyed, .failed,
]
private let createTrack: [Onvera_V1_Phase] = [
  .initialization, .databaseProvisioning, .infrastructureProvisioning, .applicationBootstrap, .subdomainConfiguration,
]
private let destroyTrack: [Onvera_V1_Phase] = [.revokingAccess, .removingDbTenant, .tearingDownInfra]

@Suite struct DeploymentMachineTests {
  @Test(arguments: allPhases)
  func statusIsDerivedFromPhase(_ phase: Onvera_V1_Phase) {
    let expected: Onvera_V1_DeploymentStatus =
      createTrack.contains(phase)
      ? .provisioning
      : destroyTrack.contains(phase)
        ? .destroying : phase == .ready ? .ready : phase == .destroyed ? .destroyed : .failed
    #expect(DeploymentMachine(phase: phase).status == expected)
  }

  @Test func newDeploymentStartsInInitialization() {
    let m = DeploymentMachine()
    #expect(m.phase == .initialization)
    #expect(m.status == .provisioning)
  }

  /// Every step phase in every state: forward along the track it is on, never back or across.
  @Test(arguments: allPhases, createTrack + destroyTrack)
  func stepStarted(_ state: Onvera_V1_Phase, _ step: Onvera_V1_Phase) {
    var m = DeploymentMachine(phase: state)
    let result = m.onStepStarted(phase: step)
    var expected: DeploymentMachine.Transition? = nil
    for track in [createTrack, destroyTrack] where track.contains(state) {
      if let s = track.firstIndex(of: step) {
        let c = track.firstIndex(of: state)!
        expected = s == c ? .unchanged : s > c ? .moved(to: step) : nil
      }
    }
    if let expected {
      #expect(result == expected)
      #expect(m.phase == (expected == .unchanged ? state : step))
    } else {
      guard case .rejected = result else {
        Issue.record("\(step) in \(state) should be rejected, got \(result)")
        return
      }
      #expect(m.phase == state)
    }
  }

  enum Event: String, CaseIterable, Sendable { case provisioned, failed, destroyRequested, destroyed }

  /// The expected outcome of each non-step event in each state: a moved-to phase, "unchanged",
  /// "rejected", or the destroy decision.
  static func expected(_ phase: Onvera_V1_Phase, _ event: Event) -> String {
    let status = Plan.status(for: phase)
    switch (status, event) {
    case (.provisioning, .provisioned): return "moved:ready"
    case (.provisioning, .failed): return "moved:failed"
    case (.provisioning, .destroyRequested): return "conflict"
    case (.ready, .destroyRequested): return "start"
    case (.destroying, .failed): return "moved:failed"
    case (.destroying, .destroyRequested): return "join"
    case (.destroying, .destroyed): return "moved:destroyed"
    case (.destroyed, .destroyRequested): return "notDestroyable"
    case (.failed, .failed): return "unchanged"
    case (.failed, .destroyRequested): return "start"
    default: return "rejected"
    }
  }

  @Test(arguments: allPhases, Event.allCases)
  func everyEventInEveryState(_ phase: Onvera_V1_Phase, _ event: Event) {
    var m = DeploymentMachine(phase: phase)
    func describe(_ t: DeploymentMachine.Transition) -> String {
      switch t {
      case .moved(let p): "moved:" + Self.name(p)
      case .unchanged: "unchanged"
      case .rejected: "rejected"
      }
    }
    let got: String
    switch event {
    case .provisioned: got = describe(m.onProvisioned())
    case .failed: got = describe(m.onFailed())
    case .destroyed: got = describe(m.onDestroyed())
    case .destroyRequested:
      switch m.onDestroyRequested() {
      case .start: got = "start"
      case .joinInFlight: got = "join"
      case .conflict: got = "conflict"
      case .notDestroyable: got = "notDestroyable"
      }
    }
    let want = Self.expected(phase, event)
    #expect(got == want, "\(event) in \(phase)")
    // The machine moves exactly when the outcome says so.
    switch want {
    case "moved:ready": #expect(m.phase == .ready)
    case "moved:failed": #expect(m.phase == .failed)
    case "moved:destroyed": #expect(m.phase == .destroyed)
    case "start": #expect(m.phase == .revokingAccess && m.status == .destroying)
    default: #expect(m.phase == phase)
    }
  }

  static func name(_ p: Onvera_V1_Phase) -> String {
    switch p {
    case .ready: "ready"
    case .failed: "failed"
    case .destroyed: "destroyed"
    default: "\(p)"
    }
  }
}

// MARK: plans

@Suite struct PlanTests {
  @Test func airflowHasMigrationsAndHealthCheck() {
    #expect(
      Plan.createSteps(for: .airflow) == [
        "initialization", "database_provisioning", "infrastructure_provisioning", "application_bootstrap",
        "airflow_migrations", "airflow_health_check", "provision_members", "subdomain_configuration",
      ])
  }

  @Test func supersetHasInit() {
    #expect(
      Plan.createSteps(for: .superset) == [
        "initialization", "database_provisioning", "infrastructure_provisioning", "application_bootstrap",
        "superset_init", "provision_members", "subdomain_configuration",
      ])
  }

  @Test func destroySteps() {
    #expect(Plan.destroySteps == ["revoking_access", "removing_db_tenant", "tearing_down_infra"])
    #expect(Plan.pendingSteps(Plan.destroySteps).map(\.phase) == [.revokingAccess, .removingDbTenant, .tearingDownInfra])
  }

  @Test(arguments: Plan.createSteps(for: .airflow) + Plan.createSteps(for: .superset))
  func createStepsRunInProvisioningPhases(_ step: String) {
    #expect(Plan.status(for: Plan.phase(of: step)) == .provisioning)
  }

  @Test func failureReasons() {
    #expect(Plan.failureReason(of: "database_provisioning") == "DATABASE_PROVISIONING_FAILED")
  }
}

// MARK: operations

@Suite struct OperationMachineTests {
  static let t0 = Google_Protobuf_Timestamp(seconds: 1_700_000_000)
  static let t1 = Google_Protobuf_Timestamp(seconds: 1_700_000_001)

  enum State: String, CaseIterable, Sendable {
    case queued, runningIdle, runningStep, cancelRequestedInStep, cancelRequestedAtBoundary, succeeded, failed, canceled
  }

  enum Event: String, CaseIterable, Sendable {
    case start, stepStarted, stepRetrying, stepStalled, stepSucceeded, stepSkipped, stepFailed, cancelRequested,
      cancelAtBoundary, finished
  }

  static func fresh() -> OperationMachine {
    OperationMachine(
      id: "op_1", type: .deploymentCreate, resourceID: "dep_1", organizationID: "org_1",
      steps: Plan.pendingSteps(["initialization", "database_provisioning"]), phase: .initialization, at: t0)
  }

  static func failure() -> Onvera_V1_Failure {
    var f = Onvera_V1_Failure()
    f.code = 13
    f.reason = "INITIALIZATION_FAILED"
    f.message = "boom"
    f.phase = .initialization
    return f
  }

  static func make(_ state: State) -> OperationMachine {
    var m = fresh()
    switch state {
    case .queued: break
    case .runningIdle:
      _ = m.onStart(at: t0)
    case .runningStep:
      _ = m.onStart(at: t0)
      _ = m.onStepStarted(0, at: t0, message: "go")
    case .cancelRequestedInStep:
      _ = m.onStart(at: t0)
      _ = m.onStepStarted(0, at: t0, message: "go")
      _ = m.onCancelRequested()
    case .cancelRequestedAtBoundary:
      _ = m.onStart(at: t0)
      _ = m.onCancelRequested()
    case .succeeded:
      _ = m.onStart(at: t0)
      for i in 0..<2 {
        _ = m.onStepStarted(i, at: t0, message: "go")
        _ = m.onStepSucceeded(i, at: t1, message: "ok")
      }
      _ = m.onFinished(at: t1)
    case .failed:
      _ = m.onStart(at: t0)
      _ = m.onStepStarted(0, at: t0, message: "go")
      _ = m.onStepFailed(0, failure: failure(), at: t1)
    case .canceled:
      _ = m.onStart(at: t0)
      _ = m.onCancelRequested()
      _ = m.onCancelAtBoundary(releaseSteps: [], at: t1)
      _ = m.onFinished(at: t1)
    }
    return m
  }

  /// "P": persisted (a change), "N": nothing to do, "R": rejected.
  static let table: [State: [Event: Character]] = [
    .queued: [
      .start: "P", .stepStarted: "R", .stepRetrying: "R", .stepStalled: "R", .stepSucceeded: "R", .stepSkipped: "R",
      .stepFailed: "R", .cancelRequested: "P", .cancelAtBoundary: "R", .finished: "R",
    ],
    .runningIdle: [
      .start: "N", .stepStarted: "P", .stepRetrying: "R", .stepStalled: "R", .stepSucceeded: "R", .stepSkipped: "P",
      .stepFailed: "R", .cancelRequested: "P", .cancelAtBoundary: "R", .finished: "R",
    ],
    .runningStep: [
      .start: "N", .stepStarted: "P", .stepRetrying: "P", .stepStalled: "P", .stepSucceeded: "P", .stepSkipped: "P",
      .stepFailed: "P", .cancelRequested: "P", .cancelAtBoundary: "R", .finished: "R",
    ],
    .cancelRequestedInStep: [
      .start: "N", .stepStarted: "P", .stepRetrying: "P", .stepStalled: "P", .stepSucceeded: "P", .stepSkipped: "P",
      .stepFailed: "P", .cancelRequested: "N", .cancelAtBoundary: "R", .finished: "R",
    ],
    .cancelRequestedAtBoundary: [
      .start: "N", .stepStarted: "P", .stepRetrying: "R", .stepStalled: "R", .stepSucceeded: "R", .stepSkipped: "P",
      .stepFailed: "R", .cancelRequested: "N", .cancelAtBoundary: "P", .finished: "R",
    ],
    .succeeded: Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0, "R") }),
    .failed: Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0, "R") }),
    .canceled: Dictionary(uniqueKeysWithValues: Event.allCases.map { ($0, "R") }),
  ]

  static func fire(_ event: Event, on m: inout OperationMachine) -> OperationMachine.Action {
    switch event {
    case .start: m.onStart(at: t1)
    case .stepStarted: m.onStepStarted(0, at: t1, message: "go")
    case .stepRetrying: m.onStepRetrying(0, message: "again")
    case .stepStalled: m.onStepStalled(0, message: "slow")
    case .stepSucceeded: m.onStepSucceeded(0, at: t1, message: "ok")
    case .stepSkipped: m.onStepSkipped(0, at: t1, message: "skip")
    case .stepFailed: m.onStepFailed(0, failure: failure(), at: t1)
    case .cancelRequested: m.onCancelRequested()
    case .cancelAtBoundary: m.onCancelAtBoundary(releaseSteps: Plan.pendingSteps(["revoking_access"]), at: t1)
    case .finished: m.onFinished(at: t1)
    }
  }

  @Test(arguments: State.allCases, Event.allCases)
  func everyEventInEveryState(_ state: State, _ event: Event) {
    var m = Self.make(state)
    let before = m.operation
    let action = Self.fire(event, on: &m)
    let want = Self.table[state]![event]!
    switch action {
    case .persist(let op):
      #expect(want == "P", "\(event) in \(state) persisted")
      #expect(op == m.operation)
      #expect(op.sequence == before.sequence + 1, "every change bumps the sequence by one")
    case .none:
      #expect(want == "N", "\(event) in \(state) did nothing")
      #expect(m.operation == before)
    case .reject:
      #expect(want == "R", "\(event) in \(state) was rejected")
      #expect(m.operation == before, "a rejected event changes nothing")
    }
  }

  @Test func newOperationListsEveryStepPending() {
    let op = Self.fresh().operation
    #expect(op.status == .queued)
    #expect(op.sequence == 1)
    #expect(op.steps.map(\.status) == [.pending, .pending])
    #expect(op.steps.map(\.name) == ["initialization", "database_provisioning"])
    #expect(op.createTime == Self.t0)
    #expect(!op.done)
  }

  @Test func happyPathRecordsTimesAttemptsAndEnds() {
    let m = Self.make(.succeeded)
    let op = m.operation
    #expect(op.status == .succeeded)
    #expect(op.done)
    #expect(op.hasStartTime && op.hasEndTime)
    #expect(op.steps.allSatisfy { $0.status == .succeeded && $0.attempt == 1 && $0.hasStartTime && $0.hasEndTime })
    #expect(!op.hasError)
    #expect(op.sequence == 7)
  }

  @Test func stallIsClearedWhenTheStepEnds() {
    var m = Self.make(.runningStep)
    _ = m.onStepStalled(0, message: "slow")
    #expect(m.operation.stalled)
    #expect(m.operation.status == .running)
    #expect(m.onStepStalled(0, message: "slow") == .none)
    _ = m.onStepSucceeded(0, at: Self.t1, message: "ok")
    #expect(!m.operation.stalled)
  }

  @Test func resumedStepCountsAnotherAttempt() {
    var m = Self.make(.runningStep)
    _ = m.onStepStarted(0, at: Self.t1, message: "resumed")
    #expect(m.operation.steps[0].attempt == 2)
    #expect(m.operation.steps[0].status == .running)
  }

  @Test func failureEndsTheOperationWithTheError() {
    let op = Self.make(.failed).operation
    #expect(op.status == .failed)
    #expect(op.done)
    #expect(op.error == Self.failure())
    #expect(op.steps[0].status == .failed)
    #expect(op.steps[1].status == .pending)
  }

  @Test func cancelAtBoundaryCancelsPendingAndAppendsRelease() {
    var m = Self.make(.cancelRequestedAtBoundary)
    _ = m.onCancelAtBoundary(releaseSteps: Plan.pendingSteps(Plan.destroySteps), at: Self.t1)
    #expect(m.operation.steps.map(\.status) == [.canceled, .canceled, .pending, .pending, .pending])
    #expect(m.onFinished(at: Self.t1) == .reject("steps are still pending"))
    for i in 2..<5 {
      _ = m.onStepStarted(i, at: Self.t1, message: "release")
      _ = m.onStepSucceeded(i, at: Self.t1, message: "released")
    }
    _ = m.onFinished(at: Self.t1)
    #expect(m.operation.status == .canceled)
    #expect(m.operation.error.reason == "OPERATION_CANCELED")
    #expect(m.operation.error.code == 1)
    #expect(m.operation.done)
  }
}

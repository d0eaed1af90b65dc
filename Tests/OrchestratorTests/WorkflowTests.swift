import OnveraProto
import OnveraStore
import Testing

@testable import Orchestrator

@Suite struct WorkflowTests {
  @Test(arguments: [Onvera_V1_AppType.airflow, .superset])
  func createRunsEveryStepToReady(_ app: Onvera_V1_AppType) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org, app, name: "My Superset")
      #expect(created.deployment.id.hasPrefix("dep_"))
      #expect(created.operation.id.hasPrefix("op_"))
      #expect(created.deployment.status == .provisioning)
      #expect(created.deployment.phase == .initialization)
      #expect(created.deployment.operationID == created.operation.id)
      #expect(created.deployment.revision > 0 && !created.deployment.etag.isEmpty)
      #expect(created.operation.steps.map(\.name) == Plan.createSteps(for: app), "every step planned from the start")
      #expect(created.operation.steps.allSatisfy { $0.status == .pending })
      let subdomain = created.deployment.subdomain
      #expect(subdomain.hasPrefix("my-superset-"))
      #expect(subdomain.count == "my-superset-".count + 6)
      #expect(subdomain.suffix(6).allSatisfy { $0.isLowercase || $0.isNumber })

      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .succeeded)
      #expect(op.type == .deploymentCreate)
      #expect(op.hasStartTime && op.hasEndTime && op.hasCreateTime)
      #expect(!op.hasError)
      #expect(!op.stalled)
      for step in op.steps {
        #expect(step.status == .succeeded, "\(step.name)")
        #expect(step.attempt == 1)
        #expect(step.hasStartTime && step.hasEndTime)
        #expect(step.message == "\(step.name) succeeded")
        #expect(step.phase == Plan.phase(of: step.name))
      }
      let d = try await o.deployment(organizationID: org, id: created.deployment.id)
      #expect(d.status == .ready)
      #expect(d.phase == .ready)
      #expect(d.url == "https://\(subdomain).onvera.local")
      #expect(d.operationID.isEmpty)
      #expect(!d.hasFailure)
      #expect(d.etag != created.deployment.etag)
      let members = await o.members(organizationID: org)
      #expect(await o.resources(deploymentID: d.id) == expectedResources(d, members: members))
      #expect(await o.operationCounts()[.deploymentCreate]?[.succeeded] == 1)
      #expect(await o.isAvailable)
    }
  }

  static let failingSteps = Plan.createSteps(for: .airflow)

  @Test(arguments: failingSteps)
  func failureAtEachStepFailsAndDestroyLeavesNothing(_ step: String) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir, provisioner: simulated([.init(step: step)])) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org, .airflow)
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .failed)
      #expect(op.error.reason == Plan.failureReason(of: step))
      #expect(op.error.phase == Plan.phase(of: step))
      #expect(op.error.code == 13)
      #expect(op.error.metadata["step"] == step)
      #expect(op.steps.first { $0.name == step }?.status == .failed)
      #expect(op.steps.drop { $0.name != step }.dropFirst().allSatisfy { $0.status == .pending })
      var d = try await o.deployment(organizationID: org, id: created.deployment.id)
      #expect(d.status == .failed)
      #expect(d.phase == .failed)
      #expect(d.failure == op.error)
      #expect(d.operationID.isEmpty)

      let destroy = try await o.destroyDeployment(organizationID: org, id: d.id)
      let done = try await finished(o, org, destroy.id)
      #expect(done.status == .succeeded)
      d = try await o.deployment(organizationID: org, id: d.id)
      #expect(d.status == .destroyed)
      #expect(await o.resources(deploymentID: d.id).isEmpty, "nothing leaked")
    }
  }

  @Test func transientFailuresAreRetried() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let provisioner = simulated([.init(step: StepName.databaseProvisioning, calls: [1, 2], isTransient: true)])
    try await withOrchestrator(dir, provisioner: provisioner) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .succeeded)
      #expect(op.steps.first { $0.name == StepName.databaseProvisioning }?.attempt == 3)
      #expect(provisioner.callCounts[StepName.databaseProvisioning] == 3)
    }
  }

  @Test func retriesAreBounded() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.maxAttempts = 3
    let provisioner = simulated([.init(step: StepName.initialization, probability: 1, isTransient: true)])
    try await withOrchestrator(dir, provisioner: provisioner, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .failed)
      #expect(op.error.code == 14)
      #expect(op.error.reason == "INITIALIZATION_FAILED")
      #expect(op.steps[0].attempt == 3)
      #expect(provisioner.callCounts[StepName.initialization] == 3)
    }
  }

  @Test func overrunningStepStallsWithoutFailing() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.stepDeadline = .milliseconds(100)
    let gated = GatedProvisioner()
    gated.hold(StepName.infrastructureProvisioning)
    try await withOrchestrator(dir, provisioner: gated, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      let watch = try await o.watchOperation(organizationID: org, id: created.operation.id)
      // Under load an earlier step may overrun the short deadline too: wait for the held one.
      let events = try await collect(watch) {
        $0.operation.stalled
          && $0.operation.steps.first { $0.name == StepName.infrastructureProvisioning }?.status == .running
      }
      let stalled = try #require(events.last?.operation)
      #expect(stalled.status == .running)
      #expect(stalled.steps.first { $0.name == StepName.infrastructureProvisioning }?.status == .running)
      gated.release(StepName.infrastructureProvisioning)
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .succeeded)
      #expect(!op.stalled)
    }
  }

  static let cancelSteps = Plan.createSteps(for: .superset)

  @Test(arguments: cancelSteps)
  func cancelAtEachStepReleasesEverything(_ step: String) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(step, .after)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      await gated.arrived(step, .after)
      let canceling = try await o.cancelOperation(organizationID: org, id: created.operation.id)
      #expect(canceling.cancelRequested)
      #expect(!canceling.done)
      gated.release(step, .after)
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .canceled)
      #expect(op.error.reason == "OPERATION_CANCELED")
      let plan = Plan.createSteps(for: .superset)
      let index = plan.firstIndex(of: step)!
      #expect(op.steps.prefix(index + 1).allSatisfy { $0.status == .succeeded }, "stopped at the step boundary")
      #expect(op.steps[(index + 1)..<plan.count].allSatisfy { $0.status == .canceled })
      #expect(op.steps.suffix(3).map(\.name) == Plan.destroySteps)
      #expect(op.steps.suffix(3).allSatisfy { $0.status == .succeeded })
      let d = try await o.deployment(organizationID: org, id: created.deployment.id)
      #expect(d.status == .failed)
      #expect(d.failure.reason == "OPERATION_CANCELED")
      #expect(d.operationID.isEmpty)
      #expect(await o.resources(deploymentID: d.id).isEmpty, "everything released")
      // A canceled (failed) deployment can still be destroyed.
      let destroy = try await o.destroyDeployment(organizationID: org, id: d.id)
      #expect(try await finished(o, org, destroy.id).status == .succeeded)
    }
  }

  @Test func cancelOfAQueuedOperation() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (org, dep, opID) = try await withOrchestrator(dir, run: false) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      let op = try await o.cancelOperation(organizationID: org, id: created.operation.id)
      #expect(op.status == .queued && op.cancelRequested)
      return (org, created.deployment.id, created.operation.id)
    }
    try await withOrchestrator(dir) { o in
      let op = try await finished(o, org, opID)
      #expect(op.status == .canceled)
      #expect(op.steps.prefix(Plan.createSteps(for: .superset).count).allSatisfy { $0.status == .canceled })
      #expect(try await o.deployment(organizationID: org, id: dep).failure.reason == "OPERATION_CANCELED")
      #expect(await o.resources().filter { $0.deploymentID == dep }.isEmpty)
      await #expect(throws: OrchestratorError.self) {
        try await o.cancelOperation(organizationID: org, id: opID)
      }
    }
  }

  @Test func waitReturnsAtTheTimeoutOrWhenDone() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      await gated.arrived(StepName.initialization)
      let early = try await o.waitOperation(organizationID: org, id: created.operation.id, timeout: .milliseconds(20))
      #expect(!early.done)
      #expect(early.status == .running)
      // Many waiters, one release: all of them return the final state.
      let results = try await withThrowingTaskGroup(of: Onvera_V1_Operation.self) { group in
        for _ in 0..<20 {
          group.addTask { try await o.waitOperation(organizationID: org, id: created.operation.id) }
        }
        gated.release(StepName.initialization)
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(results.allSatisfy { $0.done && $0.status == .succeeded })
      await #expect(throws: OrchestratorError.notFound("OPERATION_NOT_FOUND", "operation", "op_x")) {
        try await o.waitOperation(organizationID: org, id: "op_x")
      }
    }
  }

  @Test func destroyMakesATombstoneAndReleasesTheSubdomain() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      _ = try await finished(o, org, created.operation.id)
      let ready = try await o.deployment(organizationID: org, id: created.deployment.id)
      let destroy = try await o.destroyDeployment(organizationID: org, id: ready.id, etag: ready.etag)
      #expect(destroy.type == .deploymentDestroy)
      #expect(destroy.steps.map(\.name) == Plan.destroySteps)
      let destroying = try await o.deployment(organizationID: org, id: ready.id)
      #expect(destroying.status == .destroying)
      #expect(destroying.operationID == destroy.id)
      let op = try await finished(o, org, destroy.id)
      #expect(op.status == .succeeded)
      let d = try await o.deployment(organizationID: org, id: ready.id)
      #expect(d.status == .destroyed)
      #expect(d.phase == .destroyed)
      #expect(d.operationID.isEmpty)
      #expect(await o.resources(deploymentID: d.id).isEmpty)
      #expect(await o.durable.subdomains[d.subdomain] == nil, "subdomain released")
      #expect(await o.listDeployments(organizationID: org).items.isEmpty, "tombstones hidden by default")
      #expect(
        await o.listDeployments(organizationID: org, filter: .init(showDestroyed: true)).items.map(\.id) == [d.id])
      await #expect(throws: OrchestratorError.self) {
        try await o.destroyDeployment(organizationID: org, id: d.id)
      }
      do {
        _ = try await o.destroyDeployment(organizationID: org, id: d.id)
      } catch let error as OrchestratorError {
        #expect(error.reason == OrchestratorError.Reason.deploymentNotDestroyable)
        #expect(error.code == .failedPrecondition)
      }
    }
  }

  @Test func conflictingCommands() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.databaseProvisioning)
    gated.hold(StepName.removingDbTenant)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      await gated.arrived(StepName.databaseProvisioning)
      // A destroy while the create is in flight names the create.
      do {
        _ = try await o.destroyDeployment(organizationID: org, id: created.deployment.id)
        Issue.record("destroy during create must fail")
      } catch let error as OrchestratorError {
        #expect(error.code == .failedPrecondition)
        #expect(error.reason == "RESOURCE_CONFLICT")
        #expect(error.metadata["operation_id"] == created.operation.id)
      }
      gated.release(StepName.databaseProvisioning)
      _ = try await finished(o, org, created.operation.id)
      let ready = try await o.deployment(organizationID: org, id: created.deployment.id)
      // A stale etag is refused.
      do {
        _ = try await o.destroyDeployment(organizationID: org, id: ready.id, etag: created.deployment.etag)
        Issue.record("stale etag must fail")
      } catch let error as OrchestratorError {
        #expect(error.code == .aborted)
        #expect(error.reason == "ETAG_MISMATCH")
      }
      // Many concurrent destroys: one operation.
      let ids = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<8 {
          group.addTask { try await o.destroyDeployment(organizationID: org, id: ready.id).id }
        }
        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
      }
      #expect(ids.count == 1)
      await gated.arrived(StepName.removingDbTenant)
      let again = try await o.destroyDeployment(organizationID: org, id: ready.id)
      #expect(again.id == ids.first, "destroy while destroying joins the destroy")
      gated.release(StepName.removingDbTenant)
      #expect(try await finished(o, org, again.id).status == .succeeded)
      // Unknown and other organizations' ids are not found.
      let other = try await makeOrganization(o, name: "Other")
      await #expect(throws: OrchestratorError.notFound("DEPLOYMENT_NOT_FOUND", "deployment", ready.id)) {
        try await o.deployment(organizationID: other, id: ready.id)
      }
      await #expect(throws: OrchestratorError.notFound("OPERATION_NOT_FOUND", "operation", again.id)) {
        try await o.operation(organizationID: other, id: again.id)
      }
      await #expect(throws: OrchestratorError.self) {
        try await o.destroyDeployment(organizationID: other, id: ready.id)
      }
    }
  }

  @Test func idempotentReplays() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let other = try await makeOrganization(o, name: "Other")
      let request = "8d3c5c9e-0a43-4c55-9a0f-2c1f6f3d9a11"
      // Concurrent retries of one request: one deployment.
      let results = try await withThrowingTaskGroup(of: DeploymentCreation.self) { group in
        for _ in 0..<8 { group.addTask { try await create(o, org, name: "Retry", requestID: request) } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(Set(results.map(\.deployment.id)).count == 1)
      #expect(Set(results.map(\.operation.id)).count == 1)
      #expect(results.filter { !$0.replayed }.count == 1)
      let first = results.first { !$0.replayed }!
      #expect(await o.listDeployments(organizationID: org).totalSize == 1)
      // Same id, different request.
      do {
        _ = try await create(o, org, name: "Something else", requestID: request)
        Issue.record("reuse must fail")
      } catch let error as OrchestratorError {
        #expect(error.code == .invalidArgument)
        #expect(error.reason == "REQUEST_ID_REUSED")
      }
      // The id is scoped to the organization.
      let elsewhere = try await create(o, other, name: "Retry", requestID: request)
      #expect(elsewhere.deployment.id != first.deployment.id)
      #expect(!elsewhere.replayed)

      _ = try await finished(o, org, first.operation.id)
      let destroyRequest = "0f5a1c2e-77aa-4f0e-9d1b-5a6b7c8d9e0f"
      let d1 = try await o.destroyDeployment(organizationID: org, id: first.deployment.id, requestID: destroyRequest)
      let d2 = try await o.destroyDeployment(organizationID: org, id: first.deployment.id, requestID: destroyRequest)
      #expect(d1.id == d2.id)
      _ = try await finished(o, org, d1.id)
      let d3 = try await o.destroyDeployment(organizationID: org, id: first.deployment.id, requestID: destroyRequest)
      #expect(d3.id == d1.id, "the first result, even after the destroy finished")
      await #expect(throws: OrchestratorError.self) {
        try await o.destroyDeployment(organizationID: org, id: elsewhere.deployment.id, requestID: request)
      }
    }
  }

  @Test func validationAndValidateOnly() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let preview = try await o.createDeployment(
        .init(organizationID: org, appType: .airflow, name: "Preview", validateOnly: true))
      #expect(preview.deployment.id.isEmpty)
      #expect(preview.deployment.status == .provisioning)
      #expect(preview.deployment.environmentID == "env_default")
      #expect(await o.listDeployments(organizationID: org).totalSize == 0)
      #expect(await o.listOperations(organizationID: org).totalSize == 0)

      let bad: [(CreateDeploymentCommand, String)] = [
        (.init(organizationID: org, appType: .unspecified), "VALIDATION_ERROR"),
        (.init(organizationID: org, appType: .superset, name: String(repeating: "x", count: 64)), "VALIDATION_ERROR"),
        (.init(organizationID: org, appType: .superset, name: " padded"), "VALIDATION_ERROR"),
        (.init(organizationID: org, appType: .superset, environmentID: "env_nope"), "ENVIRONMENT_NOT_FOUND"),
        (.init(organizationID: "org_nope", appType: .superset), "ORGANIZATION_NOT_FOUND"),
        (.init(organizationID: org, appType: .airflow, environmentID: "env_nope", validateOnly: true), "ENVIRONMENT_NOT_FOUND"),
      ]
      for (command, reason) in bad {
        do {
          _ = try await o.createDeployment(command)
          Issue.record("\(command) must fail with \(reason)")
        } catch let error as OrchestratorError {
          #expect(error.reason == reason, "\(command)")
        }
      }
      // Generated names when empty; 63 characters accepted.
      let generated = try await create(o, org, .airflow)
      #expect(generated.deployment.name.hasPrefix("airflow-"))
      #expect((1...63).contains(generated.deployment.name.count))
      let long = try await create(o, org, name: String(repeating: "a", count: 63))
      #expect(long.deployment.subdomain.count <= 63)
    }
  }
}

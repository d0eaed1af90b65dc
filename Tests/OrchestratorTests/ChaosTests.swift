import OnveraProto
import TestSupport
import Testing

@testable import Orchestrator

/// Many concurrent workflows with random failures, cancels, member changes and a restart in
/// the middle: every operation ends, destroying everything leaves nothing behind, no resource
/// is created twice, and replay gives back the same state.
@Suite struct ChaosTests {
  static func chaoticProvisioner() -> SimulatedProvisioner {
    simulated([
      .init(step: StepName.databaseProvisioning, probability: 0.3, isTransient: true),
      .init(step: StepName.infrastructureProvisioning, probability: 0.05),
      .init(step: StepName.airflowMigrations, probability: 0.05),
      .init(step: StepName.removingDbTenant, probability: 0.2, isTransient: true),
      .init(step: StepName.tearingDownInfra, probability: 0.1),
    ])
  }

  /// Destroys every deployment of the organization, again after a failed destroy, until all are gone.
  static func destroyEverything(_ o: Orchestrator, _ org: String) async throws {
    for _ in 0..<20 {
      let left = await o.listDeployments(organizationID: org, limit: 1000).items
      if left.isEmpty { return }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for d in left {
          group.addTask {
            let op = try await o.destroyDeployment(organizationID: org, id: d.id)
            _ = try await finished(o, org, op.id)
          }
        }
        try await group.waitForAll()
      }
    }
    Issue.record("deployments left after 20 rounds of destroys")
  }

  @Test(arguments: [UInt64(1), 2])
  func concurrentWorkflowsWithFailuresCancelsAndARestart(_ seed: UInt64) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.snapshotInterval = 97
    var random = SeededRandom(seed: seed)
    let plan: [(app: Onvera_V1_AppType, cancel: Bool)] = (0..<30).map { _ in
      (Bool.random(using: &random) ? .airflow : .superset, random.chance(0.25))
    }
    // First life: start everything, stop in the middle of it.
    let (org, _) = try await stateAfterStop(dir, provisioner: Self.chaoticProvisioner(), configuration: configuration) {
      o in
      let org = try await makeOrganization(o)
      _ = try await o.addMember(organizationID: org, email: "a@acme.test", role: .member)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for (app, cancel) in plan {
          group.addTask {
            let c = try await o.createDeployment(.init(organizationID: org, appType: app))
            if cancel { _ = try? await o.cancelOperation(organizationID: org, id: c.operation.id) }
          }
        }
        try await group.waitForAll()
      }
      return org
    }
    // Second life: everything resumes and ends.
    try await withOrchestrator(dir, provisioner: Self.chaoticProvisioner(), configuration: configuration) { o in
      let pending = await o.listOperations(organizationID: org, limit: 1000).items.filter { !$0.done }
      for op in pending { _ = try await finished(o, org, op.id) }
      let (late, provision) = try await o.addMember(organizationID: org, email: "b@acme.test", role: .viewer)
      _ = try await finished(o, org, provision.id)
      let revoke = try await o.removeMember(organizationID: org, userID: late.userID)
      _ = try await finished(o, org, revoke.id)
      let all = await o.listOperations(organizationID: org, limit: 1000).items
      #expect(all.allSatisfy { $0.done })
      for d in await o.listDeployments(organizationID: org, limit: 1000).items {
        #expect(d.status == .ready || d.status == .failed, "\(d.id) is \(d.status)")
        #expect(d.operationID.isEmpty)
        if d.status == .ready {
          #expect(await o.resources(deploymentID: d.id).count == 4 + 2, "4 resources and 2 user accounts")
        }
      }
      try await Self.destroyEverything(o, org)
      #expect(await o.resources().isEmpty, "nothing leaked")
    }
    let creations = try await resourceCreations(dir)
    #expect(creations.values.allSatisfy { $0 == 1 }, "no resource created twice")
    // Replay (snapshot + log) equals the state at the stop.
    let (_, before) = try await stateAfterStop(dir, provisioner: simulated(), configuration: configuration) { _ in () }
    let o = try Orchestrator.open(dataDirectory: dir.path, provisioner: simulated(), configuration: configuration)
    #expect(await o.durable == before)
    await o.close()
  }
}

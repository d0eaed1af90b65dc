import OnveraProto
import OnveraStore
import Testing

@testable import Orchestrator

/// How many times each resource key was recorded as created, read back from the store's log.
func resourceCreations(_ dir: TemporaryDirectory) async throws -> [String: Int] {
  var counts: [String: Int] = [:]
  let store = try Store.open(
    dataDirectory: dir.path,
    replay: { record in
      guard record.type == ChangeRecord.recordType else { return }
      for r in try ChangeRecord(serializedBytes: record.payload).resources where r.present {
        counts[r.key, default: 0] += 1
      }
    })
  await store.close()
  return counts
}

/// Runs `body` on an orchestrator and returns its durable state once `run()` has returned.
func stateAfterStop<T: Sendable>(
  _ dir: TemporaryDirectory, provisioner: any Provisioner, configuration: Orchestrator.Configuration = testConfiguration(),
  _ body: @Sendable (Orchestrator) async throws -> T
) async throws -> (T, OrchestratorState) {
  let o = try Orchestrator.open(dataDirectory: dir.path, provisioner: provisioner, configuration: configuration)
  let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
    group.addTask { await o.run() }
    let result: Result<T, any Error>
    do { result = .success(try await body(o)) } catch { result = .failure(error) }
    o.beginGracefulShutdown()
    await group.waitForAll()
    return result
  }
  let state = await o.durable
  await o.close()
  return (try result.get(), state)
}

@Suite struct RestartTests {
  /// Stops the orchestrator at the start of each step (its start recorded, nothing done yet:
  /// the step boundary) and after its side effect but before its end is recorded (the middle),
  /// then starts a new orchestrator on the same directory.
  @Test(arguments: Plan.createSteps(for: .airflow), [GatedProvisioner.Point.before, .after])
  func createResumesAfterRestart(_ step: String, _ point: GatedProvisioner.Point) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(step, point)
    let ((org, created), before) = try await stateAfterStop(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org, .airflow)
      await gated.arrived(step, point)
      return (org, created)
    }
    let stopped = try #require(before.operations[created.operation.id])
    #expect(stopped.status == .running)
    #expect(stopped.steps.first { $0.name == step }?.status == .running)

    try await withOrchestrator(dir) { o in
      #expect(await o.durable == before, "the replayed state equals the state before the stop")
      let op = try await finished(o, org, created.operation.id)
      #expect(op.status == .succeeded)
      for s in op.steps {
        #expect(s.status == .succeeded)
        #expect(s.attempt == (s.name == step ? 2 : 1), "\(s.name) resumed once, the others ran once")
      }
      let d = try await o.deployment(organizationID: org, id: created.deployment.id)
      #expect(d.status == .ready)
      let members = await o.members(organizationID: org)
      #expect(await o.resources(deploymentID: d.id) == expectedResources(d, members: members))
      let destroy = try await o.destroyDeployment(organizationID: org, id: d.id)
      #expect(try await finished(o, org, destroy.id).status == .succeeded)
      #expect(await o.resources().isEmpty, "nothing leaked")
    }
    let creations = try await resourceCreations(dir)
    #expect(!creations.isEmpty)
    #expect(creations.values.allSatisfy { $0 == 1 }, "no side effect happened twice: \(creations)")
  }

  @Test(arguments: Plan.destroySteps)
  func destroyResumesAfterRestart(_ step: String) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    let ((org, dep, opID), before) = try await stateAfterStop(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      _ = try await finished(o, org, created.operation.id)
      gated.hold(step, .after)
      let op = try await o.destroyDeployment(organizationID: org, id: created.deployment.id)
      await gated.arrived(step, .after)
      return (org, created.deployment.id, op.id)
    }
    try await withOrchestrator(dir) { o in
      #expect(await o.durable == before)
      let op = try await finished(o, org, opID)
      let d = try await o.deployment(organizationID: org, id: dep)
      #expect(op.status == .succeeded)
      #expect(d.status == .destroyed)
      #expect(await o.resources().isEmpty, "a destroy after a restart still finds what to tear down")
    }
  }

  @Test(arguments: [UInt64(0), 5])
  func replayedStateEqualsStateBeforeStop(_ snapshotInterval: UInt64) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.snapshotInterval = snapshotInterval
    let provisioner = simulated([.init(step: StepName.supersetInit, calls: [2])])
    let (_, before) = try await stateAfterStop(dir, provisioner: provisioner, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      let other = try await makeOrganization(o, name: "Other Org")
      let env = try await o.createEnvironment(organizationID: org, name: "Staging", isolationLevel: .dedicated)
      let key = try await o.createApiKey(
        organizationID: org, name: "ci", prefix: "onv_sk_live_abcd", secretHash: Array(repeating: 7, count: 32),
        scopes: ["deployments:read"])
      try await o.recordApiKeyUse(keyID: key.id)
      _ = try await o.revokeApiKey(organizationID: org, keyID: key.id)
      var ops: [String] = []
      for i in 0..<4 {
        let c = try await o.createDeployment(
          .init(organizationID: i == 3 ? other : org, appType: i % 2 == 0 ? .superset : .airflow,
            environmentID: i == 1 ? env.id : "", requestID: "req-\(i)"))
        ops.append(c.operation.id)
        if i == 1 { try await o.writeSnapshot() }
      }
      for (i, op) in ops.enumerated() { _ = try await finished(o, i == 3 ? other : org, op) }
      let (member, provision) = try await o.addMember(organizationID: org, email: "dev@acme.test", role: .admin)
      _ = try await finished(o, org, provision.id)
      let ready = await o.listDeployments(organizationID: org, filter: .init(status: .ready)).items
      let destroy = try await o.destroyDeployment(organizationID: org, id: ready[0].id)
      _ = try await finished(o, org, destroy.id)
      let revoke = try await o.removeMember(organizationID: org, userID: member.userID)
      _ = try await finished(o, org, revoke.id)
      return ()
    }
    #expect(dir.files().contains { $0.hasSuffix(".snap") }, "snapshots were written")
    #expect(before.deployments.count == 4)
    #expect(before.deployments.values.contains { $0.status == .failed }, "one create failed by injection")
    let o = try Orchestrator.open(dataDirectory: dir.path, provisioner: simulated(), configuration: configuration)
    let after = await o.durable
    await o.close()
    #expect(after == before)
  }
}

@Suite struct DomainTests {
  @Test func membersAreProvisionedAndRevoked() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let owner = try #require(await o.members(organizationID: org).first)
      #expect(owner.role == .owner)
      let a = try await create(o, org)
      let b = try await create(o, org, .airflow)
      _ = try await finished(o, org, a.operation.id)
      _ = try await finished(o, org, b.operation.id)

      let (member, provision) = try await o.addMember(organizationID: org, email: "dev@acme.test", role: .member)
      #expect(member.userID.hasPrefix("usr_"))
      #expect(provision.type == .userProvision)
      #expect(provision.resourceID == member.userID)
      #expect(provision.steps.map(\.name) == [StepName.provisionUser, StepName.provisionUser])
      #expect(provision.steps.map(\.resourceID) == [a.deployment.id, b.deployment.id])
      #expect(try await finished(o, org, provision.id).status == .succeeded)
      for dep in [a.deployment.id, b.deployment.id] {
        #expect(
          await o.resources(deploymentID: dep).contains(
            ProvisionedResource(kind: "user_account", id: dep + "/" + member.userID, deploymentID: dep)))
      }
      await #expect(throws: OrchestratorError.self) {
        try await o.addMember(organizationID: org, email: "DEV@acme.test", role: .member)
      }

      // A new deployment provisions every current member while bootstrapping.
      let c = try await create(o, org)
      _ = try await finished(o, org, c.operation.id)
      let cReady = try await o.deployment(organizationID: org, id: c.deployment.id)
      #expect(
        await o.resources(deploymentID: c.deployment.id)
          == expectedResources(cReady, members: [owner, member]))

      let destroyA = try await o.destroyDeployment(organizationID: org, id: a.deployment.id)
      _ = try await finished(o, org, destroyA.id)
      let revoke = try await o.removeMember(organizationID: org, userID: member.userID)
      #expect(revoke.type == .userRevoke)
      #expect(revoke.steps.map(\.resourceID) == [b.deployment.id, c.deployment.id])
      #expect(try await finished(o, org, revoke.id).status == .succeeded)
      #expect(await o.resources().filter { $0.id.hasSuffix(member.userID) }.isEmpty)
      #expect(await o.members(organizationID: org).map(\.userID) == [owner.userID])
      await #expect(throws: OrchestratorError.notFound("MEMBER_NOT_FOUND", "member", member.userID)) {
        try await o.removeMember(organizationID: org, userID: member.userID)
      }
    }
  }

  /// A member added while a deployment is bootstrapping is provisioned into it exactly once:
  /// by the deployment's provision_members step if that has not started, else by user.provision.
  @Test(arguments: [StepName.supersetInit, StepName.provisionMembers])
  func memberAddedDuringBootstrap(_ heldStep: String) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(heldStep)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let c = try await create(o, org)
      await gated.arrived(heldStep)
      let (member, provision) = try await o.addMember(organizationID: org, email: "late@acme.test", role: .member)
      #expect(provision.steps.map(\.resourceID) == [c.deployment.id])
      let done = try await finished(o, org, provision.id)
      #expect(done.status == .succeeded)
      #expect(done.steps[0].status == (heldStep == StepName.provisionMembers ? .succeeded : .skipped))
      gated.release(heldStep)
      _ = try await finished(o, org, c.operation.id)
      let d = try await o.deployment(organizationID: org, id: c.deployment.id)
      #expect(d.status == .ready)
      #expect(await o.resources(deploymentID: d.id) == expectedResources(d, members: await o.members(organizationID: org)))
      #expect(await o.members(organizationID: org).contains(member))
    }
  }

  /// A member removed while a deployment's provision_members step creates its account loses
  /// that account once the step is done.
  @Test(arguments: [GatedProvisioner.Point.before, .after])
  func memberRemovedDuringBootstrap(_ point: GatedProvisioner.Point) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.provisionMembers, point)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let (member, provision) = try await o.addMember(organizationID: org, email: "leaving@acme.test", role: .member)
      _ = try await finished(o, org, provision.id)
      let c = try await create(o, org)
      await gated.arrived(StepName.provisionMembers, point)
      let revoke = try await o.removeMember(organizationID: org, userID: member.userID)
      #expect(revoke.steps.map(\.resourceID) == [c.deployment.id])
      gated.release(StepName.provisionMembers, point)
      #expect(try await finished(o, org, revoke.id).status == .succeeded)
      _ = try await finished(o, org, c.operation.id)
      let d = try await o.deployment(organizationID: org, id: c.deployment.id)
      #expect(await o.resources(deploymentID: d.id) == expectedResources(d, members: await o.members(organizationID: org)))
      #expect(await o.resources().allSatisfy { !$0.id.hasSuffix(member.userID) }, "no access left for the removed member")
    }
  }

  @Test func apiKeys() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let hash = (0..<32).map { UInt8($0) }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let other = try await makeOrganization(o, name: "Other")
      let key = try await o.createApiKey(
        organizationID: org, name: "ci", prefix: "onv_sk_live_0123", secretHash: hash,
        scopes: ["deployments:read", "operations:read"], expireTime: Google_Protobuf_Timestamp(seconds: 4_000_000_000))
      #expect(key.id.hasPrefix("key_"))
      let found = try #require(o.apiKey(secretHash: hash))
      #expect(found.organizationID == org)
      #expect(found.key == key)
      #expect(o.apiKey(secretHash: Array(repeating: 0, count: 32)) == nil)
      #expect(await o.apiKeys(organizationID: org) == [key])
      #expect(await o.apiKeys(organizationID: other).isEmpty)
      // Authentication reads keys and use times off the actor; a use is written once per
      // granularity (60 s by default), however many calls note it.
      #expect(o.apiKeyUseIsDue(keyID: key.id))
      try await o.recordApiKeyUse(keyID: key.id)
      let used = try #require(o.apiKey(secretHash: hash)?.key.lastUsedTime)
      #expect(!o.apiKeyUseIsDue(keyID: key.id))
      let revisionAfterUse = await o.revision
      try await o.recordApiKeyUse(keyID: key.id)
      #expect(await o.revision == revisionAfterUse, "a second use within the granularity writes nothing")
      #expect(o.apiKey(secretHash: hash)?.key.lastUsedTime == used)
      await #expect(throws: OrchestratorError.self) {
        try await o.revokeApiKey(organizationID: other, keyID: key.id)
      }
      let revoked = try await o.revokeApiKey(organizationID: org, keyID: key.id)
      #expect(revoked.hasRevokeTime)
      #expect(o.apiKey(secretHash: hash)?.key == revoked, "authentication sees the revocation once it is durable")
      #expect(try await o.revokeApiKey(organizationID: org, keyID: key.id) == revoked, "revocation is final")
      await #expect(throws: OrchestratorError.self) {
        try await o.createApiKey(organizationID: org, name: "x", prefix: "p", secretHash: [1, 2], scopes: [])
      }
      await #expect(throws: OrchestratorError.self) {
        try await o.createApiKey(organizationID: org, name: "dup", prefix: "p", secretHash: hash, scopes: [])
      }
    }
    // After a restart the keys come from the recovered state.
    try await withOrchestrator(dir) { o in
      let found = try #require(o.apiKey(secretHash: hash))
      #expect(found.key.hasRevokeTime && found.key.hasLastUsedTime)
    }
  }

  @Test func environments() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let other = try await makeOrganization(o, name: "Other")
      let envs = await o.environments(organizationID: org)
      #expect(envs.count == 1)
      let def = try #require(envs.first)
      #expect(def.id == "env_default" && def.name == "Default" && def.slug == "default" && def.systemOwned)
      #expect(def.organizationID == org)
      let staging = try await o.createEnvironment(organizationID: org, name: "Staging EU", isolationLevel: .byoc)
      #expect(staging.id.hasPrefix("env_") && staging.slug == "staging-eu" && !staging.systemOwned)
      #expect(await o.environments(organizationID: org).map(\.id) == ["env_default", staging.id])
      await #expect(throws: OrchestratorError.self) {
        try await o.createEnvironment(organizationID: org, name: "staging eu", isolationLevel: .shared)
      }
      await #expect(throws: OrchestratorError.notFound("ENVIRONMENT_NOT_FOUND", "environment", staging.id)) {
        try await o.environment(organizationID: other, id: staging.id)
      }
      let inStaging = try await o.createDeployment(
        .init(organizationID: org, appType: .superset, environmentID: staging.id))
      let inDefault = try await create(o, org)
      #expect(
        await o.listDeployments(organizationID: org, filter: .init(environmentID: staging.id)).items.map(\.id)
          == [inStaging.deployment.id])
      #expect(
        await o.listDeployments(organizationID: org, filter: .init(environmentID: "env_default")).items.map(\.id)
          == [inDefault.deployment.id])
      #expect(await o.organizations().map(\.id) == [org, other])
      #expect(try await o.organization(id: org).name == "Acme")
    }
  }

  @Test func paginationIsStableWhileCreating() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir, run: false) { o in
      let org = try await makeOrganization(o)
      var created: [String] = []
      for i in 0..<25 { created.append(try await create(o, org, name: "d\(i)").deployment.id) }
      var seen: [String] = []
      var cursor: Int? = nil
      var pages = 0
      repeat {
        let page = await o.listDeployments(organizationID: org, before: cursor, limit: 10)
        seen += page.items.map(\.id)
        cursor = page.nextCursor
        pages += 1
        // New deployments appear meanwhile; they are newer than the cursor.
        _ = try await create(o, org, name: "late\(pages)")
      } while cursor != nil
      #expect(seen == created.reversed(), "newest first, no duplicates, no gaps")
      #expect(pages == 3)
      let all = await o.listDeployments(organizationID: org, limit: 100)
      #expect(all.totalSize == 28)
      let ops = await o.listOperations(organizationID: org, filter: .init(type: .deploymentCreate), limit: 5)
      #expect(ops.items.count == 5 && ops.totalSize == 28 && ops.nextCursor != nil)
      #expect(
        await o.listOperations(organizationID: org, filter: .init(resourceID: created[0])).items.map(\.resourceID)
          == [created[0]])
      #expect(await o.listOperations(organizationID: org, filter: .init(status: .succeeded)).totalSize == 0)
    }
  }
}

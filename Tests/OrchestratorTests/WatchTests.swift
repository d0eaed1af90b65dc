import OnveraProto
import OnveraStore
import Testing

@testable import Orchestrator

/// Checks an operation watcher's history: ordered, never duplicated, and when `gapFree`,
/// every sequence after the first one present.
func checkHistory(_ events: [Onvera_V1_OperationEvent], final: Onvera_V1_Operation, gapFree: Bool) {
  let changes = events.filter { $0.kind != .heartbeat }
  let sequences = changes.map(\.sequence)
  #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count, "ordered, no duplicates: \(sequences)")
  if gapFree, let first = sequences.first {
    #expect(sequences == Array(first...(first + UInt64(sequences.count) - 1)), "gap-free: \(sequences)")
  }
  #expect(changes.last?.operation == final, "the last event is the final state")
  #expect(changes.allSatisfy { $0.sequence == $0.operation.sequence })
}

@Suite struct WatchTests {
  @Test func operationWatcherSeesEveryChange() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org, .airflow)
      let watch = try await o.watchOperation(organizationID: org, id: created.operation.id)
      gated.release(StepName.initialization)
      let events = try await collect(watch) { _ in false }
      #expect(events.first?.kind == .snapshot)
      #expect(events.dropFirst().allSatisfy { $0.kind == .update })
      let final = try await o.operation(organizationID: org, id: created.operation.id)
      #expect(final.done)
      checkHistory(events, final: final, gapFree: true)
      #expect(events.count >= Plan.createSteps(for: .airflow).count + 1)
    }
  }

  @Test func slowWatcherIsCoalescedAndNeverDelaysOthers() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.watchBufferLimit = 4
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    try await withOrchestrator(dir, provisioner: gated, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org, .airflow)
      let slow = try await o.watchOperation(organizationID: org, id: created.operation.id)
      let fast = try await o.watchOperation(organizationID: org, id: created.operation.id)
      let deploymentsSlow = try await o.watchDeployments(organizationID: org)
      gated.release(StepName.initialization)
      // The fast one reads as events come; the slow ones read nothing until the end.
      let fastEvents = try await collect(fast) { _ in false }
      let final = try await finished(o, org, created.operation.id)
      checkHistory(fastEvents, final: final, gapFree: true)
      #expect(slow.subscriber.backlog <= 4, "bounded: \(slow.subscriber.backlog)")
      let slowEvents = try await collect(slow) { _ in false }
      checkHistory(slowEvents, final: final, gapFree: false)
      #expect(slowEvents.count < fastEvents.count, "the slow watcher's backlog was coalesced")
      #expect(slowEvents.first?.kind == .snapshot)

      let ready = try await o.deployment(organizationID: org, id: created.deployment.id)
      let deploymentEvents = try await collect(deploymentsSlow) { $0.deployment.status == .ready }
      #expect(deploymentEvents.last?.deployment == ready)
      let revisions = deploymentEvents.filter { $0.kind != .synced }.map(\.revision)
      #expect(revisions == revisions.sorted())
    }
  }

  @Test func watcherResumesFromTheLastSequence() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.applicationBootstrap)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      var first: [Onvera_V1_OperationEvent] = []
      do {
        let watch = try await o.watchOperation(organizationID: org, id: created.operation.id)
        first = try await collect(watch) { $0.sequence >= 3 }
      }  // disconnects
      await gated.arrived(StepName.applicationBootstrap)
      let last = try #require(first.last?.sequence)
      let resumed = try await o.watchOperation(organizationID: org, id: created.operation.id, afterSequence: last)
      gated.release(StepName.applicationBootstrap)
      let rest = try await collect(resumed) { _ in false }
      #expect(rest.first?.sequence == last + 1, "resumes right after the last sequence seen")
      #expect(rest.allSatisfy { $0.kind == .update })
      let final = try await o.operation(organizationID: org, id: created.operation.id)
      checkHistory(first + rest, final: final, gapFree: true)

      // Resuming a finished operation from an old sequence gets its final state and ends.
      let late = try await collect(
        try await o.watchOperation(organizationID: org, id: created.operation.id, afterSequence: 1)
      ) { _ in false }
      #expect(late.last?.operation == final)
      // ... and from its last sequence, nothing.
      let none = try await collect(
        try await o.watchOperation(organizationID: org, id: created.operation.id, afterSequence: final.sequence)
      ) { _ in false }
      #expect(none.isEmpty)
    }
  }

  @Test func watcherResumesAcrossASnapshotAndARestart() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    // First life: one operation finishes, another stops mid-way; a snapshot covers both (the
    // log records holding their earlier states are compacted away), then the process ends.
    let (org, done, running, seen) = try await withOrchestrator(dir, provisioner: gated) {
      o -> (String, Onvera_V1_Operation, String, [Onvera_V1_OperationEvent]) in
      let org = try await makeOrganization(o)
      let first = try await create(o, org)
      let done = try await finished(o, org, first.operation.id)
      gated.hold(StepName.applicationBootstrap)
      let second = try await create(o, org)
      let watch = try await o.watchOperation(organizationID: org, id: second.operation.id)
      let seen = try await collect(watch) { $0.sequence >= 3 }
      await gated.arrived(StepName.applicationBootstrap)
      #expect(try await o.writeSnapshot() > 0)
      return (org, done, second.operation.id, seen)
    }
    #expect(done.sequence > 3)

    let gated2 = GatedProvisioner()
    try await withOrchestrator(dir, provisioner: gated2) { o in
      // The finished one: a watcher that saw only its first state gets every later one.
      let late = try await collect(
        try await o.watchOperation(organizationID: org, id: done.id, afterSequence: 1)) { _ in false }
      #expect(late.map(\.sequence) == Array(2...done.sequence), "gap-free after the restart")
      #expect(late.last?.operation == done)
      // The interrupted one: resumes right after what was seen before the restart.
      let last = try #require(seen.last?.sequence)
      let rest = try await collect(
        try await o.watchOperation(organizationID: org, id: running, afterSequence: last)) { _ in false }
      #expect(rest.first?.sequence == last + 1, "resumes right after the last sequence seen")
      let final = try await finished(o, org, running)
      checkHistory(seen + rest, final: final, gapFree: true)
    }
  }

  @Test func manyWatchersAtOnce() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      var watches: [OperationWatch] = []
      for _ in 0..<200 { watches.append(try await o.watchOperation(organizationID: org, id: created.operation.id)) }
      #expect(o.watcherCounts.operations == 200)
      gated.release(StepName.initialization)
      let histories = try await withThrowingTaskGroup(of: [Onvera_V1_OperationEvent].self) { group in
        for w in watches { group.addTask { try await collect(w) { _ in false } } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let final = try await o.operation(organizationID: org, id: created.operation.id)
      #expect(o.watcherCounts.operations == 0, "finished watches are gone from the hub")
      #expect(histories.count == 200)
      for h in histories { checkHistory(h, final: final, gapFree: true) }
    }
  }

  @Test func deploymentWatchListsThenStreams() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let other = try await makeOrganization(o, name: "Other")
      let a = try await create(o, org)
      let b = try await create(o, org, .airflow)
      _ = try await finished(o, org, a.operation.id)
      _ = try await finished(o, org, b.operation.id)
      _ = try await create(o, other)
      let head = await o.revision
      let watch = try await o.watchDeployments(organizationID: org)
      let c = try await create(o, org)
      let events = try await collect(watch) { $0.deployment.id == c.deployment.id && $0.deployment.status == .ready }
      #expect(events.prefix(2).map(\.kind) == [.added, .added])
      #expect(Set(events.prefix(2).map(\.deployment.id)) == [a.deployment.id, b.deployment.id])
      #expect(events[2].kind == .synced && events[2].revision == head)
      let live = events.dropFirst(3)
      #expect(live.first?.kind == .added && live.first?.deployment.id == c.deployment.id)
      #expect(live.dropFirst().allSatisfy { $0.kind == .modified })
      #expect(live.map(\.revision) == live.map(\.revision).sorted())
      #expect(live.allSatisfy { $0.deployment.organizationID == org }, "never another organization's data")
      #expect(live.last?.deployment == (try await o.deployment(organizationID: org, id: c.deployment.id)))
      #expect(live.allSatisfy { $0.revision == $0.deployment.revision })

      // Destroy: REMOVED at the end, from a resumed watch.
      let resumeFrom = live.last!.revision
      let destroy = try await o.destroyDeployment(organizationID: org, id: c.deployment.id)
      _ = try await finished(o, org, destroy.id)
      let resumed = try await o.watchDeployments(organizationID: org, afterRevision: resumeFrom)
      let tail = try await collect(resumed) { $0.kind == .removed }
      #expect(tail.first?.deployment.status == .destroying)
      #expect(tail.last?.deployment.status == .destroyed)
      #expect(tail.allSatisfy { $0.revision > resumeFrom })
    }
  }

  @Test func resumedDeploymentWatchMatchesALiveOne() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await withOrchestrator(dir) { o in
      let org = try await makeOrganization(o)
      let staging = try await o.createEnvironment(organizationID: org, name: "Staging", isolationLevel: .shared)
      let start = await o.revision
      let live = try await o.watchDeployments(organizationID: org, afterRevision: start)
      let liveStaging = try await o.watchDeployments(organizationID: org, afterRevision: start, environmentID: staging.id)
      var ops: [String] = []
      for i in 0..<4 {
        ops.append(
          try await o.createDeployment(
            .init(organizationID: org, appType: .superset, environmentID: i % 2 == 0 ? staging.id : "")
          ).operation.id)
      }
      for op in ops { _ = try await finished(o, org, op) }
      let end = await o.revision
      // A watcher that starts now from the same revision replays the history from the store.
      let replay = try await o.watchDeployments(organizationID: org, afterRevision: start)
      let a = try await collect(live) { $0.revision >= end }
      let b = try await collect(replay) { $0.revision >= end }
      #expect(a.count > 8)
      #expect(a == b)
      let s = try await collect(liveStaging) { $0.deployment.status == .ready && $0.revision >= end - 8 }
      #expect(s.allSatisfy { $0.deployment.environmentID == staging.id })
      await #expect(throws: OrchestratorError.notFound("ENVIRONMENT_NOT_FOUND", "environment", "env_x")) {
        try await o.watchDeployments(organizationID: org, environmentID: "env_x")
      }
    }
  }

  @Test func compactedHistoryIsReported() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.storeConfiguration.segmentSize = 4096
    configuration.storeConfiguration.historyWindow = 4
    try await withOrchestrator(dir, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      for _ in 0..<3 {
        let c = try await create(o, org)
        _ = try await finished(o, org, c.operation.id)
        try await o.writeSnapshot()
      }
      #expect(o.store.compactedRevision > 1)
      do {
        _ = try await o.watchDeployments(organizationID: org, afterRevision: 1)
        Issue.record("watching compacted history must fail")
      } catch let error as OrchestratorError {
        #expect(error.code == .outOfRange)
        #expect(error.reason == "WATCH_REVISION_COMPACTED")
      }
    }
  }

  @Test func heartbeatsAndBookmarksWhenQuiet() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var configuration = testConfiguration()
    configuration.heartbeatInterval = .milliseconds(20)
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    try await withOrchestrator(dir, provisioner: gated, configuration: configuration) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      await gated.arrived(StepName.initialization)
      let current = try await o.operation(organizationID: org, id: created.operation.id)
      let ops = try await collect(try await o.watchOperation(organizationID: org, id: created.operation.id)) {
        $0.kind == .heartbeat
      }
      #expect(ops.last?.sequence == current.sequence)
      #expect(!ops.last!.hasOperation)
      let head = await o.revision
      let deps = try await collect(try await o.watchDeployments(organizationID: org)) { $0.kind == .bookmark }
      #expect(deps.last?.revision == head)
      gated.release(StepName.initialization)
    }
  }

  @Test func closingEndsWatches() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let gated = GatedProvisioner()
    gated.hold(StepName.initialization)
    let watch = try await withOrchestrator(dir, provisioner: gated) { o in
      let org = try await makeOrganization(o)
      let created = try await create(o, org)
      return try await o.watchOperation(organizationID: org, id: created.operation.id)
    }
    await #expect(throws: OrchestratorError.self) {
      for try await _ in watch {}
    }
  }
}

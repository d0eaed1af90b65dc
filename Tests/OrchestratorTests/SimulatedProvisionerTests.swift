import OnveraProto
import Synchronization
import Testing

@testable import Orchestrator

/// An in-memory ledger, to call the simulated provisioner directly.
final class MemoryLedger: Sendable {
  let resources = Mutex<Set<ProvisionedResource>>([])

  var ledger: ResourceLedger {
    ResourceLedger(
      listResources: { id in
        self.resources.withLock { Array($0.filter { id == nil || $0.deploymentID == id }) }
      },
      addResource: { r, requiring in
        try self.resources.withLock { s in
          if let requiring, !s.contains(requiring) { throw ProvisionerError("\(requiring) is gone") }
          return s.insert(r).inserted
        }
      },
      removeResource: { r in self.resources.withLock { $0.remove(r) != nil } })
  }
}

@Suite struct SimulatedProvisionerTests {
  func context(_ step: String, _ ledger: MemoryLedger) -> StepContext {
    var d = Onvera_V1_Deployment()
    d.id = "dep_1"
    d.subdomain = "x-abc123"
    var m = Onvera_V1_Member()
    m.userID = "usr_1"
    return StepContext(
      operationID: "op_1", step: step, attempt: 1, deployment: d, member: m, members: [m], ledger: ledger.ledger)
  }

  @Test func failsExactlyTheNthCalls() async throws {
    let p = simulated([.init(step: StepName.initialization, calls: [2, 4])], step: .zero)
    let ledger = MemoryLedger()
    var outcomes: [Bool] = []
    for _ in 1...5 {
      do {
        try await p.initialize(context(StepName.initialization, ledger))
        outcomes.append(true)
      } catch let error as ProvisionerError {
        #expect(!error.isTransient)
        outcomes.append(false)
      }
    }
    #expect(outcomes == [true, false, true, false, true])
    #expect(p.callCounts[StepName.initialization] == 5)
  }

  @Test(arguments: [0.0, 1.0])
  func failsWithProbability(_ probability: Double) async throws {
    let p = simulated([.init(step: StepName.databaseProvisioning, probability: probability, isTransient: true)], step: .zero)
    let ledger = MemoryLedger()
    var failures = 0
    for _ in 0..<20 {
      do { try await p.provisionDatabase(context(StepName.databaseProvisioning, ledger)) } catch { failures += 1 }
    }
    #expect(failures == Int(probability * 20))
  }

  @Test func createsAndTearsDownEveryResourceIdempotently() async throws {
    let p = simulated(step: .zero)
    let ledger = MemoryLedger()
    for _ in 0..<2 {  // every step twice: idempotent
      try await p.provisionDatabase(context(StepName.databaseProvisioning, ledger))
      try await p.provisionInfrastructure(context(StepName.infrastructureProvisioning, ledger))
      try await p.bootstrapApplication(context(StepName.applicationBootstrap, ledger))
      try await p.provisionMembers(context(StepName.provisionMembers, ledger))
      try await p.configureSubdomain(context(StepName.subdomainConfiguration, ledger))
    }
    #expect(ledger.resources.withLock { $0.count } == 5)
    for _ in 0..<2 {
      try await p.revokeAccess(context(StepName.revokingAccess, ledger))
      try await p.removeDatabaseTenant(context(StepName.removingDbTenant, ledger))
      try await p.tearDownInfrastructure(context(StepName.tearingDownInfra, ledger))
    }
    #expect(ledger.resources.withLock { $0.isEmpty })
    // Nothing is created under infrastructure that is gone.
    await #expect(throws: ProvisionerError.self) {
      try await p.provisionUser(context(StepName.provisionUser, ledger))
    }
  }

  @Test func stepsTakeTheirTimeAndStopWhenCancelled() async throws {
    let p = simulated(step: .seconds(30))
    let ledger = MemoryLedger()
    let c = context(StepName.initialization, ledger)
    await #expect(throws: CancellationError.self) {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await p.initialize(c) }
        group.cancelAll()
        try await group.waitForAll()
      }
    }
  }
}

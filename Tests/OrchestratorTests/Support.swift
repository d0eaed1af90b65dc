#if canImport(Glibc)
import Glibc
#endif
import OnveraProto
import OnveraStore
import Synchronization
import Testing

@testable import Orchestrator

/// A temporary data directory, removed by `remove()`.
struct TemporaryDirectory {
  let path: String

  init() {
    var template = Array("/tmp/onvera-orchestrator-test-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    path = String(cString: p!)
  }

  /// The names of the files in the directory.
  func files() -> [String] {
    var names: [String] = []
    if let d = opendir(path) {
      while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(d)
    }
    return names
  }

  /// Removes the directory and the files in it (the store keeps no subdirectories).
  func remove() {
    for name in files() { unlink(path + "/" + name) }
    rmdir(path)
  }
}

/// Millisecond steps, fast retries, quick heartbeats.
func testConfiguration() -> Orchestrator.Configuration {
  var c = Orchestrator.Configuration()
  c.retryBackoff = .milliseconds(1)
  c.maxRetryBackoff = .milliseconds(4)
  c.heartbeatInterval = .seconds(30)
  c.storeConfiguration.segmentSize = 1 << 20
  c.storeConfiguration.preallocationBytes = 64 << 10
  return c
}

func simulated(_ failures: [SimulatedProvisioner.FailureInjection] = [], step: Duration = .milliseconds(1))
  -> SimulatedProvisioner
{
  var c = SimulatedProvisioner.Configuration()
  c.stepDuration = step
  c.jitter = 0.5
  c.failures = failures
  return SimulatedProvisioner(configuration: c)
}

/// Opens an orchestrator on `directory`, runs it while `body` runs, then stops and closes it.
func withOrchestrator<T: Sendable>(
  _ directory: TemporaryDirectory, provisioner: any Provisioner = simulated(),
  configuration: Orchestrator.Configuration = testConfiguration(), run: Bool = true,
  _ body: @Sendable (Orchestrator) async throws -> T
) async throws -> T {
  let orchestrator = try Orchestrator.open(
    dataDirectory: directory.path, provisioner: provisioner, configuration: configuration)
  return try await withThrowingTaskGroup(of: Void.self) { group in
    if run { group.addTask { await orchestrator.run() } }
    let result: Result<T, any Error>
    do { result = .success(try await body(orchestrator)) } catch { result = .failure(error) }
    orchestrator.beginGracefulShutdown()
    try await group.waitForAll()
    await orchestrator.close()
    return try result.get()
  }
}

/// A fresh organization with an owner.
func makeOrganization(_ o: Orchestrator, name: String = "Acme") async throws -> String {
  try await o.createOrganization(name: name, ownerEmail: "owner@acme.test").id
}

/// Waits (bounded) until the operation is done and returns it.
func finished(_ o: Orchestrator, _ org: String, _ op: String, within timeout: Duration = .seconds(90)) async throws
  -> Onvera_V1_Operation
{
  let result = try await o.waitOperation(organizationID: org, id: op, timeout: timeout)
  try #require(result.done, "operation \(op) not done within \(timeout): \(result.status) \(result.message)")
  return result
}

func create(
  _ o: Orchestrator, _ org: String, _ app: Onvera_V1_AppType = .superset, name: String = "", requestID: String = ""
) async throws -> DeploymentCreation {
  try await o.createDeployment(
    CreateDeploymentCommand(organizationID: org, appType: app, name: name, requestID: requestID))
}

/// Steps can be held before or after their side effect, to stop the orchestrator at a step
/// boundary or in the middle of a step, or to cancel at a chosen step.
final class GatedProvisioner: Provisioner {
  enum Point: Sendable, Hashable { case before, after }

  struct State {
    var holds: Set<String> = []
    var held: [String: [CheckedContinuation<Void, Never>]] = [:]
    var arrivals: [String] = []
    var arrivalWaiters: [(String, CheckedContinuation<Void, Never>)] = []
  }

  let inner: any Provisioner
  let state = Mutex(State())

  init(_ inner: any Provisioner = simulated()) { self.inner = inner }

  private static func key(_ step: String, _ point: Point) -> String { "\(step)@\(point)" }

  /// Makes the next calls of `step` wait at `point` until ``release(_:_:)``.
  func hold(_ step: String, _ point: Point = .before) {
    _ = state.withLock { $0.holds.insert(Self.key(step, point)) }
  }

  /// Lets every held call of `step` at `point` go on, and stops holding it.
  func release(_ step: String, _ point: Point = .before) {
    let waiters = state.withLock { s in
      s.holds.remove(Self.key(step, point))
      return s.held.removeValue(forKey: Self.key(step, point)) ?? []
    }
    for w in waiters { w.resume() }
  }

  /// Waits (bounded by the test's own timeout) until a call of `step` is held at `point`.
  func arrived(_ step: String, _ point: Point = .before) async {
    let k = Self.key(step, point)
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let now = state.withLock { s in
        if s.arrivals.contains(k) { return true }
        s.arrivalWaiters.append((k, c))
        return false
      }
      if now { c.resume() }
    }
  }

  private func gate(_ step: String, _ point: Point) async throws {
    let k = Self.key(step, point)
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let (pass, waiters) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
          guard s.holds.contains(k), !Task.isCancelled else { return (true, []) }
          s.held[k, default: []].append(c)
          s.arrivals.append(k)
          let ready = s.arrivalWaiters.filter { $0.0 == k }.map(\.1)
          s.arrivalWaiters.removeAll { $0.0 == k }
          return (false, ready)
        }
        for w in waiters { w.resume() }
        if pass { c.resume() }
      }
    } onCancel: {
      let waiters = state.withLock { s in s.held.removeValue(forKey: k) ?? [] }
      for w in waiters { w.resume() }
    }
    try Task.checkCancellation()
  }

  private func step(_ name: String, _ c: StepContext, _ body: (StepContext) async throws -> Void) async throws {
    try await gate(name, .before)
    try await body(c)
    try await gate(name, .after)
  }

  func initialize(_ c: StepContext) async throws { try await step(c.step, c, inner.initialize) }
  func provisionDatabase(_ c: StepContext) async throws { try await step(c.step, c, inner.provisionDatabase) }
  func provisionInfrastructure(_ c: StepContext) async throws { try await step(c.step, c, inner.provisionInfrastructure) }
  func bootstrapApplication(_ c: StepContext) async throws { try await step(c.step, c, inner.bootstrapApplication) }
  func runAirflowMigrations(_ c: StepContext) async throws { try await step(c.step, c, inner.runAirflowMigrations) }
  func checkAirflowHealth(_ c: StepContext) async throws { try await step(c.step, c, inner.checkAirflowHealth) }
  func initializeSuperset(_ c: StepContext) async throws { try await step(c.step, c, inner.initializeSuperset) }
  func provisionMembers(_ c: StepContext) async throws { try await step(c.step, c, inner.provisionMembers) }
  func configureSubdomain(_ c: StepContext) async throws { try await step(c.step, c, inner.configureSubdomain) }
  func revokeAccess(_ c: StepContext) async throws { try await step(c.step, c, inner.revokeAccess) }
  func removeDatabaseTenant(_ c: StepContext) async throws { try await step(c.step, c, inner.removeDatabaseTenant) }
  func tearDownInfrastructure(_ c: StepContext) async throws { try await step(c.step, c, inner.tearDownInfrastructure) }
  func provisionUser(_ c: StepContext) async throws { try await step(c.step, c, inner.provisionUser) }
  func revokeUser(_ c: StepContext) async throws { try await step(c.step, c, inner.revokeUser) }
}

/// Collects a stream's events until `stop` says so (or the stream ends), bounded in time.
func collect<S: AsyncSequence & Sendable>(
  _ stream: S, within timeout: Duration = .seconds(90), until stop: @escaping @Sendable (S.Element) -> Bool
) async throws -> [S.Element] where S.Element: Sendable {
  try await withThrowingTaskGroup(of: [S.Element]?.self) { group in
    group.addTask {
      var events: [S.Element] = []
      for try await e in stream {
        events.append(e)
        if stop(e) { break }
      }
      return events
    }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    let first = try await group.next()!
    group.cancelAll()
    return try #require(first, "stream did not reach the expected event within \(timeout)")
  }
}

/// The resources the simulated provisioner leaves for a READY deployment.
func expectedResources(_ d: Onvera_V1_Deployment, members: [Onvera_V1_Member]) -> [ProvisionedResource] {
  var r = [
    ProvisionedResource(kind: "application", id: d.id, deploymentID: d.id),
    ProvisionedResource(kind: "db_tenant", id: d.id, deploymentID: d.id),
    ProvisionedResource(kind: "dns_record", id: d.subdomain, deploymentID: d.id),
    ProvisionedResource(kind: "infrastructure", id: d.id, deploymentID: d.id),
  ]
  r += members.map { ProvisionedResource(kind: "user_account", id: d.id + "/" + $0.userID, deploymentID: d.id) }
  return r.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
}

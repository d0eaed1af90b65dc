import OnveraProto
import Synchronization

/// The embedded default provisioner: simulates the infrastructure on one machine.
///
/// Each step takes ``Configuration-swift.struct/stepDuration`` (± jitter) and records the
/// resources it "creates" in the orchestrator's store through the ``ResourceLedger``, so a
/// destroy after a restart finds them and tests can check that nothing leaked. Failures can be
/// injected per step name, with a probability or on the Nth call.
public final class SimulatedProvisioner: Provisioner {
  /// One injected failure.
  public struct FailureInjection: Sendable, Hashable {
    /// The step name it applies to (``StepName``).
    public var step: String
    /// Chance that a call fails, 0...1 (ignored when `calls` is set).
    public var probability: Double
    /// Fail exactly these calls of the step, counting from 1 (e.g. `[1]`: the first only).
    public var calls: Set<Int>?
    /// Whether the error is transient (retried) or permanent.
    public var isTransient: Bool
    /// Instead of failing, hang until cancelled (to show a stall).
    public var hangs: Bool

    /// Fails `step` with `probability`, permanently unless `isTransient`.
    public init(step: String, probability: Double = 1, isTransient: Bool = false) {
      self.step = step
      self.probability = probability
      self.calls = nil
      self.isTransient = isTransient
      self.hangs = false
    }

    /// Fails the given calls of `step` (1 = the first call).
    public init(step: String, calls: Set<Int>, isTransient: Bool = false, hangs: Bool = false) {
      self.step = step
      self.probability = 1
      self.calls = calls
      self.isTransient = isTransient
      self.hangs = hangs
    }
  }

  /// Tunables.
  public struct Configuration: Sendable {
    /// How long each step takes; default 2 s, like a small real provision.
    public var stepDuration: Duration
    /// Random spread around `stepDuration`, as a fraction (0.25: ±25 %).
    public var jitter: Double
    /// Injected failures.
    public var failures: [FailureInjection]
    /// How steps wait.
    public var sleeper: any Sleeper

    /// Defaults: 2 s steps, ±25 % jitter, no failures, the real clock.
    public init() {
      stepDuration = .seconds(2)
      jitter = 0.25
      failures = []
      sleeper = ContinuousSleeper()
    }
  }

  private let configuration: Configuration
  private let calls = Mutex<[String: Int]>([:])

  /// Creates a simulated provisioner.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// How many times each step was called (attempts included).
  public var callCounts: [String: Int] { calls.withLock { $0 } }

  private func simulate(_ context: StepContext) async throws {
    let n = calls.withLock { c -> Int in
      c[context.step, default: 0] += 1
      return c[context.step]!
    }
    let base = configuration.stepDuration
    if base > .zero {
      let spread = configuration.jitter > 0 ? Double.random(in: -configuration.jitter...configuration.jitter) : 0
      try await configuration.sleeper.sleep(for: base * (1 + spread))
    } else {
      try Task.checkCancellation()
    }
    for injection in configuration.failures where injection.step == context.step {
      let hit = injection.calls.map { $0.contains(n) } ?? (Double.random(in: 0..<1) < injection.probability)
      guard hit else { continue }
      if injection.hangs {
        while true { try await configuration.sleeper.sleep(for: .seconds(3600)) }
      }
      throw ProvisionerError(
        "simulated \(injection.isTransient ? "transient " : "")failure of \(context.step) (call \(n))",
        isTransient: injection.isTransient, metadata: ["call": "\(n)"])
    }
  }

  private func resource(_ kind: String, _ context: StepContext, id: String? = nil) -> ProvisionedResource {
    ProvisionedResource(kind: kind, id: id ?? context.deployment.id, deploymentID: context.deployment.id)
  }

  private func infrastructure(_ context: StepContext) -> ProvisionedResource { resource("infrastructure", context) }

  private func userAccount(_ member: Onvera_V1_Member, _ context: StepContext) -> ProvisionedResource {
    resource("user_account", context, id: context.deployment.id + "/" + member.userID)
  }

  public func initialize(_ context: StepContext) async throws { try await simulate(context) }

  public func provisionDatabase(_ context: StepContext) async throws {
    try await simulate(context)
    try await context.ledger.record(resource("db_tenant", context))
  }

  public func provisionInfrastructure(_ context: StepContext) async throws {
    try await simulate(context)
    try await context.ledger.record(infrastructure(context))
  }

  public func bootstrapApplication(_ context: StepContext) async throws {
    try await simulate(context)
    try await context.ledger.record(resource("application", context), requiring: infrastructure(context))
  }

  public func runAirflowMigrations(_ context: StepContext) async throws { try await simulate(context) }
  public func checkAirflowHealth(_ context: StepContext) async throws { try await simulate(context) }
  public func initializeSuperset(_ context: StepContext) async throws { try await simulate(context) }

  public func provisionMembers(_ context: StepContext) async throws {
    try await simulate(context)
    for member in context.members {
      try await context.ledger.record(userAccount(member, context), requiring: infrastructure(context))
    }
  }

  public func configureSubdomain(_ context: StepContext) async throws {
    try await simulate(context)
    try await context.ledger.record(resource("dns_record", context, id: context.deployment.subdomain))
  }

  public func revokeAccess(_ context: StepContext) async throws {
    try await simulate(context)
    for r in await context.ledger.resources(of: context.deployment.id) where r.kind == "user_account" {
      try await context.ledger.remove(r)
    }
  }

  public func removeDatabaseTenant(_ context: StepContext) async throws {
    try await simulate(context)
    try await context.ledger.remove(resource("db_tenant", context))
  }

  public func tearDownInfrastructure(_ context: StepContext) async throws {
    try await simulate(context)
    // The infrastructure goes first: nothing is ever recorded under a deployment whose
    // infrastructure is gone (see `requiring:`), so the sweep after it misses nothing.
    try await context.ledger.remove(infrastructure(context))
    for r in await context.ledger.resources(of: context.deployment.id) { try await context.ledger.remove(r) }
  }

  public func provisionUser(_ context: StepContext) async throws {
    try await simulate(context)
    guard let member = context.member else { throw ProvisionerError("provision_user without a member") }
    try await context.ledger.record(userAccount(member, context), requiring: infrastructure(context))
  }

  public func revokeUser(_ context: StepContext) async throws {
    try await simulate(context)
    guard let member = context.member else { throw ProvisionerError("revoke_user without a member") }
    try await context.ledger.remove(userAccount(member, context))
  }
}

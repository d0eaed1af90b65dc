public import OnveraProto

/// A resource a provisioner created, as kept in the store.
public struct ProvisionedResource: Sendable, Hashable, CustomStringConvertible {
  /// What it is, e.g. "db_tenant", "infrastructure", "dns_record", "user_account".
  public var kind: String
  /// Its id, unique within its kind.
  public var id: String
  /// The deployment it belongs to.
  public var deploymentID: String

  /// Creates a resource value.
  public init(kind: String, id: String, deploymentID: String) {
    self.kind = kind
    self.id = id
    self.deploymentID = deploymentID
  }

  /// "kind:id".
  public var description: String { "\(kind):\(id)" }
}

/// The durable record of what a provisioner created, kept in the orchestrator's store.
///
/// A provisioner records a resource before reporting its step done, so that after a crash a
/// repeated step finds it (and does not create it twice) and a destroy finds what to tear down.
public struct ResourceLedger: Sendable {
  let listResources: @Sendable (_ deploymentID: String?) async -> [ProvisionedResource]
  let addResource: @Sendable (_ resource: ProvisionedResource, _ requiring: ProvisionedResource?) async throws -> Bool
  let removeResource: @Sendable (_ resource: ProvisionedResource) async throws -> Bool

  /// The present resources of one deployment (or all, with nil), sorted by kind and id.
  public func resources(of deploymentID: String?) async -> [ProvisionedResource] { await listResources(deploymentID) }

  /// Durably records `resource` as present. Returns false if it was present already (nothing
  /// written). With `requiring`, refuses (throws a permanent ``ProvisionerError``) when that
  /// resource is absent, so that nothing is created under a parent that was torn down.
  @discardableResult
  public func record(_ resource: ProvisionedResource, requiring: ProvisionedResource? = nil) async throws -> Bool {
    try await addResource(resource, requiring)
  }

  /// Durably records `resource` as gone. Returns false if it was not present.
  @discardableResult
  public func remove(_ resource: ProvisionedResource) async throws -> Bool { try await removeResource(resource) }
}

/// What a provisioner step gets to work with.
public struct StepContext: Sendable {
  /// The operation running the step.
  public var operationID: String
  /// The step's name (``StepName``).
  public var step: String
  /// 1 for the first try; higher after retries and restarts.
  public var attempt: UInt32
  /// The deployment the step acts on, as it is now.
  public var deployment: Onvera_V1_Deployment
  /// The member a user.provision / user.revoke step acts on.
  public var member: Onvera_V1_Member?
  /// The organization's current members (for provision_members).
  public var members: [Onvera_V1_Member]
  /// The durable record of provisioned resources.
  public var ledger: ResourceLedger
}

/// Carries out the steps of the workflows: one async method per step.
///
/// Every method must be idempotent: after a crash the orchestrator runs the step it was in
/// again, so a step may run after it already (partly) happened. Throw ``ProvisionerError``
/// (transient or not); any other error counts as permanent. Methods should honour task
/// cancellation (the orchestrator stopping); a canceled step is resumed after a restart.
public protocol Provisioner: Sendable {
  /// initialization: validates and prepares.
  func initialize(_ context: StepContext) async throws
  /// database_provisioning: creates the database tenant.
  func provisionDatabase(_ context: StepContext) async throws
  /// infrastructure_provisioning: creates the compute infrastructure.
  func provisionInfrastructure(_ context: StepContext) async throws
  /// application_bootstrap: installs the application.
  func bootstrapApplication(_ context: StepContext) async throws
  /// airflow_migrations (Airflow only).
  func runAirflowMigrations(_ context: StepContext) async throws
  /// airflow_health_check (Airflow only).
  func checkAirflowHealth(_ context: StepContext) async throws
  /// superset_init (Superset only).
  func initializeSuperset(_ context: StepContext) async throws
  /// provision_members: creates a user account for every member in `context.members`.
  func provisionMembers(_ context: StepContext) async throws
  /// subdomain_configuration: publishes the DNS record of `deployment.subdomain`.
  func configureSubdomain(_ context: StepContext) async throws
  /// revoking_access: removes every user account of the deployment.
  func revokeAccess(_ context: StepContext) async throws
  /// removing_db_tenant: removes the database tenant.
  func removeDatabaseTenant(_ context: StepContext) async throws
  /// tearing_down_infra: removes the infrastructure, the application and the DNS record, and
  /// anything else still recorded for the deployment.
  func tearDownInfrastructure(_ context: StepContext) async throws
  /// provision_user: creates `context.member`'s account in `context.deployment`.
  func provisionUser(_ context: StepContext) async throws
  /// revoke_user: removes `context.member`'s account from `context.deployment`.
  func revokeUser(_ context: StepContext) async throws
}

extension Provisioner {
  /// Runs the method of `step`.
  func run(_ step: String, _ context: StepContext) async throws {
    switch step {
    case StepName.initialization: try await initialize(context)
    case StepName.databaseProvisioning: try await provisionDatabase(context)
    case StepName.infrastructureProvisioning: try await provisionInfrastructure(context)
    case StepName.applicationBootstrap: try await bootstrapApplication(context)
    case StepName.airflowMigrations: try await runAirflowMigrations(context)
    case StepName.airflowHealthCheck: try await checkAirflowHealth(context)
    case StepName.supersetInit: try await initializeSuperset(context)
    case StepName.provisionMembers: try await provisionMembers(context)
    case StepName.subdomainConfiguration: try await configureSubdomain(context)
    case StepName.revokingAccess: try await revokeAccess(context)
    case StepName.removingDbTenant: try await removeDatabaseTenant(context)
    case StepName.tearingDownInfra: try await tearDownInfrastructure(context)
    case StepName.provisionUser: try await provisionUser(context)
    case StepName.revokeUser: try await revokeUser(context)
    default: throw ProvisionerError("unknown step '\(step)'")
    }
  }
}

/// Waits for a duration; injectable so tests control time where it matters.
public protocol Sleeper: Sendable {
  /// Returns after `duration`, or throws `CancellationError` when the task is cancelled.
  func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct ContinuousSleeper: Sleeper {
  /// Creates the sleeper.
  public init() {}
  /// Sleeps on the continuous clock.
  public func sleep(for duration: Duration) async throws {
    if duration <= .zero {
      try Task.checkCancellation()
      return
    }
    try await Task.sleep(for: duration)
  }
}

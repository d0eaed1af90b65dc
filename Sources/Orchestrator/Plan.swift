public import OnveraProto

/// The step names of every operation type, and the plans built from them.
///
/// Names are stable snake_case identifiers that callers may match on.
public enum StepName {
  /// Phase initialization: validates and prepares.
  public static let initialization = "initialization"
  /// Creates the database tenant.
  public static let databaseProvisioning = "database_provisioning"
  /// Creates the compute infrastructure.
  public static let infrastructureProvisioning = "infrastructure_provisioning"
  /// Installs the application.
  public static let applicationBootstrap = "application_bootstrap"
  /// Airflow only: runs the database migrations.
  public static let airflowMigrations = "airflow_migrations"
  /// Airflow only: waits until Airflow reports healthy.
  public static let airflowHealthCheck = "airflow_health_check"
  /// Superset only: `superset init`.
  public static let supersetInit = "superset_init"
  /// Provisions every current member of the organization into the new deployment.
  public static let provisionMembers = "provision_members"
  /// Publishes the subdomain's DNS record.
  public static let subdomainConfiguration = "subdomain_configuration"
  /// Destroy: removes every user account.
  public static let revokingAccess = "revoking_access"
  /// Destroy: removes the database tenant.
  public static let removingDbTenant = "removing_db_tenant"
  /// Destroy: removes the infrastructure and DNS record.
  public static let tearingDownInfra = "tearing_down_infra"
  /// One step of user.provision per deployment (`resource_id` names it).
  public static let provisionUser = "provision_user"
  /// One step of user.revoke per deployment (`resource_id` names it).
  public static let revokeUser = "revoke_user"
}

/// Builds operation step lists.
public enum Plan {
  /// The phase a step runs in.
  public static func phase(of step: String) -> Onvera_V1_Phase {
    switch step {
    case StepName.initialization: .initialization
    case StepName.databaseProvisioning: .databaseProvisioning
    case StepName.infrastructureProvisioning: .infrastructureProvisioning
    case StepName.applicationBootstrap, StepName.airflowMigrations, StepName.airflowHealthCheck,
      StepName.supersetInit, StepName.provisionMembers:
      .applicationBootstrap
    case StepName.subdomainConfiguration: .subdomainConfiguration
    case StepName.revokingAccess: .revokingAccess
    case StepName.removingDbTenant: .removingDbTenant
    case StepName.tearingDownInfra: .tearingDownInfra
    default: .unspecified
    }
  }

  /// The steps of a deployment.create for `appType`, in order.
  public static func createSteps(for appType: Onvera_V1_AppType) -> [String] {
    var steps = [
      StepName.initialization, StepName.databaseProvisioning, StepName.infrastructureProvisioning,
      StepName.applicationBootstrap,
    ]
    switch appType {
    case .airflow: steps += [StepName.airflowMigrations, StepName.airflowHealthCheck]
    case .superset: steps += [StepName.supersetInit]
    default: break
    }
    steps += [StepName.provisionMembers, StepName.subdomainConfiguration]
    return steps
  }

  /// The steps of a deployment.destroy, also run to release a canceled create.
  public static let destroySteps = [StepName.revokingAccess, StepName.removingDbTenant, StepName.tearingDownInfra]

  /// Pending steps named `names`, with their phases (and `resourceID` for user operations).
  public static func pendingSteps(_ names: [String], resourceIDs: [String]? = nil) -> [Onvera_V1_OperationStep] {
    names.enumerated().map { i, name in
      var step = Onvera_V1_OperationStep()
      step.name = name
      step.phase = phase(of: name)
      step.status = .pending
      if let resourceIDs { step.resourceID = resourceIDs[i] }
      return step
    }
  }

  /// The deployment status a phase implies, as the contract defines it.
  public static func status(for phase: Onvera_V1_Phase) -> Onvera_V1_DeploymentStatus {
    switch phase {
    case .initialization, .databaseProvisioning, .infrastructureProvisioning, .applicationBootstrap,
      .subdomainConfiguration:
      .provisioning
    case .ready: .ready
    case .revokingAccess, .removingDbTenant, .tearingDownInfra: .destroying
    case .destroyed: .destroyed
    case .failed: .failed
    default: .unspecified
    }
  }

  /// The stable failure reason of a step, e.g. DATABASE_PROVISIONING_FAILED.
  public static func failureReason(of step: String) -> String {
    step.uppercased() + "_FAILED"
  }
}

// The enums of onvera/v1. Numbers the contract does not (yet) name are kept
// as UNRECOGNIZED(n), so a newer server's values survive an older client.

/// The application a deployment runs.
public enum Onvera_V1_AppType: ProtoEnum {
  case unspecified
  /// Apache Airflow.
  case airflow
  /// Apache Superset.
  case superset
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .airflow
    case 2: self = .superset
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .airflow: 1
    case .superset: 2
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "APP_TYPE_UNSPECIFIED"
    case .airflow: "APP_TYPE_AIRFLOW"
    case .superset: "APP_TYPE_SUPERSET"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .airflow, .superset]
}

/// Public status of a deployment, derived from its phase.
public enum Onvera_V1_DeploymentStatus: ProtoEnum {
  case unspecified
  case provisioning
  case ready
  case destroying
  /// Terminal for provisioning; only destroy is allowed.
  case failed
  /// Kept as a tombstone, hidden from lists by default.
  case destroyed
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .provisioning
    case 2: self = .ready
    case 3: self = .destroying
    case 4: self = .failed
    case 5: self = .destroyed
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .provisioning: 1
    case .ready: 2
    case .destroying: 3
    case .failed: 4
    case .destroyed: 5
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "DEPLOYMENT_STATUS_UNSPECIFIED"
    case .provisioning: "DEPLOYMENT_STATUS_PROVISIONING"
    case .ready: "DEPLOYMENT_STATUS_READY"
    case .destroying: "DEPLOYMENT_STATUS_DESTROYING"
    case .failed: "DEPLOYMENT_STATUS_FAILED"
    case .destroyed: "DEPLOYMENT_STATUS_DESTROYED"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .provisioning, .ready, .destroying, .failed, .destroyed]
}

/// Where a deployment is in its state machine.
public enum Onvera_V1_Phase: ProtoEnum {
  case unspecified
  case initialization
  case databaseProvisioning
  case infrastructureProvisioning
  /// Airflow adds migration and health-check steps.
  case applicationBootstrap
  case subdomainConfiguration
  case ready
  case revokingAccess
  case removingDbTenant
  case tearingDownInfra
  case destroyed
  case failed
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .initialization
    case 2: self = .databaseProvisioning
    case 3: self = .infrastructureProvisioning
    case 4: self = .applicationBootstrap
    case 5: self = .subdomainConfiguration
    case 6: self = .ready
    case 7: self = .revokingAccess
    case 8: self = .removingDbTenant
    case 9: self = .tearingDownInfra
    case 10: self = .destroyed
    case 11: self = .failed
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .initialization: 1
    case .databaseProvisioning: 2
    case .infrastructureProvisioning: 3
    case .applicationBootstrap: 4
    case .subdomainConfiguration: 5
    case .ready: 6
    case .revokingAccess: 7
    case .removingDbTenant: 8
    case .tearingDownInfra: 9
    case .destroyed: 10
    case .failed: 11
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "PHASE_UNSPECIFIED"
    case .initialization: "PHASE_INITIALIZATION"
    case .databaseProvisioning: "PHASE_DATABASE_PROVISIONING"
    case .infrastructureProvisioning: "PHASE_INFRASTRUCTURE_PROVISIONING"
    case .applicationBootstrap: "PHASE_APPLICATION_BOOTSTRAP"
    case .subdomainConfiguration: "PHASE_SUBDOMAIN_CONFIGURATION"
    case .ready: "PHASE_READY"
    case .revokingAccess: "PHASE_REVOKING_ACCESS"
    case .removingDbTenant: "PHASE_REMOVING_DB_TENANT"
    case .tearingDownInfra: "PHASE_TEARING_DOWN_INFRA"
    case .destroyed: "PHASE_DESTROYED"
    case .failed: "PHASE_FAILED"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [
    .unspecified, .initialization, .databaseProvisioning, .infrastructureProvisioning,
    .applicationBootstrap, .subdomainConfiguration, .ready, .revokingAccess, .removingDbTenant,
    .tearingDownInfra, .destroyed, .failed,
  ]
}

/// The kind of asynchronous work.
public enum Onvera_V1_OperationType: ProtoEnum {
  case unspecified
  /// "deployment.create"
  case deploymentCreate
  /// "deployment.destroy"
  case deploymentDestroy
  /// "user.provision": a member added to the organization.
  case userProvision
  /// "user.revoke": a member removed from the organization.
  case userRevoke
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .deploymentCreate
    case 2: self = .deploymentDestroy
    case 3: self = .userProvision
    case 4: self = .userRevoke
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .deploymentCreate: 1
    case .deploymentDestroy: 2
    case .userProvision: 3
    case .userRevoke: 4
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "OPERATION_TYPE_UNSPECIFIED"
    case .deploymentCreate: "OPERATION_TYPE_DEPLOYMENT_CREATE"
    case .deploymentDestroy: "OPERATION_TYPE_DEPLOYMENT_DESTROY"
    case .userProvision: "OPERATION_TYPE_USER_PROVISION"
    case .userRevoke: "OPERATION_TYPE_USER_REVOKE"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .deploymentCreate, .deploymentDestroy, .userProvision, .userRevoke]
}

/// Where an operation is: queued, running, or one of the three terminal states.
public enum Onvera_V1_OperationStatus: ProtoEnum {
  case unspecified
  case queued
  case running
  case succeeded
  case failed
  case canceled
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .queued
    case 2: self = .running
    case 3: self = .succeeded
    case 4: self = .failed
    case 5: self = .canceled
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .queued: 1
    case .running: 2
    case .succeeded: 3
    case .failed: 4
    case .canceled: 5
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "OPERATION_STATUS_UNSPECIFIED"
    case .queued: "OPERATION_STATUS_QUEUED"
    case .running: "OPERATION_STATUS_RUNNING"
    case .succeeded: "OPERATION_STATUS_SUCCEEDED"
    case .failed: "OPERATION_STATUS_FAILED"
    case .canceled: "OPERATION_STATUS_CANCELED"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .queued, .running, .succeeded, .failed, .canceled]
}

/// The state of one step of an operation.
public enum Onvera_V1_StepStatus: ProtoEnum {
  case unspecified
  case pending
  case running
  case succeeded
  case failed
  case skipped
  case canceled
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .pending
    case 2: self = .running
    case 3: self = .succeeded
    case 4: self = .failed
    case 5: self = .skipped
    case 6: self = .canceled
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .pending: 1
    case .running: 2
    case .succeeded: 3
    case .failed: 4
    case .skipped: 5
    case .canceled: 6
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "STEP_STATUS_UNSPECIFIED"
    case .pending: "STEP_STATUS_PENDING"
    case .running: "STEP_STATUS_RUNNING"
    case .succeeded: "STEP_STATUS_SUCCEEDED"
    case .failed: "STEP_STATUS_FAILED"
    case .skipped: "STEP_STATUS_SKIPPED"
    case .canceled: "STEP_STATUS_CANCELED"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .pending, .running, .succeeded, .failed, .skipped, .canceled]
}

/// How isolated an environment's deployments are.
public enum Onvera_V1_IsolationLevel: ProtoEnum {
  case unspecified
  /// Shared infrastructure.
  case shared
  /// Dedicated infrastructure.
  case dedicated
  case dedicatedNetworking
  /// Bring your own cloud.
  case byoc
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .shared
    case 2: self = .dedicated
    case 3: self = .dedicatedNetworking
    case 4: self = .byoc
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .shared: 1
    case .dedicated: 2
    case .dedicatedNetworking: 3
    case .byoc: 4
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "ISOLATION_LEVEL_UNSPECIFIED"
    case .shared: "ISOLATION_LEVEL_SHARED"
    case .dedicated: "ISOLATION_LEVEL_DEDICATED"
    case .dedicatedNetworking: "ISOLATION_LEVEL_DEDICATED_NETWORKING"
    case .byoc: "ISOLATION_LEVEL_BYOC"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .shared, .dedicated, .dedicatedNetworking, .byoc]
}

/// A member's role in an organization.
public enum Onvera_V1_MemberRole: ProtoEnum {
  case unspecified
  case owner
  case admin
  case member
  case viewer
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .owner
    case 2: self = .admin
    case 3: self = .member
    case 4: self = .viewer
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .owner: 1
    case .admin: 2
    case .member: 3
    case .viewer: 4
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "MEMBER_ROLE_UNSPECIFIED"
    case .owner: "MEMBER_ROLE_OWNER"
    case .admin: "MEMBER_ROLE_ADMIN"
    case .member: "MEMBER_ROLE_MEMBER"
    case .viewer: "MEMBER_ROLE_VIEWER"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .owner, .admin, .member, .viewer]
}

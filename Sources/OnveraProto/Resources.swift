// The resources of onvera/v1 (resources.proto), written out by hand on ProtoWire.

/// Why an operation or a deployment failed.
public struct Onvera_V1_Failure: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Failure"
  /// Canonical gRPC status code number.
  public var code: Int32 = 0
  /// UPPER_SNAKE_CASE, stable, e.g. DATABASE_PROVISIONING_FAILED.
  public var reason: String = ""
  /// For people.
  public var message: String = ""
  /// The phase in which it failed.
  public var phase: Onvera_V1_Phase = .unspecified
  /// Every dynamic value of `message`, by name.
  public var metadata: [String: String] = [:]
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: code = try reader.decode(ProtoInt32.self, tag)
    case 2: reason = try reader.decode(ProtoString.self, tag)
    case 3: message = try reader.decode(ProtoString.self, tag)
    case 4: phase = try reader.decode(ProtoEnumField<Onvera_V1_Phase>.self, tag)
    case 5: try reader.decodeMapEntry(ProtoString.self, ProtoString.self, tag, into: &metadata)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "code", code)
    sink.string(2, "reason", reason)
    sink.string(3, "message", message)
    sink.enumeration(4, "phase", phase)
    sink.mapField(ProtoString.self, ProtoString.self, 5, "metadata", metadata)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One Airflow or Superset instance.
public struct Onvera_V1_Deployment: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Deployment"
  /// "dep_" + lowercase UUID.
  public var id: String = ""
  public var name: String = ""
  public var appType: Onvera_V1_AppType = .unspecified
  public var status: Onvera_V1_DeploymentStatus = .unspecified
  public var phase: Onvera_V1_Phase = .unspecified
  /// "https://" + subdomain + "." + base domain; set once READY.
  public var url: String = ""
  /// Unique, reserved at creation, e.g. "my-superset-abc123".
  public var subdomain: String = ""
  public var environmentID: String = ""
  public var organizationID: String = ""
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  public var updateTime: Google_Protobuf_Timestamp {
    get { _updateTime ?? Google_Protobuf_Timestamp() }
    set { _updateTime = newValue }
  }
  public var hasUpdateTime: Bool { _updateTime != nil }
  public mutating func clearUpdateTime() { _updateTime = nil }
  /// The operation in flight on it; empty when none.
  public var operationID: String = ""
  /// Set when status is FAILED.
  public var failure: Onvera_V1_Failure {
    get { _failure ?? Onvera_V1_Failure() }
    set { _failure = newValue }
  }
  public var hasFailure: Bool { _failure != nil }
  public mutating func clearFailure() { _failure = nil }
  /// Changes on every change of the deployment.
  public var etag: String = ""
  /// Store revision of its last change.
  public var revision: UInt64 = 0
  public var unknownFields = UnknownFields()

  var _createTime: Google_Protobuf_Timestamp? = nil
  var _updateTime: Google_Protobuf_Timestamp? = nil
  var _failure: Onvera_V1_Failure? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: id = try reader.decode(ProtoString.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: appType = try reader.decode(ProtoEnumField<Onvera_V1_AppType>.self, tag)
    case 4: status = try reader.decode(ProtoEnumField<Onvera_V1_DeploymentStatus>.self, tag)
    case 5: phase = try reader.decode(ProtoEnumField<Onvera_V1_Phase>.self, tag)
    case 6: url = try reader.decode(ProtoString.self, tag)
    case 7: subdomain = try reader.decode(ProtoString.self, tag)
    case 8: environmentID = try reader.decode(ProtoString.self, tag)
    case 9: organizationID = try reader.decode(ProtoString.self, tag)
    case 10: try reader.decodeMessage(tag, into: &_createTime)
    case 11: try reader.decodeMessage(tag, into: &_updateTime)
    case 12: operationID = try reader.decode(ProtoString.self, tag)
    case 13: try reader.decodeMessage(tag, into: &_failure)
    case 14: etag = try reader.decode(ProtoString.self, tag)
    case 15: revision = try reader.decode(ProtoUInt64.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "id", id)
    sink.string(2, "name", name)
    sink.enumeration(3, "app_type", appType)
    sink.enumeration(4, "status", status)
    sink.enumeration(5, "phase", phase)
    sink.string(6, "url", url)
    sink.string(7, "subdomain", subdomain)
    sink.string(8, "environment_id", environmentID)
    sink.string(9, "organization_id", organizationID)
    sink.message(10, "create_time", _createTime)
    sink.message(11, "update_time", _updateTime)
    sink.string(12, "operation_id", operationID)
    sink.message(13, "failure", _failure)
    sink.string(14, "etag", etag)
    sink.uint64(15, "revision", revision)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One step of an operation. Names are stable snake_case identifiers such as
/// "database_provisioning", "airflow_migrations", "tearing_down_infra".
public struct Onvera_V1_OperationStep: ProtoMessage {
  public static let protoMessageName = "onvera.v1.OperationStep"
  public var name: String = ""
  public var phase: Onvera_V1_Phase = .unspecified
  public var status: Onvera_V1_StepStatus = .unspecified
  public var message: String = ""
  /// 1 for the first try.
  public var attempt: UInt32 = 0
  public var startTime: Google_Protobuf_Timestamp {
    get { _startTime ?? Google_Protobuf_Timestamp() }
    set { _startTime = newValue }
  }
  public var hasStartTime: Bool { _startTime != nil }
  public mutating func clearStartTime() { _startTime = nil }
  public var endTime: Google_Protobuf_Timestamp {
    get { _endTime ?? Google_Protobuf_Timestamp() }
    set { _endTime = newValue }
  }
  public var hasEndTime: Bool { _endTime != nil }
  public mutating func clearEndTime() { _endTime = nil }
  /// For user.provision / user.revoke: the deployment this step acts on.
  public var resourceID: String = ""
  public var unknownFields = UnknownFields()

  var _startTime: Google_Protobuf_Timestamp? = nil
  var _endTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: phase = try reader.decode(ProtoEnumField<Onvera_V1_Phase>.self, tag)
    case 3: status = try reader.decode(ProtoEnumField<Onvera_V1_StepStatus>.self, tag)
    case 4: message = try reader.decode(ProtoString.self, tag)
    case 5: attempt = try reader.decode(ProtoUInt32.self, tag)
    case 6: try reader.decodeMessage(tag, into: &_startTime)
    case 7: try reader.decodeMessage(tag, into: &_endTime)
    case 8: resourceID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.enumeration(2, "phase", phase)
    sink.enumeration(3, "status", status)
    sink.string(4, "message", message)
    sink.uint32(5, "attempt", attempt)
    sink.message(6, "start_time", _startTime)
    sink.message(7, "end_time", _endTime)
    sink.string(8, "resource_id", resourceID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Asynchronous work on a resource.
public struct Onvera_V1_Operation: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Operation"
  /// "op_" + lowercase UUID.
  public var id: String = ""
  public var type: Onvera_V1_OperationType = .unspecified
  public var status: Onvera_V1_OperationStatus = .unspecified
  /// "dep_..." (or the member's user id for user operations).
  public var resourceID: String = ""
  public var organizationID: String = ""
  /// Current phase of the resource.
  public var phase: Onvera_V1_Phase = .unspecified
  /// Latest progress message.
  public var message: String = ""
  /// Every step, planned ones included, in order.
  public var steps: [Onvera_V1_OperationStep] = []
  /// Set when FAILED or CANCELED.
  public var error: Onvera_V1_Failure {
    get { _error ?? Onvera_V1_Failure() }
    set { _error = newValue }
  }
  public var hasError: Bool { _error != nil }
  public mutating func clearError() { _error = nil }
  /// When it was requested.
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  public var startTime: Google_Protobuf_Timestamp {
    get { _startTime ?? Google_Protobuf_Timestamp() }
    set { _startTime = newValue }
  }
  public var hasStartTime: Bool { _startTime != nil }
  public mutating func clearStartTime() { _startTime = nil }
  public var endTime: Google_Protobuf_Timestamp {
    get { _endTime ?? Google_Protobuf_Timestamp() }
    set { _endTime = newValue }
  }
  public var hasEndTime: Bool { _endTime != nil }
  public mutating func clearEndTime() { _endTime = nil }
  /// Status is SUCCEEDED, FAILED or CANCELED.
  public var done: Bool = false
  /// Per-operation change counter: 1 at creation, +1 per change.
  public var sequence: UInt64 = 0
  /// The running step has overrun its deadline.
  public var stalled: Bool = false
  public var cancelRequested: Bool = false
  public var unknownFields = UnknownFields()

  var _error: Onvera_V1_Failure? = nil
  var _createTime: Google_Protobuf_Timestamp? = nil
  var _startTime: Google_Protobuf_Timestamp? = nil
  var _endTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: id = try reader.decode(ProtoString.self, tag)
    case 2: type = try reader.decode(ProtoEnumField<Onvera_V1_OperationType>.self, tag)
    case 3: status = try reader.decode(ProtoEnumField<Onvera_V1_OperationStatus>.self, tag)
    case 4: resourceID = try reader.decode(ProtoString.self, tag)
    case 5: organizationID = try reader.decode(ProtoString.self, tag)
    case 6: phase = try reader.decode(ProtoEnumField<Onvera_V1_Phase>.self, tag)
    case 7: message = try reader.decode(ProtoString.self, tag)
    case 8: try reader.decodeRepeatedMessage(tag, into: &steps)
    case 9: try reader.decodeMessage(tag, into: &_error)
    case 10: try reader.decodeMessage(tag, into: &_createTime)
    case 11: try reader.decodeMessage(tag, into: &_startTime)
    case 12: try reader.decodeMessage(tag, into: &_endTime)
    case 13: done = try reader.decode(ProtoBool.self, tag)
    case 14: sequence = try reader.decode(ProtoUInt64.self, tag)
    case 15: stalled = try reader.decode(ProtoBool.self, tag)
    case 16: cancelRequested = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "id", id)
    sink.enumeration(2, "type", type)
    sink.enumeration(3, "status", status)
    sink.string(4, "resource_id", resourceID)
    sink.string(5, "organization_id", organizationID)
    sink.enumeration(6, "phase", phase)
    sink.string(7, "message", message)
    sink.repeatedMessages(8, "steps", steps)
    sink.message(9, "error", _error)
    sink.message(10, "create_time", _createTime)
    sink.message(11, "start_time", _startTime)
    sink.message(12, "end_time", _endTime)
    sink.bool(13, "done", done)
    sink.uint64(14, "sequence", sequence)
    sink.bool(15, "stalled", stalled)
    sink.bool(16, "cancel_requested", cancelRequested)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A group of deployments with one isolation level.
public struct Onvera_V1_Environment: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Environment"
  /// "env_default" for every organization's default, else "env_" + UUID.
  public var id: String = ""
  /// "Default" for the default one.
  public var name: String = ""
  /// "default" for the default one.
  public var slug: String = ""
  public var isolationLevel: Onvera_V1_IsolationLevel = .unspecified
  public var organizationID: String = ""
  public var systemOwned: Bool = false
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  public var unknownFields = UnknownFields()

  var _createTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: id = try reader.decode(ProtoString.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: slug = try reader.decode(ProtoString.self, tag)
    case 4: isolationLevel = try reader.decode(ProtoEnumField<Onvera_V1_IsolationLevel>.self, tag)
    case 5: organizationID = try reader.decode(ProtoString.self, tag)
    case 6: systemOwned = try reader.decode(ProtoBool.self, tag)
    case 7: try reader.decodeMessage(tag, into: &_createTime)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "id", id)
    sink.string(2, "name", name)
    sink.string(3, "slug", slug)
    sink.enumeration(4, "isolation_level", isolationLevel)
    sink.string(5, "organization_id", organizationID)
    sink.bool(6, "system_owned", systemOwned)
    sink.message(7, "create_time", _createTime)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// An organization: owns everything else.
public struct Onvera_V1_Organization: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Organization"
  /// "org_" + lowercase UUID.
  public var id: String = ""
  public var name: String = ""
  public var slug: String = ""
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  public var unknownFields = UnknownFields()

  var _createTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: id = try reader.decode(ProtoString.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: slug = try reader.decode(ProtoString.self, tag)
    case 4: try reader.decodeMessage(tag, into: &_createTime)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "id", id)
    sink.string(2, "name", name)
    sink.string(3, "slug", slug)
    sink.message(4, "create_time", _createTime)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A member of an organization.
public struct Onvera_V1_Member: ProtoMessage {
  public static let protoMessageName = "onvera.v1.Member"
  /// "usr_" + lowercase UUID.
  public var userID: String = ""
  public var email: String = ""
  public var role: Onvera_V1_MemberRole = .unspecified
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  public var unknownFields = UnknownFields()

  var _createTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: userID = try reader.decode(ProtoString.self, tag)
    case 2: email = try reader.decode(ProtoString.self, tag)
    case 3: role = try reader.decode(ProtoEnumField<Onvera_V1_MemberRole>.self, tag)
    case 4: try reader.decodeMessage(tag, into: &_createTime)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "user_id", userID)
    sink.string(2, "email", email)
    sink.enumeration(3, "role", role)
    sink.message(4, "create_time", _createTime)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// An API key's public record; the secret is shown once, at creation, and only its hash is stored.
public struct Onvera_V1_ApiKey: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ApiKey"
  /// "key_" + lowercase UUID.
  public var id: String = ""
  public var name: String = ""
  /// The first characters of the secret, for recognition.
  public var prefix: String = ""
  /// "deployments:read", "deployments:write", "deployments:delete", "operations:read", "org:read", "org:admin".
  public var scopes: [String] = []
  public var createTime: Google_Protobuf_Timestamp {
    get { _createTime ?? Google_Protobuf_Timestamp() }
    set { _createTime = newValue }
  }
  public var hasCreateTime: Bool { _createTime != nil }
  public mutating func clearCreateTime() { _createTime = nil }
  /// Unset: never expires.
  public var expireTime: Google_Protobuf_Timestamp {
    get { _expireTime ?? Google_Protobuf_Timestamp() }
    set { _expireTime = newValue }
  }
  public var hasExpireTime: Bool { _expireTime != nil }
  public mutating func clearExpireTime() { _expireTime = nil }
  /// Set once revoked; revocation is final.
  public var revokeTime: Google_Protobuf_Timestamp {
    get { _revokeTime ?? Google_Protobuf_Timestamp() }
    set { _revokeTime = newValue }
  }
  public var hasRevokeTime: Bool { _revokeTime != nil }
  public mutating func clearRevokeTime() { _revokeTime = nil }
  public var lastUsedTime: Google_Protobuf_Timestamp {
    get { _lastUsedTime ?? Google_Protobuf_Timestamp() }
    set { _lastUsedTime = newValue }
  }
  public var hasLastUsedTime: Bool { _lastUsedTime != nil }
  public mutating func clearLastUsedTime() { _lastUsedTime = nil }
  public var unknownFields = UnknownFields()

  var _createTime: Google_Protobuf_Timestamp? = nil
  var _expireTime: Google_Protobuf_Timestamp? = nil
  var _revokeTime: Google_Protobuf_Timestamp? = nil
  var _lastUsedTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: id = try reader.decode(ProtoString.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: prefix = try reader.decode(ProtoString.self, tag)
    case 4: try reader.decodeRepeatedElement(ProtoString.self, tag, into: &scopes)
    case 5: try reader.decodeMessage(tag, into: &_createTime)
    case 6: try reader.decodeMessage(tag, into: &_expireTime)
    case 7: try reader.decodeMessage(tag, into: &_revokeTime)
    case 8: try reader.decodeMessage(tag, into: &_lastUsedTime)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "id", id)
    sink.string(2, "name", name)
    sink.string(3, "prefix", prefix)
    sink.repeatedElements(ProtoString.self, 4, "scopes", scopes)
    sink.message(5, "create_time", _createTime)
    sink.message(6, "expire_time", _expireTime)
    sink.message(7, "revoke_time", _revokeTime)
    sink.message(8, "last_used_time", _lastUsedTime)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One message of a WatchOperation stream.
public struct Onvera_V1_OperationEvent: ProtoMessage {
  public static let protoMessageName = "onvera.v1.OperationEvent"

  /// What the event says.
  public enum Kind: ProtoEnum {
    case unspecified
    /// The operation's current state, sent first.
    case snapshot
    /// The operation changed.
    case update
    /// Nothing changed; sequence is the latest one.
    case heartbeat
    case UNRECOGNIZED(Int)

    public init() { self = .unspecified }
    public init(rawValue: Int) {
      switch rawValue {
      case 0: self = .unspecified
      case 1: self = .snapshot
      case 2: self = .update
      case 3: self = .heartbeat
      default: self = .UNRECOGNIZED(rawValue)
      }
    }
    public var rawValue: Int {
      switch self {
      case .unspecified: 0
      case .snapshot: 1
      case .update: 2
      case .heartbeat: 3
      case .UNRECOGNIZED(let n): n
      }
    }
    public var protoName: String? {
      switch self {
      case .unspecified: "KIND_UNSPECIFIED"
      case .snapshot: "KIND_SNAPSHOT"
      case .update: "KIND_UPDATE"
      case .heartbeat: "KIND_HEARTBEAT"
      case .UNRECOGNIZED: nil
      }
    }
    public static let allCases: [Self] = [.unspecified, .snapshot, .update, .heartbeat]
  }

  public var kind: Kind = .unspecified
  /// Full state after the change; unset on HEARTBEAT.
  public var operation: Onvera_V1_Operation {
    get { _operation ?? Onvera_V1_Operation() }
    set { _operation = newValue }
  }
  public var hasOperation: Bool { _operation != nil }
  public mutating func clearOperation() { _operation = nil }
  public var sequence: UInt64 = 0
  public var time: Google_Protobuf_Timestamp {
    get { _time ?? Google_Protobuf_Timestamp() }
    set { _time = newValue }
  }
  public var hasTime: Bool { _time != nil }
  public mutating func clearTime() { _time = nil }
  public var unknownFields = UnknownFields()

  var _operation: Onvera_V1_Operation? = nil
  var _time: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: kind = try reader.decode(ProtoEnumField<Kind>.self, tag)
    case 2: try reader.decodeMessage(tag, into: &_operation)
    case 3: sequence = try reader.decode(ProtoUInt64.self, tag)
    case 4: try reader.decodeMessage(tag, into: &_time)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.enumeration(1, "kind", kind)
    sink.message(2, "operation", _operation)
    sink.uint64(3, "sequence", sequence)
    sink.message(4, "time", _time)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One message of a WatchDeployments stream.
public struct Onvera_V1_DeploymentEvent: ProtoMessage {
  public static let protoMessageName = "onvera.v1.DeploymentEvent"

  /// What the event says.
  public enum Kind: ProtoEnum {
    case unspecified
    /// A deployment appeared (or, in the initial listing, exists).
    case added
    case modified
    /// It reached DESTROYED.
    case removed
    /// The initial listing is complete; live changes follow.
    case synced
    /// Every change up to `revision` has been sent.
    case bookmark
    case UNRECOGNIZED(Int)

    public init() { self = .unspecified }
    public init(rawValue: Int) {
      switch rawValue {
      case 0: self = .unspecified
      case 1: self = .added
      case 2: self = .modified
      case 3: self = .removed
      case 4: self = .synced
      case 5: self = .bookmark
      default: self = .UNRECOGNIZED(rawValue)
      }
    }
    public var rawValue: Int {
      switch self {
      case .unspecified: 0
      case .added: 1
      case .modified: 2
      case .removed: 3
      case .synced: 4
      case .bookmark: 5
      case .UNRECOGNIZED(let n): n
      }
    }
    public var protoName: String? {
      switch self {
      case .unspecified: "KIND_UNSPECIFIED"
      case .added: "KIND_ADDED"
      case .modified: "KIND_MODIFIED"
      case .removed: "KIND_REMOVED"
      case .synced: "KIND_SYNCED"
      case .bookmark: "KIND_BOOKMARK"
      case .UNRECOGNIZED: nil
      }
    }
    public static let allCases: [Self] = [.unspecified, .added, .modified, .removed, .synced, .bookmark]
  }

  public var kind: Kind = .unspecified
  /// Unset on SYNCED and BOOKMARK.
  public var deployment: Onvera_V1_Deployment {
    get { _deployment ?? Onvera_V1_Deployment() }
    set { _deployment = newValue }
  }
  public var hasDeployment: Bool { _deployment != nil }
  public mutating func clearDeployment() { _deployment = nil }
  /// Store revision of this event.
  public var revision: UInt64 = 0
  public var unknownFields = UnknownFields()

  var _deployment: Onvera_V1_Deployment? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: kind = try reader.decode(ProtoEnumField<Kind>.self, tag)
    case 2: try reader.decodeMessage(tag, into: &_deployment)
    case 3: revision = try reader.decode(ProtoUInt64.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.enumeration(1, "kind", kind)
    sink.message(2, "deployment", _deployment)
    sink.uint64(3, "revision", revision)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

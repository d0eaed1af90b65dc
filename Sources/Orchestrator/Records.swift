// The orchestrator's own protobuf messages: what it writes to the store. Every record is one
// `ChangeRecord` (record type 1) carrying the full new state of each entity it changes, so
// replay is "last write wins" per entity and a watcher never needs an older record to make
// sense of a newer one. Snapshots are one `ChangeRecord` holding every entity (record type 1
// payload format, written through `Store.writeSnapshot`).
import OnveraProto

/// A member of an organization as stored: the record plus what the one lacks.
struct StoredMember: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.StoredMember"
  /// The organization the member belongs to.
  var organizationID: String = ""
  /// The member record.
  var member: Onvera_V1_Member = Onvera_V1_Member()
  /// Removed members are kept (a user.revoke operation still needs them) but never listed.
  var removed: Bool = false
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: organizationID = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeMessage(tag, into: &member)
    case 3: removed = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "organization_id", organizationID)
    sink.message(2, "member", member)
    sink.bool(3, "removed", removed)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// An API key as stored: the record, its organization and the SHA-256 of its secret.
struct StoredApiKey: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.StoredApiKey"
  /// The organization the key acts for.
  var organizationID: String = ""
  /// The record (never holds the secret).
  var key: Onvera_V1_ApiKey = Onvera_V1_ApiKey()
  /// SHA-256 of the secret, computed by the caller.
  var secretHash: [UInt8] = []
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: organizationID = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeMessage(tag, into: &key)
    case 3: secretHash = try reader.decode(ProtoBytes.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "organization_id", organizationID)
    sink.message(2, "key", key)
    sink.bytes(3, "secret_hash", secretHash)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One idempotency-table entry: the first result of a request id within an organization.
struct StoredIdempotency: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.StoredIdempotency"
  var organizationID: String = ""
  var requestID: String = ""
  /// What the request asked for; a retry must ask for exactly the same.
  var fingerprint: String = ""
  var deploymentID: String = ""
  var operationID: String = ""
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: organizationID = try reader.decode(ProtoString.self, tag)
    case 2: requestID = try reader.decode(ProtoString.self, tag)
    case 3: fingerprint = try reader.decode(ProtoString.self, tag)
    case 4: deploymentID = try reader.decode(ProtoString.self, tag)
    case 5: operationID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "organization_id", organizationID)
    sink.string(2, "request_id", requestID)
    sink.string(3, "fingerprint", fingerprint)
    sink.string(4, "deployment_id", deploymentID)
    sink.string(5, "operation_id", operationID)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One resource a provisioner created, kept in the store so that teardown after a restart
/// still finds it. `present == false` records its removal.
struct StoredResource: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.StoredResource"
  var kind: String = ""
  var id: String = ""
  var deploymentID: String = ""
  var present: Bool = false
  var unknownFields = UnknownFields()

  init() {}

  var key: String { kind + ":" + id }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: kind = try reader.decode(ProtoString.self, tag)
    case 2: id = try reader.decode(ProtoString.self, tag)
    case 3: deploymentID = try reader.decode(ProtoString.self, tag)
    case 4: present = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "kind", kind)
    sink.string(2, "id", id)
    sink.string(3, "deployment_id", deploymentID)
    sink.bool(4, "present", present)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A deployment's new state, and whether this change created it (an ADDED event for watchers).
struct DeploymentChange: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.DeploymentChange"
  var deployment: Onvera_V1_Deployment = Onvera_V1_Deployment()
  var created: Bool = false
  var unknownFields = UnknownFields()

  init() {}
  init(_ deployment: Onvera_V1_Deployment, created: Bool = false) {
    self.deployment = deployment
    self.created = created
  }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeMessage(tag, into: &deployment)
    case 2: created = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.message(1, "deployment", deployment)
    sink.bool(2, "created", created)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One durable change: the full new state of every entity it touches. Also the snapshot format.
struct ChangeRecord: ProtoMessage {
  static let protoMessageName = "onvera.orchestrator.ChangeRecord"
  /// The store record type of a `ChangeRecord`.
  static let recordType: UInt16 = 1

  var time: Google_Protobuf_Timestamp = Google_Protobuf_Timestamp()
  var organizations: [Onvera_V1_Organization] = []
  var environments: [Onvera_V1_Environment] = []
  var members: [StoredMember] = []
  var apiKeys: [StoredApiKey] = []
  var deployments: [DeploymentChange] = []
  var operations: [Onvera_V1_Operation] = []
  var idempotency: [StoredIdempotency] = []
  var resources: [StoredResource] = []
  /// Snapshots only: the recent states of operations kept for watchers resuming by sequence
  /// (oldest first, finished operations in the order they finished), so a resume after a
  /// restart finds them although the log records holding them were compacted away.
  var operationHistory: [Onvera_V1_Operation] = []
  var unknownFields = UnknownFields()

  init() {}

  var isEmpty: Bool {
    organizations.isEmpty && environments.isEmpty && members.isEmpty && apiKeys.isEmpty && deployments.isEmpty
      && operations.isEmpty && idempotency.isEmpty && resources.isEmpty
  }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeMessage(tag, into: &time)
    case 2: try reader.decodeRepeatedMessage(tag, into: &organizations)
    case 3: try reader.decodeRepeatedMessage(tag, into: &environments)
    case 4: try reader.decodeRepeatedMessage(tag, into: &members)
    case 5: try reader.decodeRepeatedMessage(tag, into: &apiKeys)
    case 6: try reader.decodeRepeatedMessage(tag, into: &deployments)
    case 7: try reader.decodeRepeatedMessage(tag, into: &operations)
    case 8: try reader.decodeRepeatedMessage(tag, into: &idempotency)
    case 9: try reader.decodeRepeatedMessage(tag, into: &resources)
    case 10: try reader.decodeRepeatedMessage(tag, into: &operationHistory)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.message(1, "time", time)
    sink.repeatedMessages(2, "organizations", organizations)
    sink.repeatedMessages(3, "environments", environments)
    sink.repeatedMessages(4, "members", members)
    sink.repeatedMessages(5, "api_keys", apiKeys)
    sink.repeatedMessages(6, "deployments", deployments)
    sink.repeatedMessages(7, "operations", operations)
    sink.repeatedMessages(8, "idempotency", idempotency)
    sink.repeatedMessages(9, "resources", resources)
    sink.repeatedMessages(10, "operation_history", operationHistory)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

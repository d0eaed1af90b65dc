// The messages of onvera/v1/deployments.proto.

/// Starts creating a deployment.
public struct Onvera_V1_CreateDeploymentRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateDeploymentRequest"
  /// Required.
  public var appType: Onvera_V1_AppType = .unspecified
  /// Optional, 1..63 characters; generated when empty.
  public var name: String = ""
  /// Optional; "env_default" when empty.
  public var environmentID: String = ""
  /// Optional idempotency key (UUID): a retry with the same key returns the first call's result.
  public var requestID: String = ""
  /// Check everything, create nothing.
  public var validateOnly: Bool = false
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: appType = try reader.decode(ProtoEnumField<Onvera_V1_AppType>.self, tag)
    case 2: name = try reader.decode(ProtoString.self, tag)
    case 3: environmentID = try reader.decode(ProtoString.self, tag)
    case 4: requestID = try reader.decode(ProtoString.self, tag)
    case 5: validateOnly = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.enumeration(1, "app_type", appType)
    sink.string(2, "name", name)
    sink.string(3, "environment_id", environmentID)
    sink.string(4, "request_id", requestID)
    sink.bool(5, "validate_only", validateOnly)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The new deployment and the operation that provisions it.
public struct Onvera_V1_CreateDeploymentResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateDeploymentResponse"
  public var deploymentID: String = ""
  public var operationID: String = ""
  public var deployment: Onvera_V1_Deployment {
    get { _deployment ?? Onvera_V1_Deployment() }
    set { _deployment = newValue }
  }
  public var hasDeployment: Bool { _deployment != nil }
  public mutating func clearDeployment() { _deployment = nil }
  public var operation: Onvera_V1_Operation {
    get { _operation ?? Onvera_V1_Operation() }
    set { _operation = newValue }
  }
  public var hasOperation: Bool { _operation != nil }
  public mutating func clearOperation() { _operation = nil }
  public var unknownFields = UnknownFields()

  var _deployment: Onvera_V1_Deployment? = nil
  var _operation: Onvera_V1_Operation? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: deploymentID = try reader.decode(ProtoString.self, tag)
    case 2: operationID = try reader.decode(ProtoString.self, tag)
    case 3: try reader.decodeMessage(tag, into: &_deployment)
    case 4: try reader.decodeMessage(tag, into: &_operation)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "deployment_id", deploymentID)
    sink.string(2, "operation_id", operationID)
    sink.message(3, "deployment", _deployment)
    sink.message(4, "operation", _operation)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Names one deployment.
public struct Onvera_V1_GetDeploymentRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.GetDeploymentRequest"
  public var deploymentID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: deploymentID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "deployment_id", deploymentID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A page of the organization's deployments, newest first.
public struct Onvera_V1_ListDeploymentsRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListDeploymentsRequest"
  /// 0: 50; above 100: 100; negative: INVALID_ARGUMENT.
  public var pageSize: Int32 = 0
  /// Opaque, from a previous response.
  public var pageToken: String = ""
  /// Filters; empty or UNSPECIFIED matches all.
  public var environmentID: String = ""
  public var appType: Onvera_V1_AppType = .unspecified
  public var status: Onvera_V1_DeploymentStatus = .unspecified
  public var showDestroyed: Bool = false
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: pageSize = try reader.decode(ProtoInt32.self, tag)
    case 2: pageToken = try reader.decode(ProtoString.self, tag)
    case 3: environmentID = try reader.decode(ProtoString.self, tag)
    case 4: appType = try reader.decode(ProtoEnumField<Onvera_V1_AppType>.self, tag)
    case 5: status = try reader.decode(ProtoEnumField<Onvera_V1_DeploymentStatus>.self, tag)
    case 6: showDestroyed = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "page_size", pageSize)
    sink.string(2, "page_token", pageToken)
    sink.string(3, "environment_id", environmentID)
    sink.enumeration(4, "app_type", appType)
    sink.enumeration(5, "status", status)
    sink.bool(6, "show_destroyed", showDestroyed)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One page of deployments.
public struct Onvera_V1_ListDeploymentsResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListDeploymentsResponse"
  public var deployments: [Onvera_V1_Deployment] = []
  /// Empty on the last page.
  public var nextPageToken: String = ""
  public var totalSize: Int32 = 0
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &deployments)
    case 2: nextPageToken = try reader.decode(ProtoString.self, tag)
    case 3: totalSize = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "deployments", deployments)
    sink.string(2, "next_page_token", nextPageToken)
    sink.int32(3, "total_size", totalSize)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Starts destroying a READY or FAILED deployment.
public struct Onvera_V1_DestroyDeploymentRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.DestroyDeploymentRequest"
  public var deploymentID: String = ""
  /// Optional idempotency key (UUID).
  public var requestID: String = ""
  /// Optional; a stale etag fails with ABORTED.
  public var etag: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: deploymentID = try reader.decode(ProtoString.self, tag)
    case 2: requestID = try reader.decode(ProtoString.self, tag)
    case 3: etag = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "deployment_id", deploymentID)
    sink.string(2, "request_id", requestID)
    sink.string(3, "etag", etag)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The destroy operation.
public struct Onvera_V1_DestroyDeploymentResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.DestroyDeploymentResponse"
  public var operationID: String = ""
  public var operation: Onvera_V1_Operation {
    get { _operation ?? Onvera_V1_Operation() }
    set { _operation = newValue }
  }
  public var hasOperation: Bool { _operation != nil }
  public mutating func clearOperation() { _operation = nil }
  public var unknownFields = UnknownFields()

  var _operation: Onvera_V1_Operation? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeMessage(tag, into: &_operation)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.message(2, "operation", _operation)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Streams changes to the organization's deployments.
public struct Onvera_V1_WatchDeploymentsRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.WatchDeploymentsRequest"
  public var afterRevision: UInt64 = 0
  /// Optional filter.
  public var environmentID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: afterRevision = try reader.decode(ProtoUInt64.self, tag)
    case 2: environmentID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.uint64(1, "after_revision", afterRevision)
    sink.string(2, "environment_id", environmentID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

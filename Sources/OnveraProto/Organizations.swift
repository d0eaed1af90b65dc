// The messages of onvera/v1/organizations.proto.

/// Creates an organization (platform administrators only).
public struct Onvera_V1_CreateOrganizationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateOrganizationRequest"
  public var name: String = ""
  public var ownerEmail: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: ownerEmail = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.string(2, "owner_email", ownerEmail)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The new organization and its first owner key, whose secret is returned once.
public struct Onvera_V1_CreateOrganizationResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateOrganizationResponse"
  public var organization: Onvera_V1_Organization {
    get { _organization ?? Onvera_V1_Organization() }
    set { _organization = newValue }
  }
  public var hasOrganization: Bool { _organization != nil }
  public mutating func clearOrganization() { _organization = nil }
  public var apiKey: Onvera_V1_ApiKey {
    get { _apiKey ?? Onvera_V1_ApiKey() }
    set { _apiKey = newValue }
  }
  public var hasApiKey: Bool { _apiKey != nil }
  public mutating func clearApiKey() { _apiKey = nil }
  public var apiKeySecret: String = ""
  public var unknownFields = UnknownFields()

  var _organization: Onvera_V1_Organization? = nil
  var _apiKey: Onvera_V1_ApiKey? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeMessage(tag, into: &_organization)
    case 2: try reader.decodeMessage(tag, into: &_apiKey)
    case 3: apiKeySecret = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.message(1, "organization", _organization)
    sink.message(2, "api_key", _apiKey)
    sink.string(3, "api_key_secret", apiKeySecret)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The caller's organization.
public struct Onvera_V1_GetOrganizationRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.GetOrganizationRequest"
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    try reader.skipField(tag, into: &unknownFields)
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A page of the organization's members.
public struct Onvera_V1_ListMembersRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListMembersRequest"
  public var pageSize: Int32 = 0
  public var pageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: pageSize = try reader.decode(ProtoInt32.self, tag)
    case 2: pageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "page_size", pageSize)
    sink.string(2, "page_token", pageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One page of members.
public struct Onvera_V1_ListMembersResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListMembersResponse"
  public var members: [Onvera_V1_Member] = []
  public var nextPageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &members)
    case 2: nextPageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "members", members)
    sink.string(2, "next_page_token", nextPageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Adds a member.
public struct Onvera_V1_AddMemberRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.AddMemberRequest"
  public var email: String = ""
  public var role: Onvera_V1_MemberRole = .unspecified
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: email = try reader.decode(ProtoString.self, tag)
    case 2: role = try reader.decode(ProtoEnumField<Onvera_V1_MemberRole>.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "email", email)
    sink.enumeration(2, "role", role)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The new member and the user.provision operation.
public struct Onvera_V1_AddMemberResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.AddMemberResponse"
  public var member: Onvera_V1_Member {
    get { _member ?? Onvera_V1_Member() }
    set { _member = newValue }
  }
  public var hasMember: Bool { _member != nil }
  public mutating func clearMember() { _member = nil }
  public var operationID: String = ""
  public var unknownFields = UnknownFields()

  var _member: Onvera_V1_Member? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeMessage(tag, into: &_member)
    case 2: operationID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.message(1, "member", _member)
    sink.string(2, "operation_id", operationID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Removes a member.
public struct Onvera_V1_RemoveMemberRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.RemoveMemberRequest"
  public var userID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: userID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "user_id", userID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The user.revoke operation.
public struct Onvera_V1_RemoveMemberResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.RemoveMemberResponse"
  public var operationID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: operationID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "operation_id", operationID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Creates an API key.
public struct Onvera_V1_CreateApiKeyRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateApiKeyRequest"
  public var name: String = ""
  /// Empty: every scope of the caller.
  public var scopes: [String] = []
  /// Unset: never expires.
  public var expireTime: Google_Protobuf_Timestamp {
    get { _expireTime ?? Google_Protobuf_Timestamp() }
    set { _expireTime = newValue }
  }
  public var hasExpireTime: Bool { _expireTime != nil }
  public mutating func clearExpireTime() { _expireTime = nil }
  public var unknownFields = UnknownFields()

  var _expireTime: Google_Protobuf_Timestamp? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeRepeatedElement(ProtoString.self, tag, into: &scopes)
    case 3: try reader.decodeMessage(tag, into: &_expireTime)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.repeatedElements(ProtoString.self, 2, "scopes", scopes)
    sink.message(3, "expire_time", _expireTime)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// The new key; the secret is in this response only.
public struct Onvera_V1_CreateApiKeyResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.CreateApiKeyResponse"
  public var apiKey: Onvera_V1_ApiKey {
    get { _apiKey ?? Onvera_V1_ApiKey() }
    set { _apiKey = newValue }
  }
  public var hasApiKey: Bool { _apiKey != nil }
  public mutating func clearApiKey() { _apiKey = nil }
  /// "onv_sk_live_..."
  public var secret: String = ""
  public var unknownFields = UnknownFields()

  var _apiKey: Onvera_V1_ApiKey? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeMessage(tag, into: &_apiKey)
    case 2: secret = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.message(1, "api_key", _apiKey)
    sink.string(2, "secret", secret)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// A page of the organization's API keys.
public struct Onvera_V1_ListApiKeysRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListApiKeysRequest"
  public var pageSize: Int32 = 0
  public var pageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: pageSize = try reader.decode(ProtoInt32.self, tag)
    case 2: pageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "page_size", pageSize)
    sink.string(2, "page_token", pageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// One page of API keys.
public struct Onvera_V1_ListApiKeysResponse: ProtoMessage {
  public static let protoMessageName = "onvera.v1.ListApiKeysResponse"
  public var apiKeys: [Onvera_V1_ApiKey] = []
  public var nextPageToken: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedMessage(tag, into: &apiKeys)
    case 2: nextPageToken = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedMessages(1, "api_keys", apiKeys)
    sink.string(2, "next_page_token", nextPageToken)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// Revokes an API key; final.
public struct Onvera_V1_RevokeApiKeyRequest: ProtoMessage {
  public static let protoMessageName = "onvera.v1.RevokeApiKeyRequest"
  public var keyID: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: keyID = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "key_id", keyID)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

public import GRPCCore
public import OnveraProto
public import OnveraRPC
import Orchestrator

/// `onvera.v1.OrganizationService` on the orchestrator.
public struct OrganizationAPI: Onvera_V1_OrganizationService.ServiceProtocol {
  let context: APIContext

  init(context: APIContext) { self.context = context }

  public func createOrganization(
    request: ServerRequest<Onvera_V1_CreateOrganizationRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_CreateOrganizationResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: nil)
    guard caller.isPlatformAdmin else {
      throw APIError(
        code: .permissionDenied, reason: "PLATFORM_ADMIN_REQUIRED",
        message: "CreateOrganization is for platform administrators only (the server's admin key)")
    }
    let m = request.message
    let (org, key, secret) = try await mapped {
      try await Self.createOrganization(
        context.orchestrator, name: m.name, ownerEmail: m.ownerEmail.isEmpty ? nil : m.ownerEmail)
    }
    var response = Onvera_V1_CreateOrganizationResponse()
    response.organization = org
    response.apiKey = key
    response.apiKeySecret = secret
    return ServerResponse(message: response)
  }

  /// Creates an organization and its first owner key (every scope); returns the key's secret once.
  static func createOrganization(_ orchestrator: Orchestrator, name: String, ownerEmail: String?) async throws
    -> (Onvera_V1_Organization, Onvera_V1_ApiKey, String)
  {
    let org = try await orchestrator.createOrganization(name: name, ownerEmail: ownerEmail)
    let secret = Authenticator.newSecret()
    let key = try await orchestrator.createApiKey(
      organizationID: org.id, name: "owner", prefix: Authenticator.displayPrefix(of: secret),
      secretHash: Authenticator.hash(secret: secret), scopes: Scope.all)
    return (org, key, secret)
  }

  public func getOrganization(
    request: ServerRequest<Onvera_V1_GetOrganizationRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Organization> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgRead)
    try requireOrganizationKey(caller)
    let org = try await mapped { try await context.orchestrator.organization(id: caller.organizationID) }
    return ServerResponse(message: org)
  }

  public func listMembers(
    request: ServerRequest<Onvera_V1_ListMembersRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListMembersResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgRead)
    let m = request.message
    let limit = try pageSize(m.pageSize)
    let all = await context.orchestrator.members(organizationID: caller.organizationID)
    var response = Onvera_V1_ListMembersResponse()
    (response.members, response.nextPageToken) = try context.pageTokens.page(
      all, token: m.pageToken, list: "members", organizationID: caller.organizationID, limit: limit)
    return ServerResponse(message: response)
  }

  public func addMember(
    request: ServerRequest<Onvera_V1_AddMemberRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_AddMemberResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgAdmin)
    try requireOrganizationKey(caller)
    let m = request.message
    let role: Onvera_V1_MemberRole
    switch m.role {
    case .unspecified: role = .member
    case .owner, .admin, .member, .viewer: role = m.role
    case .UNRECOGNIZED(let n):
      throw APIError.validation("role must be OWNER, ADMIN, MEMBER or VIEWER, got \(n)", field: "role")
    }
    let (member, operation) = try await mapped {
      try await context.orchestrator.addMember(organizationID: caller.organizationID, email: m.email, role: role)
    }
    var response = Onvera_V1_AddMemberResponse()
    response.member = member
    response.operationID = operation.id
    return ServerResponse(message: response)
  }

  public func removeMember(
    request: ServerRequest<Onvera_V1_RemoveMemberRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_RemoveMemberResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgAdmin)
    let id = try requireID(request.message.userID, field: "user_id", prefix: "usr_")
    let operation = try await mapped {
      try await context.orchestrator.removeMember(organizationID: caller.organizationID, userID: id)
    }
    var response = Onvera_V1_RemoveMemberResponse()
    response.operationID = operation.id
    return ServerResponse(message: response)
  }

  public func createApiKey(
    request: ServerRequest<Onvera_V1_CreateApiKeyRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_CreateApiKeyResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgAdmin)
    try requireOrganizationKey(caller)
    let m = request.message
    let name = m.name.isEmpty ? "api key" : m.name
    var scopes = m.scopes.isEmpty ? Scope.all.filter { caller.scopes.contains($0) } : []
    for scope in m.scopes {
      guard Scope(rawValue: scope) != nil else {
        throw APIError.validation(
          "scopes must be among \(Scope.all.joined(separator: ", ")), got '\(scope.prefix(64))'", field: "scopes")
      }
      guard caller.scopes.contains(scope) else {
        throw APIError(
          code: .permissionDenied, reason: "INSUFFICIENT_SCOPE",
          message: "a key cannot grant the scope '\(scope)', which the API key \(caller.keyID) does not have",
          metadata: ["required_scope": scope, "key_id": caller.keyID])
      }
      if !scopes.contains(scope) { scopes.append(scope) }
    }
    if m.hasExpireTime && !m.expireTime.isValid {
      throw APIError.validation(
        "expire_time must be a timestamp from 0001-01-01 to 9999-12-31 with nanos in 0...999999999, "
          + "got seconds \(m.expireTime.seconds), nanos \(m.expireTime.nanos)", field: "expire_time")
    }
    if m.hasExpireTime && m.expireTime.seconds <= Authenticator.nowSeconds() {
      throw APIError.validation(
        "expire_time must be in the future, got \(m.expireTime.rfc3339)", field: "expire_time")
    }
    let secret = Authenticator.newSecret()
    let key = try await mapped {
      try await context.orchestrator.createApiKey(
        organizationID: caller.organizationID, name: name, prefix: Authenticator.displayPrefix(of: secret),
        secretHash: Authenticator.hash(secret: secret), scopes: scopes,
        expireTime: m.hasExpireTime ? m.expireTime : nil)
    }
    var response = Onvera_V1_CreateApiKeyResponse()
    response.apiKey = key
    response.secret = secret
    return ServerResponse(message: response)
  }

  public func listApiKeys(
    request: ServerRequest<Onvera_V1_ListApiKeysRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListApiKeysResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgAdmin)
    let m = request.message
    let limit = try pageSize(m.pageSize)
    let all = await context.orchestrator.apiKeys(organizationID: caller.organizationID)
    var response = Onvera_V1_ListApiKeysResponse()
    (response.apiKeys, response.nextPageToken) = try context.pageTokens.page(
      all, token: m.pageToken, list: "api_keys", organizationID: caller.organizationID, limit: limit)
    return ServerResponse(message: response)
  }

  public func revokeApiKey(
    request: ServerRequest<Onvera_V1_RevokeApiKeyRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ApiKey> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgAdmin)
    let id = try requireID(request.message.keyID, field: "key_id", prefix: "key_")
    let key = try await mapped { try await context.orchestrator.revokeApiKey(organizationID: caller.organizationID, keyID: id) }
    return ServerResponse(message: key)
  }

  func requireOrganizationKey(_ caller: Caller) throws {
    if caller.isPlatformAdmin {
      throw APIError(
        code: .failedPrecondition, reason: "ORGANIZATION_KEY_REQUIRED",
        message: "this call acts on the caller's organization: use an organization's API key, not the admin key")
    }
  }
}

// onvera.v1.OrganizationService (organizations.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
public import OnveraProto

// MARK: - onvera.v1.OrganizationService

/// Namespace for the `onvera.v1.OrganizationService` service.
///
public enum Onvera_V1_OrganizationService: Sendable {
  /// Descriptor for the `onvera.v1.OrganizationService` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "CreateOrganization" metadata.
    public enum CreateOrganization: Sendable {
      /// Request type for "CreateOrganization".
      public typealias Input = Onvera_V1_CreateOrganizationRequest
      /// Response type for "CreateOrganization".
      public typealias Output = Onvera_V1_CreateOrganizationResponse
      /// Descriptor for "CreateOrganization".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "CreateOrganization",
        type: .unary
      )
    }

    /// Namespace for "GetOrganization" metadata.
    public enum GetOrganization: Sendable {
      /// Request type for "GetOrganization".
      public typealias Input = Onvera_V1_GetOrganizationRequest
      /// Response type for "GetOrganization".
      public typealias Output = Onvera_V1_Organization
      /// Descriptor for "GetOrganization".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "GetOrganization",
        type: .unary
      )
    }

    /// Namespace for "ListMembers" metadata.
    public enum ListMembers: Sendable {
      /// Request type for "ListMembers".
      public typealias Input = Onvera_V1_ListMembersRequest
      /// Response type for "ListMembers".
      public typealias Output = Onvera_V1_ListMembersResponse
      /// Descriptor for "ListMembers".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "ListMembers",
        type: .unary
      )
    }

    /// Namespace for "AddMember" metadata.
    public enum AddMember: Sendable {
      /// Request type for "AddMember".
      public typealias Input = Onvera_V1_AddMemberRequest
      /// Response type for "AddMember".
      public typealias Output = Onvera_V1_AddMemberResponse
      /// Descriptor for "AddMember".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "AddMember",
        type: .unary
      )
    }

    /// Namespace for "RemoveMember" metadata.
    public enum RemoveMember: Sendable {
      /// Request type for "RemoveMember".
      public typealias Input = Onvera_V1_RemoveMemberRequest
      /// Response type for "RemoveMember".
      public typealias Output = Onvera_V1_RemoveMemberResponse
      /// Descriptor for "RemoveMember".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "RemoveMember",
        type: .unary
      )
    }

    /// Namespace for "CreateApiKey" metadata.
    public enum CreateApiKey: Sendable {
      /// Request type for "CreateApiKey".
      public typealias Input = Onvera_V1_CreateApiKeyRequest
      /// Response type for "CreateApiKey".
      public typealias Output = Onvera_V1_CreateApiKeyResponse
      /// Descriptor for "CreateApiKey".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "CreateApiKey",
        type: .unary
      )
    }

    /// Namespace for "ListApiKeys" metadata.
    public enum ListApiKeys: Sendable {
      /// Request type for "ListApiKeys".
      public typealias Input = Onvera_V1_ListApiKeysRequest
      /// Response type for "ListApiKeys".
      public typealias Output = Onvera_V1_ListApiKeysResponse
      /// Descriptor for "ListApiKeys".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "ListApiKeys",
        type: .unary
      )
    }

    /// Namespace for "RevokeApiKey" metadata.
    public enum RevokeApiKey: Sendable {
      /// Request type for "RevokeApiKey".
      public typealias Input = Onvera_V1_RevokeApiKeyRequest
      /// Response type for "RevokeApiKey".
      public typealias Output = Onvera_V1_ApiKey
      /// Descriptor for "RevokeApiKey".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService"),
        method: "RevokeApiKey",
        type: .unary
      )
    }

    /// Descriptors for all methods of the `onvera.v1.OrganizationService` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      CreateOrganization.descriptor,
      GetOrganization.descriptor,
      ListMembers.descriptor,
      AddMember.descriptor,
      RemoveMember.descriptor,
      CreateApiKey.descriptor,
      ListApiKeys.descriptor,
      RevokeApiKey.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `onvera.v1.OrganizationService` service.
  public static let onvera_V1_OrganizationService = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OrganizationService")
}

// MARK: onvera.v1.OrganizationService (server)

extension Onvera_V1_OrganizationService {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "CreateOrganization".
    ///
    /// Platform administrators only. Creates the organization, its default
    /// environment and a first owner key, whose secret is returned once.
    func createOrganization(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateOrganizationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateOrganizationResponse>

    /// Handles "GetOrganization".
    ///
    /// The caller's organization. Scope: org:read.
    func getOrganization(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_GetOrganizationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Organization>

    /// Handles "ListMembers".
    ///
    /// Scope: org:read.
    func listMembers(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_ListMembersRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListMembersResponse>

    /// Handles "AddMember".
    ///
    /// Adds a member and starts a user.provision operation that provisions the
    /// user into every READY deployment of the organization (deployments created
    /// later provision all members during bootstrap). Scope: org:admin.
    func addMember(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_AddMemberRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_AddMemberResponse>

    /// Handles "RemoveMember".
    ///
    /// Removes a member and starts a user.revoke operation. Scope: org:admin.
    func removeMember(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_RemoveMemberRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_RemoveMemberResponse>

    /// Handles "CreateApiKey".
    ///
    /// Scope: org:admin. The secret is in the response only.
    func createApiKey(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateApiKeyRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateApiKeyResponse>

    /// Handles "ListApiKeys".
    ///
    /// Scope: org:admin.
    func listApiKeys(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_ListApiKeysRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListApiKeysResponse>

    /// Handles "RevokeApiKey".
    ///
    /// Final: a revoked key is refused from then on. Scope: org:admin.
    func revokeApiKey(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_RevokeApiKeyRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ApiKey>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Onvera_V1_OrganizationService.StreamingServiceProtocol {
    /// Handles "CreateOrganization".
    ///
    /// Platform administrators only. Creates the organization, its default
    /// environment and a first owner key, whose secret is returned once.
    func createOrganization(
      request: GRPCCore.ServerRequest<Onvera_V1_CreateOrganizationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateOrganizationResponse>

    /// Handles "GetOrganization".
    ///
    /// The caller's organization. Scope: org:read.
    func getOrganization(
      request: GRPCCore.ServerRequest<Onvera_V1_GetOrganizationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Organization>

    /// Handles "ListMembers".
    ///
    /// Scope: org:read.
    func listMembers(
      request: GRPCCore.ServerRequest<Onvera_V1_ListMembersRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListMembersResponse>

    /// Handles "AddMember".
    ///
    /// Adds a member and starts a user.provision operation that provisions the
    /// user into every READY deployment of the organization (deployments created
    /// later provision all members during bootstrap). Scope: org:admin.
    func addMember(
      request: GRPCCore.ServerRequest<Onvera_V1_AddMemberRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_AddMemberResponse>

    /// Handles "RemoveMember".
    ///
    /// Removes a member and starts a user.revoke operation. Scope: org:admin.
    func removeMember(
      request: GRPCCore.ServerRequest<Onvera_V1_RemoveMemberRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_RemoveMemberResponse>

    /// Handles "CreateApiKey".
    ///
    /// Scope: org:admin. The secret is in the response only.
    func createApiKey(
      request: GRPCCore.ServerRequest<Onvera_V1_CreateApiKeyRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateApiKeyResponse>

    /// Handles "ListApiKeys".
    ///
    /// Scope: org:admin.
    func listApiKeys(
      request: GRPCCore.ServerRequest<Onvera_V1_ListApiKeysRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListApiKeysResponse>

    /// Handles "RevokeApiKey".
    ///
    /// Final: a revoked key is refused from then on. Scope: org:admin.
    func revokeApiKey(
      request: GRPCCore.ServerRequest<Onvera_V1_RevokeApiKeyRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ApiKey>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Onvera_V1_OrganizationService.ServiceProtocol {
    /// Handles "CreateOrganization".
    ///
    /// Platform administrators only. Creates the organization, its default
    /// environment and a first owner key, whose secret is returned once.
    func createOrganization(
      request: Onvera_V1_CreateOrganizationRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_CreateOrganizationResponse

    /// Handles "GetOrganization".
    ///
    /// The caller's organization. Scope: org:read.
    func getOrganization(
      request: Onvera_V1_GetOrganizationRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Organization

    /// Handles "ListMembers".
    ///
    /// Scope: org:read.
    func listMembers(
      request: Onvera_V1_ListMembersRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ListMembersResponse

    /// Handles "AddMember".
    ///
    /// Adds a member and starts a user.provision operation that provisions the
    /// user into every READY deployment of the organization (deployments created
    /// later provision all members during bootstrap). Scope: org:admin.
    func addMember(
      request: Onvera_V1_AddMemberRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_AddMemberResponse

    /// Handles "RemoveMember".
    ///
    /// Removes a member and starts a user.revoke operation. Scope: org:admin.
    func removeMember(
      request: Onvera_V1_RemoveMemberRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_RemoveMemberResponse

    /// Handles "CreateApiKey".
    ///
    /// Scope: org:admin. The secret is in the response only.
    func createApiKey(
      request: Onvera_V1_CreateApiKeyRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_CreateApiKeyResponse

    /// Handles "ListApiKeys".
    ///
    /// Scope: org:admin.
    func listApiKeys(
      request: Onvera_V1_ListApiKeysRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ListApiKeysResponse

    /// Handles "RevokeApiKey".
    ///
    /// Final: a revoked key is refused from then on. Scope: org:admin.
    func revokeApiKey(
      request: Onvera_V1_RevokeApiKeyRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ApiKey
  }
}

// Registers every method with its ProtoWire coders.
extension Onvera_V1_OrganizationService.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.CreateOrganization.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateOrganizationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_CreateOrganizationResponse>(),
      handler: { request, context in
        try await self.createOrganization(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.GetOrganization.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_GetOrganizationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Organization>(),
      handler: { request, context in
        try await self.getOrganization(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.ListMembers.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListMembersRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ListMembersResponse>(),
      handler: { request, context in
        try await self.listMembers(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.AddMember.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_AddMemberRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_AddMemberResponse>(),
      handler: { request, context in
        try await self.addMember(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.RemoveMember.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_RemoveMemberRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_RemoveMemberResponse>(),
      handler: { request, context in
        try await self.removeMember(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.CreateApiKey.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateApiKeyRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_CreateApiKeyResponse>(),
      handler: { request, context in
        try await self.createApiKey(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.ListApiKeys.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListApiKeysRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ListApiKeysResponse>(),
      handler: { request, context in
        try await self.listApiKeys(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OrganizationService.Method.RevokeApiKey.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_RevokeApiKeyRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ApiKey>(),
      handler: { request, context in
        try await self.revokeApiKey(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Onvera_V1_OrganizationService.ServiceProtocol {
  /// Handles "CreateOrganization" by calling the `ServiceProtocol` method.
  public func createOrganization(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateOrganizationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateOrganizationResponse> {
    let response = try await self.createOrganization(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "GetOrganization" by calling the `ServiceProtocol` method.
  public func getOrganization(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_GetOrganizationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Organization> {
    let response = try await self.getOrganization(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "ListMembers" by calling the `ServiceProtocol` method.
  public func listMembers(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_ListMembersRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListMembersResponse> {
    let response = try await self.listMembers(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "AddMember" by calling the `ServiceProtocol` method.
  public func addMember(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_AddMemberRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_AddMemberResponse> {
    let response = try await self.addMember(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "RemoveMember" by calling the `ServiceProtocol` method.
  public func removeMember(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_RemoveMemberRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_RemoveMemberResponse> {
    let response = try await self.removeMember(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "CreateApiKey" by calling the `ServiceProtocol` method.
  public func createApiKey(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateApiKeyRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateApiKeyResponse> {
    let response = try await self.createApiKey(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "ListApiKeys" by calling the `ServiceProtocol` method.
  public func listApiKeys(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_ListApiKeysRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListApiKeysResponse> {
    let response = try await self.listApiKeys(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "RevokeApiKey" by calling the `ServiceProtocol` method.
  public func revokeApiKey(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_RevokeApiKeyRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ApiKey> {
    let response = try await self.revokeApiKey(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Onvera_V1_OrganizationService.SimpleServiceProtocol {
  /// Handles "CreateOrganization" by calling the `SimpleServiceProtocol` method.
  public func createOrganization(
    request: GRPCCore.ServerRequest<Onvera_V1_CreateOrganizationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateOrganizationResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_CreateOrganizationResponse>(
      message: try await self.createOrganization(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "GetOrganization" by calling the `SimpleServiceProtocol` method.
  public func getOrganization(
    request: GRPCCore.ServerRequest<Onvera_V1_GetOrganizationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Organization> {
    return GRPCCore.ServerResponse<Onvera_V1_Organization>(
      message: try await self.getOrganization(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "ListMembers" by calling the `SimpleServiceProtocol` method.
  public func listMembers(
    request: GRPCCore.ServerRequest<Onvera_V1_ListMembersRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListMembersResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_ListMembersResponse>(
      message: try await self.listMembers(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "AddMember" by calling the `SimpleServiceProtocol` method.
  public func addMember(
    request: GRPCCore.ServerRequest<Onvera_V1_AddMemberRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_AddMemberResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_AddMemberResponse>(
      message: try await self.addMember(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "RemoveMember" by calling the `SimpleServiceProtocol` method.
  public func removeMember(
    request: GRPCCore.ServerRequest<Onvera_V1_RemoveMemberRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_RemoveMemberResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_RemoveMemberResponse>(
      message: try await self.removeMember(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "CreateApiKey" by calling the `SimpleServiceProtocol` method.
  public func createApiKey(
    request: GRPCCore.ServerRequest<Onvera_V1_CreateApiKeyRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateApiKeyResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_CreateApiKeyResponse>(
      message: try await self.createApiKey(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "ListApiKeys" by calling the `SimpleServiceProtocol` method.
  public func listApiKeys(
    request: GRPCCore.ServerRequest<Onvera_V1_ListApiKeysRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListApiKeysResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_ListApiKeysResponse>(
      message: try await self.listApiKeys(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "RevokeApiKey" by calling the `SimpleServiceProtocol` method.
  public func revokeApiKey(
    request: GRPCCore.ServerRequest<Onvera_V1_RevokeApiKeyRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ApiKey> {
    return GRPCCore.ServerResponse<Onvera_V1_ApiKey>(
      message: try await self.revokeApiKey(request: request.message, context: context),
      metadata: [:]
    )
  }
}

// MARK: onvera.v1.OrganizationService (client)

extension Onvera_V1_OrganizationService {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "CreateOrganization".
    ///
    /// Platform administrators only. Creates the organization, its default
    /// environment and a first owner key, whose secret is returned once.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func createOrganization<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateOrganizationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateOrganizationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateOrganizationResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateOrganizationResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "GetOrganization".
    ///
    /// The caller's organization. Scope: org:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func getOrganization<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetOrganizationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetOrganizationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Organization>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Organization>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "ListMembers".
    ///
    /// Scope: org:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func listMembers<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListMembersRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListMembersRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListMembersResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListMembersResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "AddMember".
    ///
    /// Adds a member and starts a user.provision operation that provisions the
    /// user into every READY deployment of the organization (deployments created
    /// later provision all members during bootstrap). Scope: org:admin.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func addMember<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_AddMemberRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_AddMemberRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_AddMemberResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_AddMemberResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "RemoveMember".
    ///
    /// Removes a member and starts a user.revoke operation. Scope: org:admin.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func removeMember<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_RemoveMemberRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_RemoveMemberRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_RemoveMemberResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_RemoveMemberResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "CreateApiKey".
    ///
    /// Scope: org:admin. The secret is in the response only.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func createApiKey<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateApiKeyRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateApiKeyRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateApiKeyResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateApiKeyResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "ListApiKeys".
    ///
    /// Scope: org:admin.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func listApiKeys<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListApiKeysRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListApiKeysRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListApiKeysResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListApiKeysResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "RevokeApiKey".
    ///
    /// Final: a revoked key is refused from then on. Scope: org:admin.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func revokeApiKey<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_RevokeApiKeyRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_RevokeApiKeyRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ApiKey>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ApiKey>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `onvera.v1.OrganizationService` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "CreateOrganization".
    ///
    /// Platform administrators only. Creates the organization, its default
    /// environment and a first owner key, whose secret is returned once.
    public func createOrganization<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateOrganizationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateOrganizationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateOrganizationResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateOrganizationResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.CreateOrganization.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "GetOrganization".
    ///
    /// The caller's organization. Scope: org:read.
    public func getOrganization<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetOrganizationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetOrganizationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Organization>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Organization>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.GetOrganization.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "ListMembers".
    ///
    /// Scope: org:read.
    public func listMembers<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListMembersRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListMembersRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListMembersResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListMembersResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.ListMembers.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "AddMember".
    ///
    /// Adds a member and starts a user.provision operation that provisions the
    /// user into every READY deployment of the organization (deployments created
    /// later provision all members during bootstrap). Scope: org:admin.
    public func addMember<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_AddMemberRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_AddMemberRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_AddMemberResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_AddMemberResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.AddMember.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "RemoveMember".
    ///
    /// Removes a member and starts a user.revoke operation. Scope: org:admin.
    public func removeMember<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_RemoveMemberRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_RemoveMemberRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_RemoveMemberResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_RemoveMemberResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.RemoveMember.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "CreateApiKey".
    ///
    /// Scope: org:admin. The secret is in the response only.
    public func createApiKey<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateApiKeyRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateApiKeyRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateApiKeyResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateApiKeyResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.CreateApiKey.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "ListApiKeys".
    ///
    /// Scope: org:admin.
    public func listApiKeys<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListApiKeysRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListApiKeysRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListApiKeysResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListApiKeysResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.ListApiKeys.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "RevokeApiKey".
    ///
    /// Final: a revoked key is refused from then on. Scope: org:admin.
    public func revokeApiKey<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_RevokeApiKeyRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_RevokeApiKeyRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ApiKey>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ApiKey>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OrganizationService.Method.RevokeApiKey.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Onvera_V1_OrganizationService.ClientProtocol {
  /// Calls "CreateOrganization" with the ProtoWire coders.
  public func createOrganization<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_CreateOrganizationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateOrganizationResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.createOrganization(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_CreateOrganizationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateOrganizationResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "GetOrganization" with the ProtoWire coders.
  public func getOrganization<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_GetOrganizationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Organization>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.getOrganization(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_GetOrganizationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Organization>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "ListMembers" with the ProtoWire coders.
  public func listMembers<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_ListMembersRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListMembersResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.listMembers(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_ListMembersRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListMembersResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "AddMember" with the ProtoWire coders.
  public func addMember<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_AddMemberRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_AddMemberResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.addMember(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_AddMemberRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_AddMemberResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "RemoveMember" with the ProtoWire coders.
  public func removeMember<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_RemoveMemberRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_RemoveMemberResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.removeMember(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_RemoveMemberRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_RemoveMemberResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "CreateApiKey" with the ProtoWire coders.
  public func createApiKey<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_CreateApiKeyRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateApiKeyResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.createApiKey(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_CreateApiKeyRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateApiKeyResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "ListApiKeys" with the ProtoWire coders.
  public func listApiKeys<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_ListApiKeysRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListApiKeysResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.listApiKeys(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_ListApiKeysRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListApiKeysResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "RevokeApiKey" with the ProtoWire coders.
  public func revokeApiKey<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_RevokeApiKeyRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ApiKey>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.revokeApiKey(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_RevokeApiKeyRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ApiKey>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Onvera_V1_OrganizationService.ClientProtocol {
  /// Calls "CreateOrganization" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Platform administrators only. Creates the organization, its default
  /// environment and a first owner key, whose secret is returned once.
  public func createOrganization<Result>(
    _ message: Onvera_V1_CreateOrganizationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateOrganizationResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_CreateOrganizationRequest>(message: message, metadata: metadata)
    return try await self.createOrganization(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "GetOrganization" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// The caller's organization. Scope: org:read.
  public func getOrganization<Result>(
    _ message: Onvera_V1_GetOrganizationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Organization>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_GetOrganizationRequest>(message: message, metadata: metadata)
    return try await self.getOrganization(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "ListMembers" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: org:read.
  public func listMembers<Result>(
    _ message: Onvera_V1_ListMembersRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListMembersResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_ListMembersRequest>(message: message, metadata: metadata)
    return try await self.listMembers(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "AddMember" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Adds a member and starts a user.provision operation that provisions the
  /// user into every READY deployment of the organization (deployments created
  /// later provision all members during bootstrap). Scope: org:admin.
  public func addMember<Result>(
    _ message: Onvera_V1_AddMemberRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_AddMemberResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_AddMemberRequest>(message: message, metadata: metadata)
    return try await self.addMember(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "RemoveMember" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Removes a member and starts a user.revoke operation. Scope: org:admin.
  public func removeMember<Result>(
    _ message: Onvera_V1_RemoveMemberRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_RemoveMemberResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_RemoveMemberRequest>(message: message, metadata: metadata)
    return try await self.removeMember(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "CreateApiKey" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: org:admin. The secret is in the response only.
  public func createApiKey<Result>(
    _ message: Onvera_V1_CreateApiKeyRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateApiKeyResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_CreateApiKeyRequest>(message: message, metadata: metadata)
    return try await self.createApiKey(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "ListApiKeys" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: org:admin.
  public func listApiKeys<Result>(
    _ message: Onvera_V1_ListApiKeysRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListApiKeysResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_ListApiKeysRequest>(message: message, metadata: metadata)
    return try await self.listApiKeys(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "RevokeApiKey" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Final: a revoked key is refused from then on. Scope: org:admin.
  public func revokeApiKey<Result>(
    _ message: Onvera_V1_RevokeApiKeyRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ApiKey>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_RevokeApiKeyRequest>(message: message, metadata: metadata)
    return try await self.revokeApiKey(request: request, options: options, onResponse: handleResponse)
  }
}

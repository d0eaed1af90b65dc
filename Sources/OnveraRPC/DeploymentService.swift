// onvera.v1.DeploymentService (deployments.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
public import OnveraProto

// MARK: - onvera.v1.DeploymentService

/// Namespace for the `onvera.v1.DeploymentService` service.
///
/// Deployments of Apache Airflow and Apache Superset.
///
/// Every call needs an API key in the "x-api-key" metadata entry (or
/// "authorization: Bearer <key>") and sees only the key's organization.
public enum Onvera_V1_DeploymentService: Sendable {
  /// Descriptor for the `onvera.v1.DeploymentService` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "CreateDeployment" metadata.
    public enum CreateDeployment: Sendable {
      /// Request type for "CreateDeployment".
      public typealias Input = Onvera_V1_CreateDeploymentRequest
      /// Response type for "CreateDeployment".
      public typealias Output = Onvera_V1_CreateDeploymentResponse
      /// Descriptor for "CreateDeployment".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService"),
        method: "CreateDeployment",
        type: .unary
      )
    }

    /// Namespace for "GetDeployment" metadata.
    public enum GetDeployment: Sendable {
      /// Request type for "GetDeployment".
      public typealias Input = Onvera_V1_GetDeploymentRequest
      /// Response type for "GetDeployment".
      public typealias Output = Onvera_V1_Deployment
      /// Descriptor for "GetDeployment".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService"),
        method: "GetDeployment",
        type: .unary
      )
    }

    /// Namespace for "ListDeployments" metadata.
    public enum ListDeployments: Sendable {
      /// Request type for "ListDeployments".
      public typealias Input = Onvera_V1_ListDeploymentsRequest
      /// Response type for "ListDeployments".
      public typealias Output = Onvera_V1_ListDeploymentsResponse
      /// Descriptor for "ListDeployments".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService"),
        method: "ListDeployments",
        type: .unary
      )
    }

    /// Namespace for "DestroyDeployment" metadata.
    public enum DestroyDeployment: Sendable {
      /// Request type for "DestroyDeployment".
      public typealias Input = Onvera_V1_DestroyDeploymentRequest
      /// Response type for "DestroyDeployment".
      public typealias Output = Onvera_V1_DestroyDeploymentResponse
      /// Descriptor for "DestroyDeployment".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService"),
        method: "DestroyDeployment",
        type: .unary
      )
    }

    /// Namespace for "WatchDeployments" metadata.
    public enum WatchDeployments: Sendable {
      /// Request type for "WatchDeployments".
      public typealias Input = Onvera_V1_WatchDeploymentsRequest
      /// Response type for "WatchDeployments".
      public typealias Output = Onvera_V1_DeploymentEvent
      /// Descriptor for "WatchDeployments".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService"),
        method: "WatchDeployments",
        type: .serverStreaming
      )
    }

    /// Descriptors for all methods of the `onvera.v1.DeploymentService` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      CreateDeployment.descriptor,
      GetDeployment.descriptor,
      ListDeployments.descriptor,
      DestroyDeployment.descriptor,
      WatchDeployments.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `onvera.v1.DeploymentService` service.
  public static let onvera_V1_DeploymentService = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.DeploymentService")
}

// MARK: onvera.v1.DeploymentService (server)

extension Onvera_V1_DeploymentService {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "CreateDeployment".
    ///
    /// Starts creating a deployment and returns at once with its id and the id of
    /// the operation that provisions it. Scope: deployments:write.
    func createDeployment(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateDeploymentResponse>

    /// Handles "GetDeployment".
    ///
    /// Scope: deployments:read.
    func getDeployment(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_GetDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Deployment>

    /// Handles "ListDeployments".
    ///
    /// Newest first. Scope: deployments:read.
    func listDeployments(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_ListDeploymentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListDeploymentsResponse>

    /// Handles "DestroyDeployment".
    ///
    /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
    /// access, removes the database tenant, tears down infrastructure. A second
    /// call while one is in flight returns the same operation.
    /// Scope: deployments:delete.
    func destroyDeployment(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_DestroyDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DestroyDeploymentResponse>

    /// Handles "WatchDeployments".
    ///
    /// Streams changes to the organization's deployments. With after_revision 0:
    /// one ADDED per existing deployment, then SYNCED, then live changes. With
    /// after_revision R: every change after R, in order, none missed, or
    /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
    /// history kept. Scope: deployments:read.
    func watchDeployments(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_WatchDeploymentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DeploymentEvent>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Onvera_V1_DeploymentService.StreamingServiceProtocol {
    /// Handles "CreateDeployment".
    ///
    /// Starts creating a deployment and returns at once with its id and the id of
    /// the operation that provisions it. Scope: deployments:write.
    func createDeployment(
      request: GRPCCore.ServerRequest<Onvera_V1_CreateDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateDeploymentResponse>

    /// Handles "GetDeployment".
    ///
    /// Scope: deployments:read.
    func getDeployment(
      request: GRPCCore.ServerRequest<Onvera_V1_GetDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Deployment>

    /// Handles "ListDeployments".
    ///
    /// Newest first. Scope: deployments:read.
    func listDeployments(
      request: GRPCCore.ServerRequest<Onvera_V1_ListDeploymentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListDeploymentsResponse>

    /// Handles "DestroyDeployment".
    ///
    /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
    /// access, removes the database tenant, tears down infrastructure. A second
    /// call while one is in flight returns the same operation.
    /// Scope: deployments:delete.
    func destroyDeployment(
      request: GRPCCore.ServerRequest<Onvera_V1_DestroyDeploymentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_DestroyDeploymentResponse>

    /// Handles "WatchDeployments".
    ///
    /// Streams changes to the organization's deployments. With after_revision 0:
    /// one ADDED per existing deployment, then SYNCED, then live changes. With
    /// after_revision R: every change after R, in order, none missed, or
    /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
    /// history kept. Scope: deployments:read.
    func watchDeployments(
      request: GRPCCore.ServerRequest<Onvera_V1_WatchDeploymentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DeploymentEvent>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Onvera_V1_DeploymentService.ServiceProtocol {
    /// Handles "CreateDeployment".
    ///
    /// Starts creating a deployment and returns at once with its id and the id of
    /// the operation that provisions it. Scope: deployments:write.
    func createDeployment(
      request: Onvera_V1_CreateDeploymentRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_CreateDeploymentResponse

    /// Handles "GetDeployment".
    ///
    /// Scope: deployments:read.
    func getDeployment(
      request: Onvera_V1_GetDeploymentRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Deployment

    /// Handles "ListDeployments".
    ///
    /// Newest first. Scope: deployments:read.
    func listDeployments(
      request: Onvera_V1_ListDeploymentsRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ListDeploymentsResponse

    /// Handles "DestroyDeployment".
    ///
    /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
    /// access, removes the database tenant, tears down infrastructure. A second
    /// call while one is in flight returns the same operation.
    /// Scope: deployments:delete.
    func destroyDeployment(
      request: Onvera_V1_DestroyDeploymentRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_DestroyDeploymentResponse

    /// Handles "WatchDeployments".
    ///
    /// Streams changes to the organization's deployments. With after_revision 0:
    /// one ADDED per existing deployment, then SYNCED, then live changes. With
    /// after_revision R: every change after R, in order, none missed, or
    /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
    /// history kept. Scope: deployments:read.
    func watchDeployments(
      request: Onvera_V1_WatchDeploymentsRequest,
      response: GRPCCore.RPCWriter<Onvera_V1_DeploymentEvent>,
      context: GRPCCore.ServerContext
    ) async throws
  }
}

// Registers every method with its ProtoWire coders.
extension Onvera_V1_DeploymentService.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Onvera_V1_DeploymentService.Method.CreateDeployment.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateDeploymentRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_CreateDeploymentResponse>(),
      handler: { request, context in
        try await self.createDeployment(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_DeploymentService.Method.GetDeployment.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_GetDeploymentRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Deployment>(),
      handler: { request, context in
        try await self.getDeployment(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_DeploymentService.Method.ListDeployments.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListDeploymentsRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ListDeploymentsResponse>(),
      handler: { request, context in
        try await self.listDeployments(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_DeploymentService.Method.DestroyDeployment.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_DestroyDeploymentRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_DestroyDeploymentResponse>(),
      handler: { request, context in
        try await self.destroyDeployment(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_DeploymentService.Method.WatchDeployments.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_WatchDeploymentsRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_DeploymentEvent>(),
      handler: { request, context in
        try await self.watchDeployments(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Onvera_V1_DeploymentService.ServiceProtocol {
  /// Handles "CreateDeployment" by calling the `ServiceProtocol` method.
  public func createDeployment(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_CreateDeploymentResponse> {
    let response = try await self.createDeployment(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "GetDeployment" by calling the `ServiceProtocol` method.
  public func getDeployment(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_GetDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Deployment> {
    let response = try await self.getDeployment(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "ListDeployments" by calling the `ServiceProtocol` method.
  public func listDeployments(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_ListDeploymentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListDeploymentsResponse> {
    let response = try await self.listDeployments(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "DestroyDeployment" by calling the `ServiceProtocol` method.
  public func destroyDeployment(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_DestroyDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DestroyDeploymentResponse> {
    let response = try await self.destroyDeployment(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "WatchDeployments" by calling the `ServiceProtocol` method.
  public func watchDeployments(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_WatchDeploymentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DeploymentEvent> {
    let response = try await self.watchDeployments(request: GRPCCore.ServerRequest(stream: request), context: context)
    return response
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Onvera_V1_DeploymentService.SimpleServiceProtocol {
  /// Handles "CreateDeployment" by calling the `SimpleServiceProtocol` method.
  public func createDeployment(
    request: GRPCCore.ServerRequest<Onvera_V1_CreateDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_CreateDeploymentResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_CreateDeploymentResponse>(
      message: try await self.createDeployment(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "GetDeployment" by calling the `SimpleServiceProtocol` method.
  public func getDeployment(
    request: GRPCCore.ServerRequest<Onvera_V1_GetDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Deployment> {
    return GRPCCore.ServerResponse<Onvera_V1_Deployment>(
      message: try await self.getDeployment(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "ListDeployments" by calling the `SimpleServiceProtocol` method.
  public func listDeployments(
    request: GRPCCore.ServerRequest<Onvera_V1_ListDeploymentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListDeploymentsResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_ListDeploymentsResponse>(
      message: try await self.listDeployments(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "DestroyDeployment" by calling the `SimpleServiceProtocol` method.
  public func destroyDeployment(
    request: GRPCCore.ServerRequest<Onvera_V1_DestroyDeploymentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_DestroyDeploymentResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_DestroyDeploymentResponse>(
      message: try await self.destroyDeployment(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "WatchDeployments" by calling the `SimpleServiceProtocol` method.
  public func watchDeployments(
    request: GRPCCore.ServerRequest<Onvera_V1_WatchDeploymentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_DeploymentEvent> {
    return GRPCCore.StreamingServerResponse<Onvera_V1_DeploymentEvent>(
      metadata: [:],
      producer: { writer in
        try await self.watchDeployments(request: request.message, response: writer, context: context)
        return [:]
      }
    )
  }
}

// MARK: onvera.v1.DeploymentService (client)

extension Onvera_V1_DeploymentService {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "CreateDeployment".
    ///
    /// Starts creating a deployment and returns at once with its id and the id of
    /// the operation that provisions it. Scope: deployments:write.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func createDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateDeploymentResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateDeploymentResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "GetDeployment".
    ///
    /// Scope: deployments:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func getDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Deployment>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Deployment>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "ListDeployments".
    ///
    /// Newest first. Scope: deployments:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func listDeployments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListDeploymentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListDeploymentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListDeploymentsResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListDeploymentsResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "DestroyDeployment".
    ///
    /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
    /// access, removes the database tenant, tears down infrastructure. A second
    /// call while one is in flight returns the same operation.
    /// Scope: deployments:delete.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func destroyDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_DestroyDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_DestroyDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_DestroyDeploymentResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_DestroyDeploymentResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "WatchDeployments".
    ///
    /// Streams changes to the organization's deployments. With after_revision 0:
    /// one ADDED per existing deployment, then SYNCED, then live changes. With
    /// after_revision R: every change after R, in order, none missed, or
    /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
    /// history kept. Scope: deployments:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func watchDeployments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WatchDeploymentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WatchDeploymentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_DeploymentEvent>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_DeploymentEvent>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `onvera.v1.DeploymentService` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "CreateDeployment".
    ///
    /// Starts creating a deployment and returns at once with its id and the id of
    /// the operation that provisions it. Scope: deployments:write.
    public func createDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_CreateDeploymentResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateDeploymentResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_DeploymentService.Method.CreateDeployment.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "GetDeployment".
    ///
    /// Scope: deployments:read.
    public func getDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Deployment>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Deployment>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_DeploymentService.Method.GetDeployment.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "ListDeployments".
    ///
    /// Newest first. Scope: deployments:read.
    public func listDeployments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListDeploymentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListDeploymentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListDeploymentsResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListDeploymentsResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_DeploymentService.Method.ListDeployments.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "DestroyDeployment".
    ///
    /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
    /// access, removes the database tenant, tears down infrastructure. A second
    /// call while one is in flight returns the same operation.
    /// Scope: deployments:delete.
    public func destroyDeployment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_DestroyDeploymentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_DestroyDeploymentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_DestroyDeploymentResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_DestroyDeploymentResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_DeploymentService.Method.DestroyDeployment.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "WatchDeployments".
    ///
    /// Streams changes to the organization's deployments. With after_revision 0:
    /// one ADDED per existing deployment, then SYNCED, then live changes. With
    /// after_revision R: every change after R, in order, none missed, or
    /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
    /// history kept. Scope: deployments:read.
    public func watchDeployments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WatchDeploymentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WatchDeploymentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_DeploymentEvent>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_DeploymentEvent>) async throws -> Result
    ) async throws -> Result where Result: Sendable {
      try await self.client.serverStreaming(
        request: request,
        descriptor: Onvera_V1_DeploymentService.Method.WatchDeployments.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Onvera_V1_DeploymentService.ClientProtocol {
  /// Calls "CreateDeployment" with the ProtoWire coders.
  public func createDeployment<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_CreateDeploymentRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateDeploymentResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.createDeployment(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_CreateDeploymentRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateDeploymentResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "GetDeployment" with the ProtoWire coders.
  public func getDeployment<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_GetDeploymentRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Deployment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.getDeployment(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_GetDeploymentRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Deployment>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "ListDeployments" with the ProtoWire coders.
  public func listDeployments<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_ListDeploymentsRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListDeploymentsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.listDeployments(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_ListDeploymentsRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListDeploymentsResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "DestroyDeployment" with the ProtoWire coders.
  public func destroyDeployment<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_DestroyDeploymentRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_DestroyDeploymentResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.destroyDeployment(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_DestroyDeploymentRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_DestroyDeploymentResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "WatchDeployments" with the ProtoWire coders.
  public func watchDeployments<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_WatchDeploymentsRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_DeploymentEvent>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    try await self.watchDeployments(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_WatchDeploymentsRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_DeploymentEvent>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Onvera_V1_DeploymentService.ClientProtocol {
  /// Calls "CreateDeployment" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Starts creating a deployment and returns at once with its id and the id of
  /// the operation that provisions it. Scope: deployments:write.
  public func createDeployment<Result>(
    _ message: Onvera_V1_CreateDeploymentRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_CreateDeploymentResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_CreateDeploymentRequest>(message: message, metadata: metadata)
    return try await self.createDeployment(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "GetDeployment" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: deployments:read.
  public func getDeployment<Result>(
    _ message: Onvera_V1_GetDeploymentRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Deployment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_GetDeploymentRequest>(message: message, metadata: metadata)
    return try await self.getDeployment(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "ListDeployments" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Newest first. Scope: deployments:read.
  public func listDeployments<Result>(
    _ message: Onvera_V1_ListDeploymentsRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListDeploymentsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_ListDeploymentsRequest>(message: message, metadata: metadata)
    return try await self.listDeployments(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "DestroyDeployment" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Starts destroying a READY or FAILED deployment. Irreversible: revokes user
  /// access, removes the database tenant, tears down infrastructure. A second
  /// call while one is in flight returns the same operation.
  /// Scope: deployments:delete.
  public func destroyDeployment<Result>(
    _ message: Onvera_V1_DestroyDeploymentRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_DestroyDeploymentResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_DestroyDeploymentRequest>(message: message, metadata: metadata)
    return try await self.destroyDeployment(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "WatchDeployments" with `message` and `metadata`; `handleResponse` reads the stream.
  ///
  /// Streams changes to the organization's deployments. With after_revision 0:
  /// one ADDED per existing deployment, then SYNCED, then live changes. With
  /// after_revision R: every change after R, in order, none missed, or
  /// OUT_OF_RANGE (reason WATCH_REVISION_COMPACTED) when R is older than the
  /// history kept. Scope: deployments:read.
  public func watchDeployments<Result>(
    _ message: Onvera_V1_WatchDeploymentsRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_DeploymentEvent>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_WatchDeploymentsRequest>(message: message, metadata: metadata)
    return try await self.watchDeployments(request: request, options: options, onResponse: handleResponse)
  }
}

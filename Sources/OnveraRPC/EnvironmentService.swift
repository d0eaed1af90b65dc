// onvera.v1.EnvironmentService (environments.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
public import OnveraProto

// MARK: - onvera.v1.EnvironmentService

/// Namespace for the `onvera.v1.EnvironmentService` service.
///
/// Environments group deployments and set their isolation level. Every
/// organization has the system-owned default environment "env_default".
public enum Onvera_V1_EnvironmentService: Sendable {
  /// Descriptor for the `onvera.v1.EnvironmentService` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.EnvironmentService")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "ListEnvironments" metadata.
    public enum ListEnvironments: Sendable {
      /// Request type for "ListEnvironments".
      public typealias Input = Onvera_V1_ListEnvironmentsRequest
      /// Response type for "ListEnvironments".
      public typealias Output = Onvera_V1_ListEnvironmentsResponse
      /// Descriptor for "ListEnvironments".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.EnvironmentService"),
        method: "ListEnvironments",
        type: .unary
      )
    }

    /// Namespace for "GetEnvironment" metadata.
    public enum GetEnvironment: Sendable {
      /// Request type for "GetEnvironment".
      public typealias Input = Onvera_V1_GetEnvironmentRequest
      /// Response type for "GetEnvironment".
      public typealias Output = Onvera_V1_Environment
      /// Descriptor for "GetEnvironment".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.EnvironmentService"),
        method: "GetEnvironment",
        type: .unary
      )
    }

    /// Namespace for "CreateEnvironment" metadata.
    public enum CreateEnvironment: Sendable {
      /// Request type for "CreateEnvironment".
      public typealias Input = Onvera_V1_CreateEnvironmentRequest
      /// Response type for "CreateEnvironment".
      public typealias Output = Onvera_V1_Environment
      /// Descriptor for "CreateEnvironment".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.EnvironmentService"),
        method: "CreateEnvironment",
        type: .unary
      )
    }

    /// Descriptors for all methods of the `onvera.v1.EnvironmentService` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      ListEnvironments.descriptor,
      GetEnvironment.descriptor,
      CreateEnvironment.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `onvera.v1.EnvironmentService` service.
  public static let onvera_V1_EnvironmentService = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.EnvironmentService")
}

// MARK: onvera.v1.EnvironmentService (server)

extension Onvera_V1_EnvironmentService {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "ListEnvironments".
    ///
    /// Scope: org:read.
    func listEnvironments(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_ListEnvironmentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListEnvironmentsResponse>

    /// Handles "GetEnvironment".
    ///
    /// Scope: org:read.
    func getEnvironment(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_GetEnvironmentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Environment>

    /// Handles "CreateEnvironment".
    ///
    /// Platform administrators only (the server's admin key).
    func createEnvironment(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateEnvironmentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Environment>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Onvera_V1_EnvironmentService.StreamingServiceProtocol {
    /// Handles "ListEnvironments".
    ///
    /// Scope: org:read.
    func listEnvironments(
      request: GRPCCore.ServerRequest<Onvera_V1_ListEnvironmentsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListEnvironmentsResponse>

    /// Handles "GetEnvironment".
    ///
    /// Scope: org:read.
    func getEnvironment(
      request: GRPCCore.ServerRequest<Onvera_V1_GetEnvironmentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Environment>

    /// Handles "CreateEnvironment".
    ///
    /// Platform administrators only (the server's admin key).
    func createEnvironment(
      request: GRPCCore.ServerRequest<Onvera_V1_CreateEnvironmentRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Environment>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Onvera_V1_EnvironmentService.ServiceProtocol {
    /// Handles "ListEnvironments".
    ///
    /// Scope: org:read.
    func listEnvironments(
      request: Onvera_V1_ListEnvironmentsRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ListEnvironmentsResponse

    /// Handles "GetEnvironment".
    ///
    /// Scope: org:read.
    func getEnvironment(
      request: Onvera_V1_GetEnvironmentRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Environment

    /// Handles "CreateEnvironment".
    ///
    /// Platform administrators only (the server's admin key).
    func createEnvironment(
      request: Onvera_V1_CreateEnvironmentRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Environment
  }
}

// Registers every method with its ProtoWire coders.
extension Onvera_V1_EnvironmentService.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Onvera_V1_EnvironmentService.Method.ListEnvironments.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListEnvironmentsRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ListEnvironmentsResponse>(),
      handler: { request, context in
        try await self.listEnvironments(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_EnvironmentService.Method.GetEnvironment.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_GetEnvironmentRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Environment>(),
      handler: { request, context in
        try await self.getEnvironment(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_EnvironmentService.Method.CreateEnvironment.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_CreateEnvironmentRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Environment>(),
      handler: { request, context in
        try await self.createEnvironment(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Onvera_V1_EnvironmentService.ServiceProtocol {
  /// Handles "ListEnvironments" by calling the `ServiceProtocol` method.
  public func listEnvironments(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_ListEnvironmentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListEnvironmentsResponse> {
    let response = try await self.listEnvironments(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "GetEnvironment" by calling the `ServiceProtocol` method.
  public func getEnvironment(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_GetEnvironmentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Environment> {
    let response = try await self.getEnvironment(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "CreateEnvironment" by calling the `ServiceProtocol` method.
  public func createEnvironment(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_CreateEnvironmentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Environment> {
    let response = try await self.createEnvironment(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Onvera_V1_EnvironmentService.SimpleServiceProtocol {
  /// Handles "ListEnvironments" by calling the `SimpleServiceProtocol` method.
  public func listEnvironments(
    request: GRPCCore.ServerRequest<Onvera_V1_ListEnvironmentsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListEnvironmentsResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_ListEnvironmentsResponse>(
      message: try await self.listEnvironments(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "GetEnvironment" by calling the `SimpleServiceProtocol` method.
  public func getEnvironment(
    request: GRPCCore.ServerRequest<Onvera_V1_GetEnvironmentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Environment> {
    return GRPCCore.ServerResponse<Onvera_V1_Environment>(
      message: try await self.getEnvironment(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "CreateEnvironment" by calling the `SimpleServiceProtocol` method.
  public func createEnvironment(
    request: GRPCCore.ServerRequest<Onvera_V1_CreateEnvironmentRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Environment> {
    return GRPCCore.ServerResponse<Onvera_V1_Environment>(
      message: try await self.createEnvironment(request: request.message, context: context),
      metadata: [:]
    )
  }
}

// MARK: onvera.v1.EnvironmentService (client)

extension Onvera_V1_EnvironmentService {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "ListEnvironments".
    ///
    /// Scope: org:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func listEnvironments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListEnvironmentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListEnvironmentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListEnvironmentsResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListEnvironmentsResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "GetEnvironment".
    ///
    /// Scope: org:read.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func getEnvironment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetEnvironmentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetEnvironmentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Environment>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "CreateEnvironment".
    ///
    /// Platform administrators only (the server's admin key).
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func createEnvironment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateEnvironmentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateEnvironmentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Environment>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `onvera.v1.EnvironmentService` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "ListEnvironments".
    ///
    /// Scope: org:read.
    public func listEnvironments<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListEnvironmentsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListEnvironmentsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListEnvironmentsResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListEnvironmentsResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_EnvironmentService.Method.ListEnvironments.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "GetEnvironment".
    ///
    /// Scope: org:read.
    public func getEnvironment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetEnvironmentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetEnvironmentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Environment>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_EnvironmentService.Method.GetEnvironment.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "CreateEnvironment".
    ///
    /// Platform administrators only (the server's admin key).
    public func createEnvironment<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CreateEnvironmentRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CreateEnvironmentRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Environment>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_EnvironmentService.Method.CreateEnvironment.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Onvera_V1_EnvironmentService.ClientProtocol {
  /// Calls "ListEnvironments" with the ProtoWire coders.
  public func listEnvironments<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_ListEnvironmentsRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListEnvironmentsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.listEnvironments(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_ListEnvironmentsRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListEnvironmentsResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "GetEnvironment" with the ProtoWire coders.
  public func getEnvironment<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_GetEnvironmentRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.getEnvironment(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_GetEnvironmentRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Environment>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "CreateEnvironment" with the ProtoWire coders.
  public func createEnvironment<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_CreateEnvironmentRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.createEnvironment(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_CreateEnvironmentRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Environment>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Onvera_V1_EnvironmentService.ClientProtocol {
  /// Calls "ListEnvironments" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: org:read.
  public func listEnvironments<Result>(
    _ message: Onvera_V1_ListEnvironmentsRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListEnvironmentsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_ListEnvironmentsRequest>(message: message, metadata: metadata)
    return try await self.listEnvironments(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "GetEnvironment" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Scope: org:read.
  public func getEnvironment<Result>(
    _ message: Onvera_V1_GetEnvironmentRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_GetEnvironmentRequest>(message: message, metadata: metadata)
    return try await self.getEnvironment(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "CreateEnvironment" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Platform administrators only (the server's admin key).
  public func createEnvironment<Result>(
    _ message: Onvera_V1_CreateEnvironmentRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Environment>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_CreateEnvironmentRequest>(message: message, metadata: metadata)
    return try await self.createEnvironment(request: request, options: options, onResponse: handleResponse)
  }
}

// grpc.health.v1.Health (grpc/health/v1/health.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
internal import OnveraRPC

// MARK: - grpc.health.v1.Health

/// Namespace for the `grpc.health.v1.Health` service.
///
/// The gRPC health checking protocol (grpc/grpc doc/health-checking.md).
public enum Grpc_Health_V1_Health: Sendable {
  /// Descriptor for the `grpc.health.v1.Health` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "Check" metadata.
    public enum Check: Sendable {
      /// Request type for "Check".
      public typealias Input = Grpc_Health_V1_HealthCheckRequest
      /// Response type for "Check".
      public typealias Output = Grpc_Health_V1_HealthCheckResponse
      /// Descriptor for "Check".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health"),
        method: "Check",
        type: .unary
      )
    }

    /// Namespace for "Watch" metadata.
    public enum Watch: Sendable {
      /// Request type for "Watch".
      public typealias Input = Grpc_Health_V1_HealthCheckRequest
      /// Response type for "Watch".
      public typealias Output = Grpc_Health_V1_HealthCheckResponse
      /// Descriptor for "Watch".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health"),
        method: "Watch",
        type: .serverStreaming
      )
    }

    /// Descriptors for all methods of the `grpc.health.v1.Health` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      Check.descriptor,
      Watch.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `grpc.health.v1.Health` service.
  public static let grpc_Health_V1_Health = GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health")
}

// MARK: grpc.health.v1.Health (server)

extension Grpc_Health_V1_Health {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "Check".
    ///
    /// The serving status of a service, "" for the server as a whole. A service
    /// the server does not know fails with NOT_FOUND.
    func check(
      request: GRPCCore.StreamingServerRequest<Grpc_Health_V1_HealthCheckRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse>

    /// Handles "Watch".
    ///
    /// Streams the serving status of a service: the current one at once, then
    /// every change. A service the server does not know is SERVICE_UNKNOWN, and
    /// the stream stays open in case it appears.
    func watch(
      request: GRPCCore.StreamingServerRequest<Grpc_Health_V1_HealthCheckRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Grpc_Health_V1_Health.StreamingServiceProtocol {
    /// Handles "Check".
    ///
    /// The serving status of a service, "" for the server as a whole. A service
    /// the server does not know fails with NOT_FOUND.
    func check(
      request: GRPCCore.ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Grpc_Health_V1_HealthCheckResponse>

    /// Handles "Watch".
    ///
    /// Streams the serving status of a service: the current one at once, then
    /// every change. A service the server does not know is SERVICE_UNKNOWN, and
    /// the stream stays open in case it appears.
    func watch(
      request: GRPCCore.ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Grpc_Health_V1_Health.ServiceProtocol {
    /// Handles "Check".
    ///
    /// The serving status of a service, "" for the server as a whole. A service
    /// the server does not know fails with NOT_FOUND.
    func check(
      request: Grpc_Health_V1_HealthCheckRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse

    /// Handles "Watch".
    ///
    /// Streams the serving status of a service: the current one at once, then
    /// every change. A service the server does not know is SERVICE_UNKNOWN, and
    /// the stream stays open in case it appears.
    func watch(
      request: Grpc_Health_V1_HealthCheckRequest,
      response: GRPCCore.RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
      context: GRPCCore.ServerContext
    ) async throws
  }
}

// Registers every method with its ProtoWire coders.
extension Grpc_Health_V1_Health.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Grpc_Health_V1_Health.Method.Check.descriptor,
      deserializer: ProtoMessageDeserializer<Grpc_Health_V1_HealthCheckRequest>(),
      serializer: ProtoMessageSerializer<Grpc_Health_V1_HealthCheckResponse>(),
      handler: { request, context in
        try await self.check(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Grpc_Health_V1_Health.Method.Watch.descriptor,
      deserializer: ProtoMessageDeserializer<Grpc_Health_V1_HealthCheckRequest>(),
      serializer: ProtoMessageSerializer<Grpc_Health_V1_HealthCheckResponse>(),
      handler: { request, context in
        try await self.watch(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Grpc_Health_V1_Health.ServiceProtocol {
  /// Handles "Check" by calling the `ServiceProtocol` method.
  public func check(
    request: GRPCCore.StreamingServerRequest<Grpc_Health_V1_HealthCheckRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse> {
    let response = try await self.check(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "Watch" by calling the `ServiceProtocol` method.
  public func watch(
    request: GRPCCore.StreamingServerRequest<Grpc_Health_V1_HealthCheckRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse> {
    let response = try await self.watch(request: GRPCCore.ServerRequest(stream: request), context: context)
    return response
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Grpc_Health_V1_Health.SimpleServiceProtocol {
  /// Handles "Check" by calling the `SimpleServiceProtocol` method.
  public func check(
    request: GRPCCore.ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Grpc_Health_V1_HealthCheckResponse> {
    return GRPCCore.ServerResponse<Grpc_Health_V1_HealthCheckResponse>(
      message: try await self.check(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "Watch" by calling the `SimpleServiceProtocol` method.
  public func watch(
    request: GRPCCore.ServerRequest<Grpc_Health_V1_HealthCheckRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse> {
    return GRPCCore.StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse>(
      metadata: [:],
      producer: { writer in
        try await self.watch(request: request.message, response: writer, context: context)
        return [:]
      }
    )
  }
}

// MARK: grpc.health.v1.Health (client)

extension Grpc_Health_V1_Health {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "Check".
    ///
    /// The serving status of a service, "" for the server as a whole. A service
    /// the server does not know fails with NOT_FOUND.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func check<Result>(
      request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Health_V1_HealthCheckRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Health_V1_HealthCheckResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "Watch".
    ///
    /// Streams the serving status of a service: the current one at once, then
    /// every change. A service the server does not know is SERVICE_UNKNOWN, and
    /// the stream stays open in case it appears.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func watch<Result>(
      request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Health_V1_HealthCheckRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Health_V1_HealthCheckResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `grpc.health.v1.Health` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "Check".
    ///
    /// The serving status of a service, "" for the server as a whole. A service
    /// the server does not know fails with NOT_FOUND.
    public func check<Result>(
      request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Health_V1_HealthCheckRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Health_V1_HealthCheckResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Grpc_Health_V1_Health.Method.Check.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "Watch".
    ///
    /// Streams the serving status of a service: the current one at once, then
    /// every change. A service the server does not know is SERVICE_UNKNOWN, and
    /// the stream stays open in case it appears.
    public func watch<Result>(
      request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Health_V1_HealthCheckRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Health_V1_HealthCheckResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable {
      try await self.client.serverStreaming(
        request: request,
        descriptor: Grpc_Health_V1_Health.Method.Watch.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Grpc_Health_V1_Health.ClientProtocol {
  /// Calls "Check" with the ProtoWire coders.
  public func check<Result>(
    request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.check(
      request: request,
      serializer: ProtoMessageSerializer<Grpc_Health_V1_HealthCheckRequest>(),
      deserializer: ProtoMessageDeserializer<Grpc_Health_V1_HealthCheckResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "Watch" with the ProtoWire coders.
  public func watch<Result>(
    request: GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    try await self.watch(
      request: request,
      serializer: ProtoMessageSerializer<Grpc_Health_V1_HealthCheckRequest>(),
      deserializer: ProtoMessageDeserializer<Grpc_Health_V1_HealthCheckResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Grpc_Health_V1_Health.ClientProtocol {
  /// Calls "Check" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// The serving status of a service, "" for the server as a whole. A service
  /// the server does not know fails with NOT_FOUND.
  public func check<Result>(
    _ message: Grpc_Health_V1_HealthCheckRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>(message: message, metadata: metadata)
    return try await self.check(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "Watch" with `message` and `metadata`; `handleResponse` reads the stream.
  ///
  /// Streams the serving status of a service: the current one at once, then
  /// every change. A service the server does not know is SERVICE_UNKNOWN, and
  /// the stream stays open in case it appears.
  public func watch<Result>(
    _ message: Grpc_Health_V1_HealthCheckRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Health_V1_HealthCheckResponse>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Grpc_Health_V1_HealthCheckRequest>(message: message, metadata: metadata)
    return try await self.watch(request: request, options: options, onResponse: handleResponse)
  }
}

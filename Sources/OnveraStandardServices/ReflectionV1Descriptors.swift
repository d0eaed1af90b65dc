// grpc.reflection.v1.ServerReflection (grpc/reflection/v1/reflection.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
internal import OnveraRPC

// MARK: - grpc.reflection.v1.ServerReflection

/// Namespace for the `grpc.reflection.v1.ServerReflection` service.
///
/// Server reflection (grpc/grpc doc/server-reflection.md): which services a
/// server offers and the descriptors of the files that define them.
public enum Grpc_Reflection_V1_ServerReflection: Sendable {
  /// Descriptor for the `grpc.reflection.v1.ServerReflection` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.reflection.v1.ServerReflection")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "ServerReflectionInfo" metadata.
    public enum ServerReflectionInfo: Sendable {
      /// Request type for "ServerReflectionInfo".
      public typealias Input = Grpc_Reflection_V1_ServerReflectionRequest
      /// Response type for "ServerReflectionInfo".
      public typealias Output = Grpc_Reflection_V1_ServerReflectionResponse
      /// Descriptor for "ServerReflectionInfo".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.reflection.v1.ServerReflection"),
        method: "ServerReflectionInfo",
        type: .bidirectionalStreaming
      )
    }

    /// Descriptors for all methods of the `grpc.reflection.v1.ServerReflection` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      ServerReflectionInfo.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `grpc.reflection.v1.ServerReflection` service.
  public static let grpc_Reflection_V1_ServerReflection = GRPCCore.ServiceDescriptor(fullyQualifiedService: "grpc.reflection.v1.ServerReflection")
}

// MARK: grpc.reflection.v1.ServerReflection (server)

extension Grpc_Reflection_V1_ServerReflection {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "ServerReflectionInfo".
    ///
    /// One response per request, in order, on a bidirectional stream.
    func serverReflectionInfo(
      request: GRPCCore.StreamingServerRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Grpc_Reflection_V1_ServerReflection.StreamingServiceProtocol {
    /// Handles "ServerReflectionInfo".
    ///
    /// One response per request, in order, on a bidirectional stream.
    func serverReflectionInfo(
      request: GRPCCore.StreamingServerRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Grpc_Reflection_V1_ServerReflection.ServiceProtocol {
    /// Handles "ServerReflectionInfo".
    ///
    /// One response per request, in order, on a bidirectional stream.
    func serverReflectionInfo(
      request: GRPCCore.RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Swift.Error>,
      response: GRPCCore.RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>,
      context: GRPCCore.ServerContext
    ) async throws
  }
}

// Registers every method with its ProtoWire coders.
extension Grpc_Reflection_V1_ServerReflection.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Grpc_Reflection_V1_ServerReflection.Method.ServerReflectionInfo.descriptor,
      deserializer: ProtoMessageDeserializer<Grpc_Reflection_V1_ServerReflectionRequest>(),
      serializer: ProtoMessageSerializer<Grpc_Reflection_V1_ServerReflectionResponse>(),
      handler: { request, context in
        try await self.serverReflectionInfo(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Grpc_Reflection_V1_ServerReflection.ServiceProtocol {
  /// Handles "ServerReflectionInfo" by calling the `ServiceProtocol` method.
  public func serverReflectionInfo(
    request: GRPCCore.StreamingServerRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse> {
    let response = try await self.serverReflectionInfo(request: request, context: context)
    return response
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Grpc_Reflection_V1_ServerReflection.SimpleServiceProtocol {
  /// Handles "ServerReflectionInfo" by calling the `SimpleServiceProtocol` method.
  public func serverReflectionInfo(
    request: GRPCCore.StreamingServerRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse> {
    return GRPCCore.StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse>(
      metadata: [:],
      producer: { writer in
        try await self.serverReflectionInfo(request: request.messages, response: writer, context: context)
        return [:]
      }
    )
  }
}

// MARK: grpc.reflection.v1.ServerReflection (client)

extension Grpc_Reflection_V1_ServerReflection {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "ServerReflectionInfo".
    ///
    /// One response per request, in order, on a bidirectional stream.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func serverReflectionInfo<Result>(
      request: GRPCCore.StreamingClientRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Reflection_V1_ServerReflectionRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Reflection_V1_ServerReflectionResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Reflection_V1_ServerReflectionResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `grpc.reflection.v1.ServerReflection` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "ServerReflectionInfo".
    ///
    /// One response per request, in order, on a bidirectional stream.
    public func serverReflectionInfo<Result>(
      request: GRPCCore.StreamingClientRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
      serializer: some GRPCCore.MessageSerializer<Grpc_Reflection_V1_ServerReflectionRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Grpc_Reflection_V1_ServerReflectionResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Reflection_V1_ServerReflectionResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable {
      try await self.client.bidirectionalStreaming(
        request: request,
        descriptor: Grpc_Reflection_V1_ServerReflection.Method.ServerReflectionInfo.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Grpc_Reflection_V1_ServerReflection.ClientProtocol {
  /// Calls "ServerReflectionInfo" with the ProtoWire coders.
  public func serverReflectionInfo<Result>(
    request: GRPCCore.StreamingClientRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Grpc_Reflection_V1_ServerReflectionResponse>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    try await self.serverReflectionInfo(
      request: request,
      serializer: ProtoMessageSerializer<Grpc_Reflection_V1_ServerReflectionRequest>(),
      deserializer: ProtoMessageDeserializer<Grpc_Reflection_V1_ServerReflectionResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Grpc_Reflection_V1_ServerReflection.ClientProtocol {
}

// onvera.v1.OperationService (operations.proto) in the shape grpc-swift's code generator gives a
// service, on the ProtoWire codec. Kept in step with the .proto by hand: no
// generator runs in the build, so a changed method means editing this file.

public import GRPCCore
public import OnveraProto

// MARK: - onvera.v1.OperationService

/// Namespace for the `onvera.v1.OperationService` service.
///
/// Asynchronous work on deployments and members. Scope: operations:read,
/// except CancelOperation, which needs the scope of the operation's kind
/// (deployments:write for a create).
public enum Onvera_V1_OperationService: Sendable {
  /// Descriptor for the `onvera.v1.OperationService` service.
  public static let descriptor = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService")

  /// Namespace for method metadata.
  public enum Method: Sendable {
    /// Namespace for "GetOperation" metadata.
    public enum GetOperation: Sendable {
      /// Request type for "GetOperation".
      public typealias Input = Onvera_V1_GetOperationRequest
      /// Response type for "GetOperation".
      public typealias Output = Onvera_V1_Operation
      /// Descriptor for "GetOperation".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService"),
        method: "GetOperation",
        type: .unary
      )
    }

    /// Namespace for "ListOperations" metadata.
    public enum ListOperations: Sendable {
      /// Request type for "ListOperations".
      public typealias Input = Onvera_V1_ListOperationsRequest
      /// Response type for "ListOperations".
      public typealias Output = Onvera_V1_ListOperationsResponse
      /// Descriptor for "ListOperations".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService"),
        method: "ListOperations",
        type: .unary
      )
    }

    /// Namespace for "WatchOperation" metadata.
    public enum WatchOperation: Sendable {
      /// Request type for "WatchOperation".
      public typealias Input = Onvera_V1_WatchOperationRequest
      /// Response type for "WatchOperation".
      public typealias Output = Onvera_V1_OperationEvent
      /// Descriptor for "WatchOperation".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService"),
        method: "WatchOperation",
        type: .serverStreaming
      )
    }

    /// Namespace for "WaitOperation" metadata.
    public enum WaitOperation: Sendable {
      /// Request type for "WaitOperation".
      public typealias Input = Onvera_V1_WaitOperationRequest
      /// Response type for "WaitOperation".
      public typealias Output = Onvera_V1_Operation
      /// Descriptor for "WaitOperation".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService"),
        method: "WaitOperation",
        type: .unary
      )
    }

    /// Namespace for "CancelOperation" metadata.
    public enum CancelOperation: Sendable {
      /// Request type for "CancelOperation".
      public typealias Input = Onvera_V1_CancelOperationRequest
      /// Response type for "CancelOperation".
      public typealias Output = Onvera_V1_Operation
      /// Descriptor for "CancelOperation".
      public static let descriptor = GRPCCore.MethodDescriptor(
        service: GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService"),
        method: "CancelOperation",
        type: .unary
      )
    }

    /// Descriptors for all methods of the `onvera.v1.OperationService` service.
    public static let descriptors: [GRPCCore.MethodDescriptor] = [
      GetOperation.descriptor,
      ListOperations.descriptor,
      WatchOperation.descriptor,
      WaitOperation.descriptor,
      CancelOperation.descriptor,
    ]
  }
}

extension GRPCCore.ServiceDescriptor {
  /// Descriptor for the `onvera.v1.OperationService` service.
  public static let onvera_V1_OperationService = GRPCCore.ServiceDescriptor(fullyQualifiedService: "onvera.v1.OperationService")
}

// MARK: onvera.v1.OperationService (server)

extension Onvera_V1_OperationService {
  /// Streaming variant of the service protocol: every method takes a request stream and
  /// returns a response stream, whatever its kind.
  ///
  /// The lowest level and most flexible; where one message is expected the implementation
  /// must enforce it. Prefer ``ServiceProtocol`` or ``SimpleServiceProtocol``.
  public protocol StreamingServiceProtocol: GRPCCore.RegistrableRPCService {
    /// Handles "GetOperation".
    func getOperation(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_GetOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation>

    /// Handles "ListOperations".
    ///
    /// Newest first.
    func listOperations(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_ListOperationsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListOperationsResponse>

    /// Handles "WatchOperation".
    ///
    /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
    /// every retained change after it), then an UPDATE for every change, with a
    /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
    /// after the update that makes the operation done. A client that loses the
    /// stream resumes with after_sequence set to the last sequence it saw.
    func watchOperation(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_WatchOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_OperationEvent>

    /// Handles "WaitOperation".
    ///
    /// Returns when the operation is done or the timeout (or the call's deadline)
    /// passes, whichever is first, with the operation's latest state.
    func waitOperation(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_WaitOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation>

    /// Handles "CancelOperation".
    ///
    /// Asks a queued or running operation to stop at the next step boundary.
    /// Best effort: a canceled create releases what it provisioned and leaves the
    /// deployment FAILED with reason OPERATION_CANCELED.
    func cancelOperation(
      request: GRPCCore.StreamingServerRequest<Onvera_V1_CancelOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation>
  }

  /// Service protocol: unary methods take one request message and return one response,
  /// with access to metadata; streaming methods keep their streams.
  ///
  /// Thrown `RPCError`s become the call's status; any other error becomes UNKNOWN.
  /// A response stream that runs until the client leaves must watch `context.cancellation`
  /// (`withRPCCancellationHandler`): GRPCCore cancels the RPC, not the handler's task.
  public protocol ServiceProtocol: Onvera_V1_OperationService.StreamingServiceProtocol {
    /// Handles "GetOperation".
    func getOperation(
      request: GRPCCore.ServerRequest<Onvera_V1_GetOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation>

    /// Handles "ListOperations".
    ///
    /// Newest first.
    func listOperations(
      request: GRPCCore.ServerRequest<Onvera_V1_ListOperationsRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListOperationsResponse>

    /// Handles "WatchOperation".
    ///
    /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
    /// every retained change after it), then an UPDATE for every change, with a
    /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
    /// after the update that makes the operation done. A client that loses the
    /// stream resumes with after_sequence set to the last sequence it saw.
    func watchOperation(
      request: GRPCCore.ServerRequest<Onvera_V1_WatchOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_OperationEvent>

    /// Handles "WaitOperation".
    ///
    /// Returns when the operation is done or the timeout (or the call's deadline)
    /// passes, whichever is first, with the operation's latest state.
    func waitOperation(
      request: GRPCCore.ServerRequest<Onvera_V1_WaitOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation>

    /// Handles "CancelOperation".
    ///
    /// Asks a queued or running operation to stop at the next step boundary.
    /// Best effort: a canceled create releases what it provisioned and leaves the
    /// deployment FAILED with reason OPERATION_CANCELED.
    func cancelOperation(
      request: GRPCCore.ServerRequest<Onvera_V1_CancelOperationRequest>,
      context: GRPCCore.ServerContext
    ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation>
  }

  /// Simple service protocol: the easiest to implement, without access to metadata.
  ///
  /// Unary methods take and return messages; streaming responses are written to a `RPCWriter`.
  public protocol SimpleServiceProtocol: Onvera_V1_OperationService.ServiceProtocol {
    /// Handles "GetOperation".
    func getOperation(
      request: Onvera_V1_GetOperationRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Operation

    /// Handles "ListOperations".
    ///
    /// Newest first.
    func listOperations(
      request: Onvera_V1_ListOperationsRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_ListOperationsResponse

    /// Handles "WatchOperation".
    ///
    /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
    /// every retained change after it), then an UPDATE for every change, with a
    /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
    /// after the update that makes the operation done. A client that loses the
    /// stream resumes with after_sequence set to the last sequence it saw.
    func watchOperation(
      request: Onvera_V1_WatchOperationRequest,
      response: GRPCCore.RPCWriter<Onvera_V1_OperationEvent>,
      context: GRPCCore.ServerContext
    ) async throws

    /// Handles "WaitOperation".
    ///
    /// Returns when the operation is done or the timeout (or the call's deadline)
    /// passes, whichever is first, with the operation's latest state.
    func waitOperation(
      request: Onvera_V1_WaitOperationRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Operation

    /// Handles "CancelOperation".
    ///
    /// Asks a queued or running operation to stop at the next step boundary.
    /// Best effort: a canceled create releases what it provisioned and leaves the
    /// deployment FAILED with reason OPERATION_CANCELED.
    func cancelOperation(
      request: Onvera_V1_CancelOperationRequest,
      context: GRPCCore.ServerContext
    ) async throws -> Onvera_V1_Operation
  }
}

// Registers every method with its ProtoWire coders.
extension Onvera_V1_OperationService.StreamingServiceProtocol {
  /// Registers a handler for every method of the service with `router`.
  public func registerMethods<Transport>(
    with router: inout GRPCCore.RPCRouter<Transport>
  ) where Transport: GRPCCore.ServerTransport {
    router.registerHandler(
      forMethod: Onvera_V1_OperationService.Method.GetOperation.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_GetOperationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Operation>(),
      handler: { request, context in
        try await self.getOperation(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OperationService.Method.ListOperations.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListOperationsRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_ListOperationsResponse>(),
      handler: { request, context in
        try await self.listOperations(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OperationService.Method.WatchOperation.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_WatchOperationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_OperationEvent>(),
      handler: { request, context in
        try await self.watchOperation(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OperationService.Method.WaitOperation.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_WaitOperationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Operation>(),
      handler: { request, context in
        try await self.waitOperation(request: request, context: context)
      }
    )
    router.registerHandler(
      forMethod: Onvera_V1_OperationService.Method.CancelOperation.descriptor,
      deserializer: ProtoMessageDeserializer<Onvera_V1_CancelOperationRequest>(),
      serializer: ProtoMessageSerializer<Onvera_V1_Operation>(),
      handler: { request, context in
        try await self.cancelOperation(request: request, context: context)
      }
    )
  }
}

// The streaming methods in terms of ServiceProtocol's.
extension Onvera_V1_OperationService.ServiceProtocol {
  /// Handles "GetOperation" by calling the `ServiceProtocol` method.
  public func getOperation(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_GetOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation> {
    let response = try await self.getOperation(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "ListOperations" by calling the `ServiceProtocol` method.
  public func listOperations(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_ListOperationsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_ListOperationsResponse> {
    let response = try await self.listOperations(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "WatchOperation" by calling the `ServiceProtocol` method.
  public func watchOperation(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_WatchOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_OperationEvent> {
    let response = try await self.watchOperation(request: GRPCCore.ServerRequest(stream: request), context: context)
    return response
  }

  /// Handles "WaitOperation" by calling the `ServiceProtocol` method.
  public func waitOperation(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_WaitOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation> {
    let response = try await self.waitOperation(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }

  /// Handles "CancelOperation" by calling the `ServiceProtocol` method.
  public func cancelOperation(
    request: GRPCCore.StreamingServerRequest<Onvera_V1_CancelOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_Operation> {
    let response = try await self.cancelOperation(request: GRPCCore.ServerRequest(stream: request), context: context)
    return GRPCCore.StreamingServerResponse(single: response)
  }
}

// ServiceProtocol's methods in terms of SimpleServiceProtocol's.
extension Onvera_V1_OperationService.SimpleServiceProtocol {
  /// Handles "GetOperation" by calling the `SimpleServiceProtocol` method.
  public func getOperation(
    request: GRPCCore.ServerRequest<Onvera_V1_GetOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation> {
    return GRPCCore.ServerResponse<Onvera_V1_Operation>(
      message: try await self.getOperation(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "ListOperations" by calling the `SimpleServiceProtocol` method.
  public func listOperations(
    request: GRPCCore.ServerRequest<Onvera_V1_ListOperationsRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_ListOperationsResponse> {
    return GRPCCore.ServerResponse<Onvera_V1_ListOperationsResponse>(
      message: try await self.listOperations(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "WatchOperation" by calling the `SimpleServiceProtocol` method.
  public func watchOperation(
    request: GRPCCore.ServerRequest<Onvera_V1_WatchOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.StreamingServerResponse<Onvera_V1_OperationEvent> {
    return GRPCCore.StreamingServerResponse<Onvera_V1_OperationEvent>(
      metadata: [:],
      producer: { writer in
        try await self.watchOperation(request: request.message, response: writer, context: context)
        return [:]
      }
    )
  }

  /// Handles "WaitOperation" by calling the `SimpleServiceProtocol` method.
  public func waitOperation(
    request: GRPCCore.ServerRequest<Onvera_V1_WaitOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation> {
    return GRPCCore.ServerResponse<Onvera_V1_Operation>(
      message: try await self.waitOperation(request: request.message, context: context),
      metadata: [:]
    )
  }

  /// Handles "CancelOperation" by calling the `SimpleServiceProtocol` method.
  public func cancelOperation(
    request: GRPCCore.ServerRequest<Onvera_V1_CancelOperationRequest>,
    context: GRPCCore.ServerContext
  ) async throws -> GRPCCore.ServerResponse<Onvera_V1_Operation> {
    return GRPCCore.ServerResponse<Onvera_V1_Operation>(
      message: try await self.cancelOperation(request: request.message, context: context),
      metadata: [:]
    )
  }
}

// MARK: onvera.v1.OperationService (client)

extension Onvera_V1_OperationService {
  /// The calls of the service; ``Client`` implements it over a `GRPCClient`.
  public protocol ClientProtocol: Sendable {
    /// Calls "GetOperation".
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func getOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "ListOperations".
    ///
    /// Newest first.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func listOperations<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListOperationsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListOperationsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListOperationsResponse>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListOperationsResponse>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "WatchOperation".
    ///
    /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
    /// every retained change after it), then an UPDATE for every change, with a
    /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
    /// after the update that makes the operation done. A client that loses the
    /// stream resumes with after_sequence set to the last sequence it saw.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func watchOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WatchOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WatchOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_OperationEvent>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_OperationEvent>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "WaitOperation".
    ///
    /// Returns when the operation is done or the timeout (or the call's deadline)
    /// passes, whichever is first, with the operation's latest state.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func waitOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WaitOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WaitOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result
    ) async throws -> Result where Result: Sendable

    /// Calls "CancelOperation".
    ///
    /// Asks a queued or running operation to stop at the next step boundary.
    /// Best effort: a canceled create releases what it provisioned and leaves the
    /// deployment FAILED with reason OPERATION_CANCELED.
    ///
    /// `handleResponse` gets the response; its result is returned. Returning from it
    /// cancels the call if it has not finished.
    func cancelOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CancelOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CancelOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result
    ) async throws -> Result where Result: Sendable
  }

  /// The client of the `onvera.v1.OperationService` service, over a `GRPCCore.GRPCClient`
  /// running on any transport (ours over nghttp2, grpc-swift's NIO one, in-process).
  public struct Client<Transport>: ClientProtocol where Transport: GRPCCore.ClientTransport {
    private let client: GRPCCore.GRPCClient<Transport>

    /// A client making its calls through `client`, which must be running its connections.
    public init(wrapping client: GRPCCore.GRPCClient<Transport>) {
      self.client = client
    }

    /// Calls "GetOperation".
    public func getOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_GetOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_GetOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OperationService.Method.GetOperation.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "ListOperations".
    ///
    /// Newest first.
    public func listOperations<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_ListOperationsRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_ListOperationsRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_ListOperationsResponse>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListOperationsResponse>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OperationService.Method.ListOperations.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "WatchOperation".
    ///
    /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
    /// every retained change after it), then an UPDATE for every change, with a
    /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
    /// after the update that makes the operation done. A client that loses the
    /// stream resumes with after_sequence set to the last sequence it saw.
    public func watchOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WatchOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WatchOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_OperationEvent>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_OperationEvent>) async throws -> Result
    ) async throws -> Result where Result: Sendable {
      try await self.client.serverStreaming(
        request: request,
        descriptor: Onvera_V1_OperationService.Method.WatchOperation.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "WaitOperation".
    ///
    /// Returns when the operation is done or the timeout (or the call's deadline)
    /// passes, whichever is first, with the operation's latest state.
    public func waitOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_WaitOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_WaitOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OperationService.Method.WaitOperation.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }

    /// Calls "CancelOperation".
    ///
    /// Asks a queued or running operation to stop at the next step boundary.
    /// Best effort: a canceled create releases what it provisioned and leaves the
    /// deployment FAILED with reason OPERATION_CANCELED.
    public func cancelOperation<Result>(
      request: GRPCCore.ClientRequest<Onvera_V1_CancelOperationRequest>,
      serializer: some GRPCCore.MessageSerializer<Onvera_V1_CancelOperationRequest>,
      deserializer: some GRPCCore.MessageDeserializer<Onvera_V1_Operation>,
      options: GRPCCore.CallOptions = .defaults,
      onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
        try response.message
      }
    ) async throws -> Result where Result: Sendable {
      try await self.client.unary(
        request: request,
        descriptor: Onvera_V1_OperationService.Method.CancelOperation.descriptor,
        serializer: serializer,
        deserializer: deserializer,
        options: options,
        onResponse: handleResponse
      )
    }
  }
}

// The calls with the ProtoWire coders filled in.
extension Onvera_V1_OperationService.ClientProtocol {
  /// Calls "GetOperation" with the ProtoWire coders.
  public func getOperation<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_GetOperationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.getOperation(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_GetOperationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Operation>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "ListOperations" with the ProtoWire coders.
  public func listOperations<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_ListOperationsRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListOperationsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.listOperations(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_ListOperationsRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_ListOperationsResponse>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "WatchOperation" with the ProtoWire coders.
  public func watchOperation<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_WatchOperationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_OperationEvent>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    try await self.watchOperation(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_WatchOperationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_OperationEvent>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "WaitOperation" with the ProtoWire coders.
  public func waitOperation<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_WaitOperationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.waitOperation(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_WaitOperationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Operation>(),
      options: options,
      onResponse: handleResponse
    )
  }

  /// Calls "CancelOperation" with the ProtoWire coders.
  public func cancelOperation<Result>(
    request: GRPCCore.ClientRequest<Onvera_V1_CancelOperationRequest>,
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    try await self.cancelOperation(
      request: request,
      serializer: ProtoMessageSerializer<Onvera_V1_CancelOperationRequest>(),
      deserializer: ProtoMessageDeserializer<Onvera_V1_Operation>(),
      options: options,
      onResponse: handleResponse
    )
  }
}

// The calls taking the request message itself.
extension Onvera_V1_OperationService.ClientProtocol {
  /// Calls "GetOperation" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  public func getOperation<Result>(
    _ message: Onvera_V1_GetOperationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_GetOperationRequest>(message: message, metadata: metadata)
    return try await self.getOperation(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "ListOperations" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Newest first.
  public func listOperations<Result>(
    _ message: Onvera_V1_ListOperationsRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_ListOperationsResponse>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_ListOperationsRequest>(message: message, metadata: metadata)
    return try await self.listOperations(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "WatchOperation" with `message` and `metadata`; `handleResponse` reads the stream.
  ///
  /// Streams an operation: a SNAPSHOT of its state (or, with after_sequence,
  /// every retained change after it), then an UPDATE for every change, with a
  /// HEARTBEAT when nothing changes for a while. The stream ends with OK right
  /// after the update that makes the operation done. A client that loses the
  /// stream resumes with after_sequence set to the last sequence it saw.
  public func watchOperation<Result>(
    _ message: Onvera_V1_WatchOperationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.StreamingClientResponse<Onvera_V1_OperationEvent>) async throws -> Result
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_WatchOperationRequest>(message: message, metadata: metadata)
    return try await self.watchOperation(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "WaitOperation" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Returns when the operation is done or the timeout (or the call's deadline)
  /// passes, whichever is first, with the operation's latest state.
  public func waitOperation<Result>(
    _ message: Onvera_V1_WaitOperationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_WaitOperationRequest>(message: message, metadata: metadata)
    return try await self.waitOperation(request: request, options: options, onResponse: handleResponse)
  }

  /// Calls "CancelOperation" with `message` and `metadata`: the response message is returned unless `handleResponse` says otherwise.
  ///
  /// Asks a queued or running operation to stop at the next step boundary.
  /// Best effort: a canceled create releases what it provisioned and leaves the
  /// deployment FAILED with reason OPERATION_CANCELED.
  public func cancelOperation<Result>(
    _ message: Onvera_V1_CancelOperationRequest,
    metadata: GRPCCore.Metadata = [:],
    options: GRPCCore.CallOptions = .defaults,
    onResponse handleResponse: @Sendable @escaping (GRPCCore.ClientResponse<Onvera_V1_Operation>) async throws -> Result = { response in
      try response.message
    }
  ) async throws -> Result where Result: Sendable {
    let request = GRPCCore.ClientRequest<Onvera_V1_CancelOperationRequest>(message: message, metadata: metadata)
    return try await self.cancelOperation(request: request, options: options, onResponse: handleResponse)
  }
}

import GRPCCore
import GRPCInProcessTransport
import OnveraProto
import OnveraRPC
import Synchronization
import Testing

/// A deployment service over a dictionary, just enough to exercise the
/// generated-shape protocols: it is not the product's service.
final class TestDeploymentService: Onvera_V1_DeploymentService.SimpleServiceProtocol {
  let deployments = Mutex<[String: Onvera_V1_Deployment]>([:])

  func createDeployment(
    request: Onvera_V1_CreateDeploymentRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_CreateDeploymentResponse {
    guard request.appType == .airflow || request.appType == .superset else {
      throw RPCError(
        code: .invalidArgument,
        message: "app_type must be AIRFLOW or SUPERSET",
        errorInfo: Google_Rpc_ErrorInfo(reason: "VALIDATION_ERROR", metadata: ["field": "app_type"])
      )
    }
    var deployment = Onvera_V1_Deployment()
    deployment.name = request.name
    deployment.appType = request.appType
    deployment.status = .provisioning
    let id = deployments.withLock { all in
      deployment.id = "dep_\(all.count + 1)"
      all[deployment.id] = deployment
      return deployment.id
    }
    var response = Onvera_V1_CreateDeploymentResponse()
    response.deploymentID = id
    response.operationID = "op_\(id.dropFirst(4))"
    response.deployment = deployment
    return response
  }

  func getDeployment(request: Onvera_V1_GetDeploymentRequest, context: ServerContext) async throws -> Onvera_V1_Deployment {
    guard let deployment = deployments.withLock({ $0[request.deploymentID] }) else {
      throw RPCError(
        code: .notFound,
        message: "deployment '\(request.deploymentID)' not found",
        errorInfo: Google_Rpc_ErrorInfo(reason: "DEPLOYMENT_NOT_FOUND", metadata: ["deployment_id": request.deploymentID])
      )
    }
    return deployment
  }

  func listDeployments(
    request: Onvera_V1_ListDeploymentsRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_ListDeploymentsResponse {
    throw RPCError(code: .unimplemented, message: "not in this test service")
  }

  func destroyDeployment(
    request: Onvera_V1_DestroyDeploymentRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_DestroyDeploymentResponse {
    throw RPCError(code: .unimplemented, message: "not in this test service")
  }

  /// Every stored deployment as ADDED (sorted by id), then SYNCED, then the stream ends.
  func watchDeployments(
    request: Onvera_V1_WatchDeploymentsRequest,
    response: RPCWriter<Onvera_V1_DeploymentEvent>,
    context: ServerContext
  ) async throws {
    let all = deployments.withLock { $0.values.sorted { $0.id < $1.id } }
    var revision = request.afterRevision
    for deployment in all {
      revision += 1
      var event = Onvera_V1_DeploymentEvent()
      event.kind = .added
      event.deployment = deployment
      event.revision = revision
      try await response.write(event)
    }
    var synced = Onvera_V1_DeploymentEvent()
    synced.kind = .synced
    synced.revision = revision
    try await response.write(synced)
  }
}

/// An operation service on the middle protocol, to check request and response metadata pass through.
struct TestOperationService: Onvera_V1_OperationService.ServiceProtocol {
  func getOperation(
    request: ServerRequest<Onvera_V1_GetOperationRequest>,
    context: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    var operation = Onvera_V1_Operation()
    operation.id = request.message.operationID
    operation.status = .running
    let key = Array(request.metadata[stringValues: "x-api-key"]).first ?? ""
    return ServerResponse(message: operation, metadata: ["x-seen-key": .string(key)], trailingMetadata: ["x-trailer": "t"])
  }

  func listOperations(
    request: ServerRequest<Onvera_V1_ListOperationsRequest>,
    context: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListOperationsResponse> {
    throw RPCError(code: .unimplemented, message: "not in this test service")
  }

  /// `after_sequence + 1 ... after_sequence + 3`, the last one done.
  func watchOperation(
    request: ServerRequest<Onvera_V1_WatchOperationRequest>,
    context: ServerContext
  ) async throws -> StreamingServerResponse<Onvera_V1_OperationEvent> {
    let start = request.message.afterSequence
    let id = request.message.operationID
    return StreamingServerResponse(metadata: ["x-watch": .string(id)]) { writer in
      for sequence in (start + 1)...(start + 3) {
        var event = Onvera_V1_OperationEvent()
        event.sequence = sequence
        event.operation.id = id
        event.operation.status = sequence == start + 3 ? .succeeded : .running
        try await writer.write(event)
      }
      return ["x-events": "3"]
    }
  }

  func waitOperation(
    request: ServerRequest<Onvera_V1_WaitOperationRequest>,
    context: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    throw RPCError(code: .unimplemented, message: "not in this test service")
  }

  func cancelOperation(
    request: ServerRequest<Onvera_V1_CancelOperationRequest>,
    context: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    throw RPCError(code: .unimplemented, message: "not in this test service")
  }
}

@Suite("Generated-shape services over the in-process transport", .timeLimit(.minutes(1)))
struct ServiceRoundTripTests {
  let services: [any RegistrableRPCService] = [TestDeploymentService(), TestOperationService()]

  @Test("unary calls round-trip through Client and SimpleServiceProtocol")
  func unary() async throws {
    try await withInProcessServer(serving: services) { grpc in
      let deployments = Onvera_V1_DeploymentService.Client(wrapping: grpc)
      var create = Onvera_V1_CreateDeploymentRequest()
      create.appType = .superset
      create.name = "My Superset"
      let created = try await deployments.createDeployment(create)
      #expect(created.deploymentID == "dep_1")
      #expect(created.operationID == "op_1")
      #expect(created.deployment.name == "My Superset")

      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = created.deploymentID
      let fetched = try await deployments.getDeployment(get)
      #expect(fetched == created.deployment)
    }
  }

  @Test("server-streaming calls deliver every message in order, then end")
  func serverStreaming() async throws {
    try await withInProcessServer(serving: services) { grpc in
      let deployments = Onvera_V1_DeploymentService.Client(wrapping: grpc)
      for name in ["a", "b"] {
        var create = Onvera_V1_CreateDeploymentRequest()
        create.appType = .airflow
        create.name = name
        _ = try await deployments.createDeployment(create)
      }
      var watch = Onvera_V1_WatchDeploymentsRequest()
      watch.afterRevision = 10
      let events = try await deployments.watchDeployments(watch) { response in
        try await response.messages.reduce(into: []) { $0.append($1) }
      }
      #expect(events.map(\.kind) == [.added, .added, .synced])
      #expect(events.map(\.deployment.name) == ["a", "b", ""])
      #expect(events.map(\.revision) == [11, 12, 12])
    }
  }

  @Test("metadata passes both ways through ServiceProtocol, streaming and unary")
  func metadata() async throws {
    try await withInProcessServer(serving: services) { grpc in
      let operations = Onvera_V1_OperationService.Client(wrapping: grpc)
      var get = Onvera_V1_GetOperationRequest()
      get.operationID = "op_7"
      let response = try await operations.getOperation(get, metadata: ["x-api-key": "onv_sk_live_test"]) { $0 }
      #expect(try response.message.id == "op_7")
      #expect(Array(response.metadata[stringValues: "x-seen-key"]) == ["onv_sk_live_test"])
      #expect(Array(response.trailingMetadata[stringValues: "x-trailer"]) == ["t"])

      var watch = Onvera_V1_WatchOperationRequest()
      watch.operationID = "op_7"
      watch.afterSequence = 4
      let (sequences, header, trailer) = try await operations.watchOperation(watch) { response in
        var sequences: [UInt64] = []
        var trailer = Metadata()
        for try await part in response.bodyParts {
          switch part {
          case .message(let event): sequences.append(event.sequence)
          case .trailingMetadata(let metadata): trailer = metadata
          }
        }
        return (sequences, Array(response.metadata[stringValues: "x-watch"]), Array(trailer[stringValues: "x-events"]))
      }
      #expect(sequences == [5, 6, 7])
      #expect(header == ["op_7"])
      #expect(trailer == ["3"])
    }
  }

  @Test("a request body that is not the method's message is INVALID_ARGUMENT")
  func badRequestBody() async throws {
    try await withInProcessServer(serving: services) { grpc in
      // Field 1 (deployment_id, a string) claiming 100 bytes with 2 present.
      let error = await #expect(throws: RPCError.self) {
        try await grpc.unary(
          request: ClientRequest(message: [0x0A, 0x64, 0x61, 0x62]),
          descriptor: Onvera_V1_DeploymentService.Method.GetDeployment.descriptor,
          serializer: RawBytesSerializer(),
          deserializer: RawBytesDeserializer(),
          options: .defaults
        ) { try $0.message }
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.message.contains("onvera.v1.GetDeploymentRequest") == true, "\(error?.message ?? "")")
    }
  }

  @Test("ErrorInfo thrown by a handler is read back by the client: reason, domain, metadata")
  func errorDetails() async throws {
    try await withInProcessServer(serving: services) { grpc in
      let deployments = Onvera_V1_DeploymentService.Client(wrapping: grpc)
      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = "dep_missing"
      let error = await #expect(throws: RPCError.self) { try await deployments.getDeployment(get) }
      #expect(error?.code == .notFound)
      #expect(error?.message == "deployment 'dep_missing' not found")
      let info = try #require(error?.errorInfo)
      #expect(info.reason == "DEPLOYMENT_NOT_FOUND")
      #expect(info.domain == "onvera.io")
      #expect(info.metadata == ["deployment_id": "dep_missing"])
      #expect(error?.statusDetails?.code == Int32(RPCError.Code.notFound.rawValue))

      let invalid = await #expect(throws: RPCError.self) {
        try await deployments.createDeployment(Onvera_V1_CreateDeploymentRequest())
      }
      #expect(invalid?.code == .invalidArgument)
      #expect(invalid?.errorInfo?.reason == "VALIDATION_ERROR")
      #expect(invalid?.errorInfo?.metadata["field"] == "app_type")
    }
  }

  @Test("a method the server does not serve is UNIMPLEMENTED, and descriptors name the contract's paths")
  func descriptors() async throws {
    #expect(Onvera_V1_DeploymentService.Method.WatchDeployments.descriptor.fullyQualifiedMethod == "onvera.v1.DeploymentService/WatchDeployments")
    #expect(Onvera_V1_DeploymentService.Method.WatchDeployments.descriptor.type == .serverStreaming)
    #expect(Onvera_V1_OperationService.Method.WatchOperation.descriptor.type == .serverStreaming)
    #expect(Onvera_V1_DeploymentService.Method.descriptors.count == 5)
    #expect(Onvera_V1_OperationService.Method.descriptors.count == 5)
    #expect(Onvera_V1_EnvironmentService.Method.descriptors.count == 3)
    #expect(Onvera_V1_OrganizationService.Method.descriptors.count == 8)
    #expect(ServiceDescriptor.onvera_V1_OrganizationService.fullyQualifiedService == "onvera.v1.OrganizationService")
    try await withInProcessServer(serving: services) { grpc in
      let environments = Onvera_V1_EnvironmentService.Client(wrapping: grpc)
      let error = await #expect(throws: RPCError.self) {
        try await environments.listEnvironments(Onvera_V1_ListEnvironmentsRequest())
      }
      #expect(error?.code == .unimplemented)
    }
  }
}

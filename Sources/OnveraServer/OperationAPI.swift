public import GRPCCore
public import OnveraProto
public import OnveraRPC
import Orchestrator

/// `onvera.v1.OperationService` on the orchestrator.
public struct OperationAPI: Onvera_V1_OperationService.ServiceProtocol {
  let context: APIContext

  init(context: APIContext) { self.context = context }

  public func getOperation(
    request: ServerRequest<Onvera_V1_GetOperationRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .operationsRead)
    let id = try requireID(request.message.operationID, field: "operation_id", prefix: "op_")
    let op = try await mapped { try await context.orchestrator.operation(organizationID: caller.organizationID, id: id) }
    return ServerResponse(message: op)
  }

  public func listOperations(
    request: ServerRequest<Onvera_V1_ListOperationsRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListOperationsResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .operationsRead)
    let m = request.message
    let limit = try pageSize(m.pageSize)
    let filters = "status=\(m.status.rawValue)|type=\(m.type.rawValue)|resource=\(m.resourceID)"
    let before = try m.pageToken.isEmpty
      ? nil
      : context.pageTokens.cursor(from: m.pageToken, list: "operations", organizationID: caller.organizationID, filters: filters)
    let page = await context.orchestrator.listOperations(
      organizationID: caller.organizationID,
      filter: OperationFilter(status: m.status, type: m.type, resourceID: m.resourceID), before: before, limit: limit)
    var response = Onvera_V1_ListOperationsResponse()
    response.operations = page.items
    response.totalSize = Int32(clamping: page.totalSize)
    if let next = page.nextCursor {
      response.nextPageToken = context.pageTokens.make(
        list: "operations", organizationID: caller.organizationID, filters: filters, cursor: next)
    }
    return ServerResponse(message: response)
  }

  public func watchOperation(
    request: ServerRequest<Onvera_V1_WatchOperationRequest>, context rpc: ServerContext
  ) async throws -> StreamingServerResponse<Onvera_V1_OperationEvent> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .operationsRead)
    let m = request.message
    let id = try requireID(m.operationID, field: "operation_id", prefix: "op_")
    let watch = try await mapped {
      try await context.orchestrator.watchOperation(organizationID: caller.organizationID, id: id, afterSequence: m.afterSequence)
    }
    return StreamingServerResponse { writer in
      try await untilRPCCancelled(rpc, shutdown: context.shutdown) {
        try await mapped {
          for try await event in watch { try await writer.write(event) }
        }
      }
      return [:]
    }
  }

  public func waitOperation(
    request: ServerRequest<Onvera_V1_WaitOperationRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .operationsRead)
    let m = request.message
    let id = try requireID(m.operationID, field: "operation_id", prefix: "op_")
    var timeout: Duration? = nil
    if m.hasTimeout {
      let t = m.timeout
      guard t.seconds >= 0, t.seconds <= Google_Protobuf_Duration.maxSeconds, t.nanos >= 0, t.nanos < 1_000_000_000
      else {
        throw APIError.validation(
          "timeout must be between 0 and \(Google_Protobuf_Duration.maxSeconds) seconds with nanos in 0...999999999, "
            + "got \(t.seconds)s \(t.nanos)ns", field: "timeout")
      }
      // Longer than a day is "until the call's deadline" in practice; keeps the clock arithmetic small.
      timeout = min(.seconds(t.seconds) + .nanoseconds(Int64(t.nanos)), .seconds(86_400))
    }
    let orchestrator = context.orchestrator
    let organizationID = caller.organizationID
    let limit = timeout
    let op = try await untilRPCCancelled(rpc, shutdown: context.shutdown) {
      try await mapped { try await orchestrator.waitOperation(organizationID: organizationID, id: id, timeout: limit) }
    }
    return ServerResponse(message: op)
  }

  public func cancelOperation(
    request: ServerRequest<Onvera_V1_CancelOperationRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Operation> {
    // The scope depends on the operation's kind, so look it up first (as the caller's organization).
    let caller = try await context.auth.authenticate(request.metadata, requiring: nil)
    let id = try requireID(request.message.operationID, field: "operation_id", prefix: "op_")
    let op = try await mapped { try await context.orchestrator.operation(organizationID: caller.organizationID, id: id) }
    let needed: Scope
    switch op.type {
    case .deploymentCreate: needed = .deploymentsWrite
    case .deploymentDestroy: needed = .deploymentsDelete
    default: needed = .orgAdmin
    }
    if !caller.scopes.contains(needed.rawValue) {
      throw APIError(
        code: .permissionDenied, reason: "INSUFFICIENT_SCOPE",
        message: "canceling a \(op.type.protoName ?? "") operation needs the scope '\(needed.rawValue)', which the API key \(caller.keyID) does not have",
        metadata: ["required_scope": needed.rawValue, "key_id": caller.keyID])
    }
    let canceled = try await mapped { try await context.orchestrator.cancelOperation(organizationID: caller.organizationID, id: id) }
    return ServerResponse(message: canceled)
  }
}

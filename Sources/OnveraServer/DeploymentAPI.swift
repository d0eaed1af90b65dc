public import GRPCCore
public import OnveraProto
public import OnveraRPC
import Orchestrator

/// `onvera.v1.DeploymentService` on the orchestrator.
public struct DeploymentAPI: Onvera_V1_DeploymentService.ServiceProtocol {
  let context: APIContext

  init(context: APIContext) { self.context = context }

  public func createDeployment(
    request: ServerRequest<Onvera_V1_CreateDeploymentRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_CreateDeploymentResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .deploymentsWrite)
    let m = request.message
    switch m.appType {
    case .airflow, .superset: break
    default:
      throw APIError.validation(
        "app_type must be APP_TYPE_AIRFLOW or APP_TYPE_SUPERSET, got \(m.appType.protoName ?? String(m.appType.rawValue))",
        field: "app_type")
    }
    if !m.requestID.isEmpty { try validateRequestID(m.requestID) }
    let command = CreateDeploymentCommand(
      organizationID: caller.organizationID, appType: m.appType, name: m.name,
      environmentID: m.environmentID.isEmpty ? "env_default" : m.environmentID, requestID: m.requestID,
      validateOnly: m.validateOnly)
    let created = try await mapped { try await context.orchestrator.createDeployment(command) }
    var response = Onvera_V1_CreateDeploymentResponse()
    response.deployment = created.deployment
    response.deploymentID = created.deployment.id
    if !m.validateOnly {
      response.operation = created.operation
      response.operationID = created.operation.id
    }
    return ServerResponse(message: response)
  }

  public func getDeployment(
    request: ServerRequest<Onvera_V1_GetDeploymentRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Deployment> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .deploymentsRead)
    let id = try requireID(request.message.deploymentID, field: "deployment_id", prefix: "dep_")
    let deployment = try await mapped { try await context.orchestrator.deployment(organizationID: caller.organizationID, id: id) }
    return ServerResponse(message: deployment)
  }

  public func listDeployments(
    request: ServerRequest<Onvera_V1_ListDeploymentsRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListDeploymentsResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .deploymentsRead)
    let m = request.message
    let limit = try pageSize(m.pageSize)
    let filters = "env=\(m.environmentID)|app=\(m.appType.rawValue)|status=\(m.status.rawValue)|destroyed=\(m.showDestroyed)"
    let before = try m.pageToken.isEmpty
      ? nil
      : context.pageTokens.cursor(from: m.pageToken, list: "deployments", organizationID: caller.organizationID, filters: filters)
    let filter = DeploymentFilter(
      environmentID: m.environmentID, appType: m.appType, status: m.status, showDestroyed: m.showDestroyed)
    let page = await context.orchestrator.listDeployments(
      organizationID: caller.organizationID, filter: filter, before: before, limit: limit)
    var response = Onvera_V1_ListDeploymentsResponse()
    response.deployments = page.items
    response.totalSize = Int32(clamping: page.totalSize)
    if let next = page.nextCursor {
      response.nextPageToken = context.pageTokens.make(
        list: "deployments", organizationID: caller.organizationID, filters: filters, cursor: next)
    }
    return ServerResponse(message: response)
  }

  public func destroyDeployment(
    request: ServerRequest<Onvera_V1_DestroyDeploymentRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_DestroyDeploymentResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .deploymentsDelete)
    let m = request.message
    let id = try requireID(m.deploymentID, field: "deployment_id", prefix: "dep_")
    if !m.requestID.isEmpty { try validateRequestID(m.requestID) }
    let operation = try await mapped {
      try await context.orchestrator.destroyDeployment(
        organizationID: caller.organizationID, id: id, etag: m.etag, requestID: m.requestID)
    }
    var response = Onvera_V1_DestroyDeploymentResponse()
    response.operationID = operation.id
    response.operation = operation
    return ServerResponse(message: response)
  }

  public func watchDeployments(
    request: ServerRequest<Onvera_V1_WatchDeploymentsRequest>, context rpc: ServerContext
  ) async throws -> StreamingServerResponse<Onvera_V1_DeploymentEvent> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .deploymentsRead)
    let m = request.message
    let watch = try await mapped {
      try await context.orchestrator.watchDeployments(
        organizationID: caller.organizationID, afterRevision: m.afterRevision, environmentID: m.environmentID)
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
}

/// What every service needs: the orchestrator, auth and page tokens.
struct APIContext: Sendable {
  let orchestrator: Orchestrator
  let auth: Authenticator
  let pageTokens: PageTokens
  let shutdown: ShutdownSignal
}

/// A required id with its prefix, or INVALID_ARGUMENT naming the field.
func requireID(_ id: String, field: String, prefix: String) throws -> String {
  guard !id.isEmpty else {
    throw APIError.validation("\(field) is required (\(prefix)...)", field: field)
  }
  guard id.hasPrefix(prefix), id.utf8.count <= 100 else {
    throw APIError.validation("\(field) must look like \(prefix)<uuid>, got '\(id.prefix(100))'", field: field)
  }
  return id
}

/// Request ids are UUIDs (8-4-4-4-12 hex digits).
func validateRequestID(_ id: String) throws {
  let groups = id.split(separator: "-", omittingEmptySubsequences: false)
  let valid = groups.map(\.count) == [8, 4, 4, 4, 12]
    && groups.allSatisfy { $0.allSatisfy { $0.isHexDigit } }
  if !valid {
    throw APIError.validation("request_id must be a UUID such as 3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f7a8b, got '\(id.prefix(100))'", field: "request_id")
  }
}

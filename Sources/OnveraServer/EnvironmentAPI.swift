public import GRPCCore
public import OnveraProto
public import OnveraRPC
import Orchestrator

/// `onvera.v1.EnvironmentService` on the orchestrator.
public struct EnvironmentAPI: Onvera_V1_EnvironmentService.ServiceProtocol {
  let context: APIContext

  init(context: APIContext) { self.context = context }

  public func listEnvironments(
    request: ServerRequest<Onvera_V1_ListEnvironmentsRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_ListEnvironmentsResponse> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgRead)
    let m = request.message
    let limit = try pageSize(m.pageSize)
    let all = await context.orchestrator.environments(organizationID: caller.organizationID)
    var response = Onvera_V1_ListEnvironmentsResponse()
    (response.environments, response.nextPageToken) = try context.pageTokens.page(
      all, token: m.pageToken, list: "environments", organizationID: caller.organizationID, limit: limit)
    return ServerResponse(message: response)
  }

  public func getEnvironment(
    request: ServerRequest<Onvera_V1_GetEnvironmentRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Environment> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: .orgRead)
    let id = try requireID(request.message.environmentID, field: "environment_id", prefix: "env_")
    let env = try await mapped { try await context.orchestrator.environment(organizationID: caller.organizationID, id: id) }
    return ServerResponse(message: env)
  }

  public func createEnvironment(
    request: ServerRequest<Onvera_V1_CreateEnvironmentRequest>, context rpc: ServerContext
  ) async throws -> ServerResponse<Onvera_V1_Environment> {
    let caller = try await context.auth.authenticate(request.metadata, requiring: nil)
    guard caller.isPlatformAdmin else {
      throw APIError(
        code: .permissionDenied, reason: "PLATFORM_ADMIN_REQUIRED",
        message: "CreateEnvironment is for platform administrators only (the server's admin key)")
    }
    let m = request.message
    let org = try requireID(m.organizationID, field: "organization_id", prefix: "org_")
    switch m.isolationLevel {
    case .shared, .dedicated, .dedicatedNetworking, .byoc: break
    default:
      throw APIError.validation(
        "isolation_level must be SHARED, DEDICATED, DEDICATED_NETWORKING or BYOC, got \(m.isolationLevel.protoName ?? String(m.isolationLevel.rawValue))",
        field: "isolation_level")
    }
    let env = try await mapped {
      try await context.orchestrator.createEnvironment(organizationID: org, name: m.name, isolationLevel: m.isolationLevel)
    }
    return ServerResponse(message: env)
  }
}

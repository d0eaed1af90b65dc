import GRPCCore
import OnveraProto
import OnveraRPC

/// A stand-in for the environment service, not the product's: it lets grpcio
/// stubs generated from proto/ call a service written on OnveraRPC's
/// hand-written descriptors, over our transport, and read the ErrorInfo of a failure.
struct StandInEnvironmentService: Onvera_V1_EnvironmentService.SimpleServiceProtocol {
  static var defaultEnvironment: Onvera_V1_Environment {
    var environment = Onvera_V1_Environment()
    environment.id = "env_default"
    environment.name = "Default"
    environment.slug = "default"
    environment.systemOwned = true
    return environment
  }

  func listEnvironments(
    request: Onvera_V1_ListEnvironmentsRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_ListEnvironmentsResponse {
    var response = Onvera_V1_ListEnvironmentsResponse()
    response.environments = [Self.defaultEnvironment]
    return response
  }

  func getEnvironment(
    request: Onvera_V1_GetEnvironmentRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_Environment {
    guard request.environmentID == "env_default" else {
      throw RPCError(
        code: .notFound,
        message: "environment '\(request.environmentID)' not found",
        errorInfo: Google_Rpc_ErrorInfo(reason: "ENVIRONMENT_NOT_FOUND", metadata: ["environment_id": request.environmentID])
      )
    }
    return Self.defaultEnvironment
  }

  func createEnvironment(
    request: Onvera_V1_CreateEnvironmentRequest,
    context: ServerContext
  ) async throws -> Onvera_V1_Environment {
    throw RPCError(code: .unimplemented, message: "the stand-in does not create environments")
  }
}

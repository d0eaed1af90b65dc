import Foundation
import GRPCCore
import GRPCInProcessTransport
import OnveraProto
import OnveraRPC
@testable import OnveraServer
import Orchestrator

/// The real API services on a real orchestrator and store (in a temporary
/// directory), served over GRPCCore's in-process transport.
struct APIHarness {
  let client: GRPCClient<InProcessTransport.Client>
  let orchestrator: Orchestrator
  /// The owner key of the first organization.
  let key: String
  let organizationID: String
  let adminKey: String

  var deployments: Onvera_V1_DeploymentService.Client<InProcessTransport.Client> { .init(wrapping: client) }
  var operations: Onvera_V1_OperationService.Client<InProcessTransport.Client> { .init(wrapping: client) }
  var environments: Onvera_V1_EnvironmentService.Client<InProcessTransport.Client> { .init(wrapping: client) }
  var organizations: Onvera_V1_OrganizationService.Client<InProcessTransport.Client> { .init(wrapping: client) }

  /// Metadata carrying `key` (the owner key by default).
  func auth(_ key: String? = nil) -> Metadata {
    var metadata = Metadata()
    metadata.addString(key ?? self.key, forKey: "x-api-key")
    return metadata
  }

  /// Runs `body` against a fresh server; everything is torn down afterwards.
  static func with<R: Sendable>(
    stepDuration: Duration = .milliseconds(1),
    failures: [SimulatedProvisioner.FailureInjection] = [],
    rateLimit: Authenticator.RateLimit = .init(requestsPerSecond: 100_000, burst: 100_000),
    _ body: @Sendable (APIHarness) async throws -> R
  ) async throws -> R {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onvera-api-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    var simulation = SimulatedProvisioner.Configuration()
    simulation.stepDuration = stepDuration
    simulation.jitter = 0
    simulation.failures = failures
    let orchestrator = try Orchestrator.open(
      dataDirectory: directory.path, provisioner: SimulatedProvisioner(configuration: simulation))
    let adminKey = Authenticator.newSecret()
    let (org, _, key) = try await OrganizationAPI.createOrganization(orchestrator, name: "Acme", ownerEmail: "owner@acme.test")
    let shutdown = ShutdownSignal()
    let services = APIServer.apiServices(
      orchestrator: orchestrator, adminKey: adminKey, pageTokenKey: Array("test page token key".utf8),
      rateLimit: rateLimit, shutdown: shutdown)
    let transport = InProcessTransport()
    let server = GRPCServer(transport: transport.server, services: services)
    let client = GRPCClient(transport: transport.client)
    let harness = APIHarness(
      client: client, orchestrator: orchestrator, key: key, organizationID: org.id, adminKey: adminKey)
    let result: Result<R, any Error> = await withTaskGroup(of: Void.self) { group in
      group.addTask { await orchestrator.run() }
      group.addTask { try? await server.serve() }
      group.addTask { try? await client.runConnections() }
      let result: Result<R, any Error>
      do {
        result = .success(try await body(harness))
      } catch {
        result = .failure(error)
      }
      shutdown.fire()
      client.beginGracefulShutdown()
      server.beginGracefulShutdown()
      orchestrator.beginGracefulShutdown()
      await group.waitForAll()
      return result
    }
    await orchestrator.close()
    return try result.get()
  }

  /// Creates a deployment and returns the response.
  func create(
    _ app: Onvera_V1_AppType = .superset, name: String = "", requestID: String = "", key: String? = nil
  ) async throws -> Onvera_V1_CreateDeploymentResponse {
    var request = Onvera_V1_CreateDeploymentRequest()
    request.appType = app
    request.name = name
    request.requestID = requestID
    return try await deployments.createDeployment(request, metadata: auth(key))
  }

  /// Waits for an operation to finish.
  func wait(_ operationID: String, key: String? = nil) async throws -> Onvera_V1_Operation {
    var request = Onvera_V1_WaitOperationRequest()
    request.operationID = operationID
    return try await operations.waitOperation(request, metadata: auth(key))
  }

  /// A new key of the organization with `scopes`.
  func key(scopes: [String], expire: Google_Protobuf_Timestamp? = nil) async throws -> Onvera_V1_CreateApiKeyResponse {
    var request = Onvera_V1_CreateApiKeyRequest()
    request.name = "test key"
    request.scopes = scopes
    if let expire { request.expireTime = expire }
    return try await organizations.createApiKey(request, metadata: auth())
  }
}

/// The ErrorInfo reason of a failed call, with its status code.
func failure(_ body: () async throws -> Void) async -> (code: RPCError.Code, reason: String, message: String)? {
  do {
    try await body()
    return nil
  } catch let error as RPCError {
    return (error.code, error.errorInfo?.reason ?? "<no ErrorInfo>", error.message)
  } catch {
    return (.unknown, "<not an RPCError: \(error)>", "")
  }
}

import GRPCCore
import ProtoWire
import OnveraStandardServices
import Testing

@Suite("grpc.health.v1.Health", .timeLimit(.minutes(1)))
struct HealthServiceTests {
  static let deployments = "onvera.v1.DeploymentService"

  static func check(
    _ client: Grpc_Health_V1_Health.Client<some ClientTransport>, _ service: String
  ) async throws -> Grpc_Health_V1_HealthCheckResponse.ServingStatus {
    let response = try await client.check(Grpc_Health_V1_HealthCheckRequest(service: service))
    return response.status
  }

  @Test("Check: NOT_SERVING while starting, SERVING once set, NOT_FOUND for an unknown service")
  func check() async throws {
    let health = HealthService(services: [Self.deployments])
    try await withInProcessServer(serving: [health]) { grpc async throws in
      let client = Grpc_Health_V1_Health.Client(wrapping: grpc)
      #expect(try await Self.check(client, "") == .notServing)
      #expect(try await Self.check(client, Self.deployments) == .notServing)

      health.setStatus(.serving, forService: Self.deployments)
      #expect(try await Self.check(client, Self.deployments) == .serving)
      #expect(try await Self.check(client, "") == .notServing)
      health.setStatusOfAllServices(.serving)
      #expect(try await Self.check(client, "") == .serving)

      let error = await #expect(throws: RPCError.self) { try await Self.check(client, "no.such.Service") }
      #expect(error?.code == .notFound)
    }
  }

  @Test("Watch: the current status at once, then each change; shutdown sends NOT_SERVING and ends with UNAVAILABLE")
  func watch() async throws {
    let health = HealthService(services: [Self.deployments])
    try await withInProcessServer(serving: [health]) { grpc async throws in
      let client = Grpc_Health_V1_Health.Client(wrapping: grpc)
      let (statuses, outcome) = try await client.watch(.init(service: Self.deployments)) { response in
        var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
        do {
          for try await message in response.messages {
            statuses.append(message.status)
            // Each change is made only after the previous status arrived, so none is coalesced.
            switch statuses.count {
            case 1: health.setStatus(.serving, forService: Self.deployments)
            case 2:
              health.setStatus(.serving, forService: Self.deployments)  // unchanged: not sent again
              health.setStatus(.serving, forService: "other.Service")  // another service: not sent
              health.setStatus(.notServing, forService: Self.deployments)
            case 3: health.setStatus(.serving, forService: Self.deployments)
            default: health.beginShutdown()
            }
          }
          return (statuses, RPCError.Code?.none)
        } catch let error as RPCError {
          return (statuses, error.code)
        }
      }
      #expect(statuses == [.notServing, .serving, .notServing, .serving, .notServing])
      #expect(outcome == .unavailable)
      // Frozen once shutting down.
      health.setStatus(.serving, forService: Self.deployments)
      #expect(health.status(forService: Self.deployments) == .notServing)
    }
  }

  @Test("Watch of an unknown service: SERVICE_UNKNOWN, then its status once it appears")
  func watchUnknown() async throws {
    let health = HealthService()
    try await withInProcessServer(serving: [health]) { grpc async throws in
      let client = Grpc_Health_V1_Health.Client(wrapping: grpc)
      let statuses = try await client.watch(.init(service: "late.Service")) { response in
        var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
        for try await message in response.messages {
          statuses.append(message.status)
          if statuses.count == 1 { health.setStatus(.serving, forService: "late.Service") } else { break }
        }
        return statuses
      }
      #expect(statuses == [.serviceUnknown, .serving])
    }
  }

  @Test("Watch after shutdown began: NOT_SERVING, then UNAVAILABLE")
  func watchAfterShutdown() async throws {
    let health = HealthService(services: [Self.deployments], status: .serving)
    health.beginShutdown()
    try await withInProcessServer(serving: [health]) { grpc async throws in
      let client = Grpc_Health_V1_Health.Client(wrapping: grpc)
      let error = await #expect(throws: RPCError.self) {
        try await client.watch(.init(service: Self.deployments)) { response in
          var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
          do {
            for try await message in response.messages { statuses.append(message.status) }
          } catch {
            #expect(statuses == [.notServing])
            throw error
          }
        }
      }
      #expect(error?.code == .unavailable)
    }
  }

  @Test("health messages encode as health.proto says (golden bytes)")
  func golden() throws {
    #expect(Grpc_Health_V1_HealthCheckRequest(service: "a.B").serializedBytes() == [0x0A, 0x03, 0x61, 0x2E, 0x42])
    #expect(Grpc_Health_V1_HealthCheckResponse(status: .notServing).serializedBytes() == [0x08, 0x02])
    #expect(try Grpc_Health_V1_HealthCheckResponse(serializedBytes: [0x08, 0x03]).status == .serviceUnknown)
  }
}

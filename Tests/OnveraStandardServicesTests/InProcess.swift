import GRPCCore
import GRPCInProcessTransport

/// Runs `services` on an in-process server, hands `body` a client connected to
/// it, and shuts both down when `body` returns or throws.
func withInProcessServer<Result: Sendable>(
  serving services: [any RegistrableRPCService],
  _ body: @Sendable (GRPCClient<InProcessTransport.Client>) async throws -> Result
) async throws -> Result {
  let transport = InProcessTransport()
  let server = GRPCServer(transport: transport.server, services: services)
  let client = GRPCClient(transport: transport.client)
  return try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.serve() }
    group.addTask { try await client.runConnections() }
    defer {
      client.beginGracefulShutdown()
      server.beginGracefulShutdown()
    }
    let result = try await body(client)
    return result
  }
}


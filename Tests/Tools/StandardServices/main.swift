import Dispatch
import GRPCCore
import GRPCNghttp2Transport
import OnveraStandardServices
#if canImport(Glibc)
import Glibc
#endif

// onvera-standard-services: health and reflection on our transport, with a
// stand-in EnvironmentService, for checks with real clients (grpcio's health
// stub and reflection client, grpcio stubs generated from proto/).
//   onvera-standard-services [--host H] [--port P]
// Prints "listening on HOST:PORT" once bound. The server as a whole ("") is
// SERVING from then on; onvera.v1.DeploymentService stays NOT_SERVING, as it
// would while the server is still starting. SIGTERM: health goes NOT_SERVING,
// then a graceful shutdown.
var host = "127.0.0.1"
var port = 0
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
  let value = args.popFirst() ?? ""
  switch arg {
  case "--host": host = value
  case "--port": port = Int(value) ?? 0
  default:
    print("unknown argument \(arg)")
    exit(2)
  }
}

let health = HealthService(services: ["onvera.v1.DeploymentService"])
let reflection = try ReflectionService()
let transport = Nghttp2ServerTransport(host: host, port: port)
let server = GRPCServer(transport: transport, services: [health, reflection, StandInEnvironmentService()])
signal(SIGTERM, SIG_IGN)
let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
sigterm.setEventHandler { @Sendable in
  health.beginShutdown()
  server.beginGracefulShutdown()
}
sigterm.resume()
try await withThrowingDiscardingTaskGroup { group in
  group.addTask { try await server.serve() }
  let address = try await transport.listeningAddress
  health.setStatus(.serving, forService: "")
  print("listening on \(address)")
  fflush(nil)
}

import GRPCCore
import Dispatch
import GRPCNghttp2Transport
#if canImport(Glibc)
import Glibc
#endif

// onvera-echo: the echo test service on our transport.
//   onvera-echo [--host H] [--port P] [--max-receive BYTES] [--idle-timeout-ms MS] [--max-streams N]
// Prints "listening on HOST:PORT" once bound.
//   onvera-echo client HOST:PORT [CASE]
// Runs the client interop cases against an echo server; exits 1 if any fails.
if CommandLine.arguments.count >= 3 && CommandLine.arguments[1] == "client" {
  // ONVERA_SKIP: comma-separated case names to skip (known deviations of a peer server).
  let skipped = Set((getenv("ONVERA_SKIP").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
  let target = CommandLine.arguments[2]
  guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
    print("bad target \(target)")
    exit(2)
  }
  let only = CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : nil
  let transport = Nghttp2ClientTransport(host: String(target[..<colon]), port: port)
  let failed = try await ClientCases.run(transport: transport, only: only, skip: skipped)
  exit(failed == 0 ? 0 : 1)
}

var host = "127.0.0.1"
var port = 0
var configuration = Nghttp2ServerTransport.Configuration()
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
  let value = args.popFirst() ?? ""
  switch arg {
  case "--host": host = value
  case "--port": port = Int(value) ?? 0
  case "--max-receive": configuration.maxReceiveMessageBytes = Int(value) ?? configuration.maxReceiveMessageBytes
  case "--idle-timeout-ms": configuration.idleTimeout = .milliseconds(Int(value) ?? 300_000)
  case "--max-streams": configuration.maxConcurrentStreams = Int(value) ?? configuration.maxConcurrentStreams
  default:
    print("unknown argument \(arg)")
    exit(2)
  }
}

let transport = Nghttp2ServerTransport(host: host, port: port, configuration: configuration)
let server = GRPCServer(transport: transport, services: [EchoService()])
// SIGTERM starts a graceful shutdown (two-phase GOAWAY); the process exits once connections drain.
signal(SIGTERM, SIG_IGN)
let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
sigterm.setEventHandler { @Sendable in server.beginGracefulShutdown() }
sigterm.resume()
try await withThrowingDiscardingTaskGroup { group in
  group.addTask { try await server.serve() }
  let address = try await transport.listeningAddress
  print("listening on \(address)")
  fflush(nil)  // flushes every stream, stdout included
}

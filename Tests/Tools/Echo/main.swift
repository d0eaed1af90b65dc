import GRPCCore
import Dispatch
import GRPCNghttp2Transport
#if canImport(Glibc)
import Glibc
#endif

// onvera-echo: the echo test service on our transport.
//   onvera-echo [--host H] [--port P] [--max-receive BYTES] [--idle-timeout-ms MS] [--max-streams N]
//               [--tls-cert F --tls-key F [--tls-client-ca F]]
// Prints "listening on HOST:PORT" once bound. SIGHUP reloads the TLS certificate files.
//   onvera-echo client HOST:PORT [CASE] [--tls] [--ca-cert F] [--server-name N] [--tls-cert F --tls-key F]
// Runs the client interop cases against an echo server; exits 1 if any fails.
if CommandLine.arguments.count >= 3 && CommandLine.arguments[1] == "client" {
  // ONVERA_SKIP: comma-separated case names to skip (known deviations of a peer server).
  let skipped = Set((getenv("ONVERA_SKIP").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
  var positional: [String] = []
  var tls = false
  var caCert: String?
  var serverName: String?
  var clientCert: String?
  var clientKey: String?
  var rest = CommandLine.arguments.dropFirst(2)
  while let arg = rest.popFirst() {
    switch arg {
    case "--tls": tls = true
    case "--ca-cert": caCert = rest.popFirst(); tls = true
    case "--server-name": serverName = rest.popFirst()
    case "--tls-cert": clientCert = rest.popFirst()
    case "--tls-key": clientKey = rest.popFirst()
    default: positional.append(arg)
    }
  }
  let target = positional[0]
  guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
    print("bad target \(target)")
    exit(2)
  }
  let only = positional.count > 1 ? positional[1] : nil
  var clientConfiguration = Nghttp2ClientTransport.Configuration()
  if tls {
    clientConfiguration.tls = .client(
      trustRoots: caCert.map { .file($0) } ?? .system, serverName: serverName,
      certificateChain: clientCert, privateKey: clientKey)
  }
  let transport = Nghttp2ClientTransport(
    host: String(target[..<colon]), port: port, configuration: clientConfiguration)
  let failed = try await ClientCases.run(transport: transport, only: only, skip: skipped)
  exit(failed == 0 ? 0 : 1)
}

var host = "127.0.0.1"
var port = 0
var configuration = Nghttp2ServerTransport.Configuration()
var tlsCert: String?
var tlsKey: String?
var tlsClientCA: String?
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
  let value = args.popFirst() ?? ""
  switch arg {
  case "--host": host = value
  case "--port": port = Int(value) ?? 0
  case "--max-receive": configuration.maxReceiveMessageBytes = Int(value) ?? configuration.maxReceiveMessageBytes
  case "--idle-timeout-ms": configuration.idleTimeout = .milliseconds(Int(value) ?? 300_000)
  case "--max-streams": configuration.maxConcurrentStreams = Int(value) ?? configuration.maxConcurrentStreams
  case "--tls-cert": tlsCert = value
  case "--tls-key": tlsKey = value
  case "--tls-client-ca": tlsClientCA = value
  default:
    print("unknown argument \(arg)")
    exit(2)
  }
}

if let tlsCert, let tlsKey {
  var tls = TLSConfiguration.server(certificateChain: tlsCert, privateKey: tlsKey, clientCA: tlsClientCA)
  tls.onHandshakeFailure = { error in
    print("refused: \(error.message)")
    fflush(nil)
  }
  configuration.tls = tls
} else if tlsCert != nil || tlsKey != nil {
  print("--tls-cert and --tls-key go together")
  exit(2)
}

let transport = Nghttp2ServerTransport(host: host, port: port, configuration: configuration)
let server = GRPCServer(transport: transport, services: [EchoService()])
// SIGTERM starts a graceful shutdown (two-phase GOAWAY); the process exits once connections drain.
signal(SIGTERM, SIG_IGN)
let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
sigterm.setEventHandler { @Sendable in server.beginGracefulShutdown() }
sigterm.resume()
signal(SIGHUP, SIG_IGN)
let sighup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
sighup.setEventHandler { @Sendable in
  do {
    try transport.reloadCertificates()
    print("reloaded certificates")
  } catch {
    print("reload failed: \(error)")
  }
  fflush(nil)
}
if configuration.tls != nil { sighup.resume() }
do {
  try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    let address = try await transport.listeningAddress
    print("listening on \(address)")
    fflush(nil)  // flushes every stream, stdout included
  }
} catch {
  print("onvera-echo: \(error)")
  exit(1)
}

import GRPCCore
import GRPCNIOTransportHTTP2

#if canImport(Glibc)
import Glibc
#endif

// nio-interop serve [PORT [MAX-STREAMS [CERT KEY]]]
//                                the echo service on grpc-swift's NIO transport (port 0),
//                                with TLS (NIOSSL) when given a PEM certificate and key;
//                                prints "listening on 127.0.0.1:PORT"
// nio-interop client HOST:PORT [CASE]
//                                the client interop cases on grpc-swift's NIO transport
let arguments = CommandLine.arguments
if arguments.count >= 2 && arguments[1] == "serve" {
  var config = HTTP2ServerTransport.Posix.Config.defaults
  config.compression.enabledAlgorithms = .all
  if arguments.count > 3, let maxStreams = Int(arguments[3]) {
    config.http2.maxConcurrentStreams = maxStreams
  }
  var security = HTTP2ServerTransport.Posix.TransportSecurity.plaintext
  if arguments.count > 5 {
    security = .tls(
      certificateChain: [.file(path: arguments[4], format: .pem)], privateKey: .file(path: arguments[5], format: .pem))
  }
  let transport = HTTP2ServerTransport.Posix(
    address: .ipv4(host: "127.0.0.1", port: arguments.count > 2 ? Int(arguments[2]) ?? 0 : 0),
    transportSecurity: security, config: config)
  let server = GRPCServer(transport: transport, services: [EchoService()])
  try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    guard let address = try await transport.listeningAddress.ipv4 else {
      print("not listening on IPv4")
      exit(1)
    }
    print("listening on \(address.host):\(address.port)")
    fflush(nil)
  }
} else if arguments.count >= 3 && arguments[1] == "client" {
  // ONVERA_SKIP: comma-separated case names to skip (known deviations of a peer server).
  let skipped = Set((getenv("ONVERA_SKIP").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
  let target = arguments[2]
  guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
    print("bad target \(target)")
    exit(2)
  }
  var config = HTTP2ClientTransport.Posix.Config.defaults
  config.compression.enabledAlgorithms = .all
  let transport = try HTTP2ClientTransport.Posix(
    target: .ipv4(address: String(target[..<colon]), port: port), transportSecurity: .plaintext, config: config)
  let failed = try await ClientCases.run(transport: transport, only: arguments.count > 3 ? arguments[3] : nil, skip: skipped)
  exit(failed == 0 ? 0 : 1)
} else {
  print("usage: nio-interop serve | nio-interop client HOST:PORT [CASE]")
  exit(2)
}

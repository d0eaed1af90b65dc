// onvera-server: parses arguments and hands over to the OnveraServer library.
import ArgumentParser
import Dispatch
import Logging
import OnveraServer
import OnveraStore
import Orchestrator
#if canImport(Glibc)
import Glibc
#endif

@main
struct OnveraServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "onvera-server",
    abstract: "The Onvera control plane: a gRPC API that creates, tracks and destroys Airflow and Superset deployments.",
    discussion: "Every option can also be set by an environment variable: ONVERA_LISTEN, ONVERA_DATA_DIR, ONVERA_BASE_DOMAIN, ONVERA_SIM_STEP_DURATION, ONVERA_SIM_FAIL, ONVERA_MAX_MESSAGE_BYTES, ONVERA_LOG_LEVEL, ONVERA_ADMIN_KEY.",
    subcommands: [Serve.self, Repair.self],
    defaultSubcommand: Serve.self)
}

/// Serves the API (the default subcommand).
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Serve the API (the default).")

  @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
  var listen: String = env("ONVERA_LISTEN") ?? "127.0.0.1:50051"

  @Option(help: "Data directory: the store, keys and bootstrap files.")
  var dataDir: String = env("ONVERA_DATA_DIR") ?? ".onvera"

  @Option(help: "Base domain of deployment URLs.")
  var baseDomain: String = env("ONVERA_BASE_DOMAIN") ?? "onvera.local"

  @Option(help: "Duration of each simulated provisioning step: 2s, 500ms, 1m.")
  var simStepDuration: String = env("ONVERA_SIM_STEP_DURATION") ?? "2s"

  @Option(help: "Inject failures: STEP[:PROBABILITY], repeatable (e.g. database_provisioning:0.5).")
  var simFail: [String] = env("ONVERA_SIM_FAIL").map { $0.split(separator: ",").map(String.init) } ?? []

  @Option(help: "Largest request message accepted, in bytes.")
  var maxMessageBytes: Int = env("ONVERA_MAX_MESSAGE_BYTES").flatMap { Int($0) } ?? 4 * 1024 * 1024

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel: String = env("ONVERA_LOG_LEVEL") ?? "info"

  func run() async throws {
    guard let level = Logger.Level(rawValue: logLevel) else {
      throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got '\(logLevel)'")
    }
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "onvera.server")
    var configuration = APIServer.Configuration()
    guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
      (0...65535).contains(port)
    else {
      throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:50051; got '\(listen)'")
    }
    configuration.host = String(listen[..<colon]).trimmingCharacters(in: "[]")
    configuration.port = port
    configuration.dataDirectory = dataDir
    configuration.baseDomain = baseDomain
    configuration.maxMessageBytes = maxMessageBytes
    configuration.adminKey = env("ONVERA_ADMIN_KEY")
    guard let step = parseDuration(simStepDuration) else {
      throw ValidationError("--sim-step-duration must look like 2s, 500ms or 1m; got '\(simStepDuration)'")
    }
    configuration.simulatedStepDuration = step
    for spec in simFail {
      let parts = spec.split(separator: ":")
      guard parts.count == 1 || parts.count == 2, let probability = parts.count == 2 ? Double(parts[1]) : 1,
        (0...1).contains(probability)
      else {
        throw ValidationError("--sim-fail must be STEP or STEP:PROBABILITY with 0 <= PROBABILITY <= 1; got '\(spec)'")
      }
      configuration.simulatedFailures.append(.init(step: String(parts[0]), probability: probability))
    }

    let server = try await APIServer.start(configuration, logger: logger)
    let address = try await startAndReport(server, logger: logger)
    _ = address
  }

  func startAndReport(_ server: APIServer, logger: Logger) async throws -> String {
    // SIGTERM and SIGINT start the graceful shutdown.
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let sources = [SIGTERM, SIGINT].map { sig in
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler { server.beginGracefulShutdown() }
      source.resume()
      return source
    }
    var address = ""
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.run() }
      address = "\(try await server.listeningAddress)"
      say("onvera-server listening on \(address) (gRPC, h2c); data in \(dataDir)")
      if let bootstrap = server.bootstrap {
        say("first start: created the organization 'default' and its owner API key, saved in \(bootstrap.path)")
        say("log in with:  onvera auth login --server \(address) --key \(bootstrap.apiKey)")
      }
    }
    _ = sources
    return address
  }
}

/// The store's offline repair.
struct Repair: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Offline repair: copy the store aside, then truncate it to a revision (default: the last valid one).")

  @Option(help: "Data directory of the stopped server.")
  var dataDir: String = env("ONVERA_DATA_DIR") ?? ".onvera"

  @Option(help: "Keep revisions up to and including this one.")
  var toRevision: UInt64?

  func run() throws {
    let report = try Store.repair(dataDirectory: dataDir + "/store", toRevision: toRevision)
    say("repaired \(dataDir)/store to revision \(report.revision); the original is in \(report.backupDirectory)")
  }
}

func env(_ name: String) -> String? {
  getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
}

func say(_ line: String) {
  var text = line + "\n"
  text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
}

/// "2s", "500ms", "1m", "1.5s".
func parseDuration(_ text: String) -> Duration? {
  let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
  for (suffix, seconds) in units where text.hasSuffix(suffix) {
    let number = text.dropLast(suffix.count)
    if suffix == "s" && number.hasSuffix("m") { continue }
    guard let value = Double(number), value >= 0, value.isFinite else { return nil }
    return .milliseconds(Int64((value * seconds * 1000).rounded()))
  }
  return nil
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let c = s.first, set.contains(c) { s.removeFirst() }
    while let c = s.last, set.contains(c) { s.removeLast() }
    return String(s)
  }
}

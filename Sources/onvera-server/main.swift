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
    discussion: "Every option can also be set by an environment variable: ONVERA_LISTEN, ONVERA_DATA_DIR, ONVERA_BASE_DOMAIN, ONVERA_SIM_STEP_DURATION, ONVERA_SIM_FAIL, ONVERA_MAX_MESSAGE_BYTES, ONVERA_LOG_LEVEL, ONVERA_METRICS_LISTEN, ONVERA_TLS_CERT, ONVERA_TLS_KEY, ONVERA_TLS_CLIENT_CA, ONVERA_SNAPSHOT_INTERVAL, ONVERA_RATE_LIMIT, ONVERA_RATE_BURST, ONVERA_MAX_CONNECTIONS, ONVERA_ADMIN_KEY.",
    subcommands: [Serve.self, Repair.self, Inspect.self],
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

  @Option(help: "Serve Prometheus metrics over plain HTTP at HOST:PORT (GET /metrics); off by default.")
  var metricsListen: String = env("ONVERA_METRICS_LISTEN") ?? ""

  @Option(help: "Store records between automatic snapshots (the log is compacted after each).")
  var snapshotInterval: UInt64 = env("ONVERA_SNAPSHOT_INTERVAL").flatMap { UInt64($0) } ?? 50_000

  @Option(help: "Requests per second allowed per API key (sustained).")
  var rateLimit: Double = env("ONVERA_RATE_LIMIT").flatMap { Double($0) } ?? 50

  @Option(help: "Requests per API key allowed in a burst above --rate-limit.")
  var rateBurst: Double = env("ONVERA_RATE_BURST").flatMap { Double($0) } ?? 100

  @Option(help: "Most connections open at once; when full, a new one displaces the longest-idle connection without calls (raised to fit the open-file limit).")
  var maxConnections: Int = env("ONVERA_MAX_CONNECTIONS").flatMap { Int($0) } ?? 16_384

  @Option(help: "Seconds new connections from a peer address that flooded stream resets (HTTP/2 rapid reset) are refused, doubling for repeats; 0 disables (use 0 behind a proxy that hides client addresses).")
  var resetFloodCooldown: Double = env("ONVERA_RESET_FLOOD_COOLDOWN").flatMap { Double($0) } ?? 10

  @Option(help: "Serve TLS with this certificate chain (PEM); needs --tls-key. SIGHUP reloads both files.")
  var tlsCert: String = env("ONVERA_TLS_CERT") ?? ""

  @Option(help: "The private key of --tls-cert (PEM).")
  var tlsKey: String = env("ONVERA_TLS_KEY") ?? ""

  @Option(help: "Require client certificates signed by this CA bundle (mutual TLS).")
  var tlsClientCA: String = env("ONVERA_TLS_CLIENT_CA") ?? ""

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
    guard snapshotInterval > 0 else {
      throw ValidationError("--snapshot-interval must be at least 1 record; got \(snapshotInterval)")
    }
    configuration.snapshotInterval = snapshotInterval
    guard rateLimit > 0, rateLimit.isFinite, rateBurst >= 1, rateBurst.isFinite else {
      throw ValidationError("--rate-limit must be > 0 and --rate-burst >= 1; got \(rateLimit) and \(rateBurst)")
    }
    configuration.rateLimit = .init(requestsPerSecond: rateLimit, burst: rateBurst)
    guard maxConnections >= 1 else {
      throw ValidationError("--max-connections must be at least 1; got \(maxConnections)")
    }
    configuration.maxConnections = min(maxConnections, raiseOpenFileLimit() - 256)
    if configuration.maxConnections < maxConnections {
      logger.warning(
        "--max-connections lowered to fit the open-file limit",
        metadata: ["asked": "\(maxConnections)", "allowed": "\(configuration.maxConnections)"])
    }
    guard resetFloodCooldown >= 0, resetFloodCooldown <= 86_400 else {
      throw ValidationError("--reset-flood-cooldown must be 0 (off) to 86400 seconds; got \(resetFloodCooldown)")
    }
    configuration.resetFloodCooldown = resetFloodCooldown > 0 ? .milliseconds(Int64(resetFloodCooldown * 1000)) : nil
    if !metricsListen.isEmpty {
      guard let colon = metricsListen.lastIndex(of: ":"), let port = Int(metricsListen[metricsListen.index(after: colon)...]),
        (0...65535).contains(port)
      else {
        throw ValidationError("--metrics-listen must be HOST:PORT, e.g. 127.0.0.1:9090; got '\(metricsListen)'")
      }
      configuration.metricsListen = (String(metricsListen[..<colon]).trimmingCharacters(in: "[]"), port)
    }
    switch (tlsCert.isEmpty ? nil : tlsCert, tlsKey.isEmpty ? nil : tlsKey) {
    case (nil, nil):
      if !tlsClientCA.isEmpty { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key") }
    case (let cert?, let key?):
      configuration.tlsCertificateChain = cert
      configuration.tlsPrivateKey = key
      configuration.tlsClientCA = tlsClientCA.isEmpty ? nil : tlsClientCA
    default:
      throw ValidationError("--tls-cert and --tls-key go together: give both to serve TLS, or neither for h2c")
    }
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
    // SIGTERM and SIGINT start the graceful shutdown; SIGHUP reloads the TLS certificates.
    let tls = server.isTLS
    ServerSignals.install([SIGTERM, SIGINT, SIGHUP]) { signal in
      if signal == SIGHUP {
        guard tls else { return }
        do {
          try server.reloadCertificates()
          logger.info("SIGHUP: TLS certificates reloaded; open connections keep theirs")
        } catch {
          logger.error("SIGHUP: TLS certificates not reloaded, the previous ones stay in use: \(error)")
        }
      } else {
        server.beginGracefulShutdown()
      }
    }
    var address = ""
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.run() }
      group.addTask {
        // Fail-stop: without a working store nothing can be acknowledged; stop at once (every
        // acknowledged change is already on disk) so a supervisor restarts on a good disk.
        if let failure = await server.storeFailed() {
          let cause = (failure.cause as? StoreError)?.message ?? failure.cause.map { "\($0)" } ?? failure.message
          sayError(
            "onvera-server: fail-stop: the store failed and nothing more can be made durable: \(cause); "
              + "every acknowledged change is on disk; restart the server to recover")
          // _exit: no atexit handlers, which would tear down OpenSSL under running threads.
          Glibc._exit(74)  // EX_IOERR
        }
      }
      address = "\(try await server.listeningAddress)"
      say("onvera-server listening on \(address) (gRPC, \(tls ? "TLS" : "h2c")); data in \(dataDir)")
      if let metricsPort = server.metricsPort {
        let host = metricsListen[..<metricsListen.lastIndex(of: ":")!]
        say("metrics on http://\(host):\(metricsPort)/metrics")
      }
      if let bootstrap = server.bootstrap {
        say("first start: created the organization 'default' and its owner API key, saved in \(bootstrap.path)")
        let scheme = tls ? "https://" : ""
        say("log in with:  onvera auth login --server \(scheme)\(address) --key \(bootstrap.apiKey)")
      }
    }
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

/// Offline inspection of a stopped server's state.
struct Inspect: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the durable state of a stopped server as JSON: deployments, operations, provisioned resources, idempotency entries.",
    discussion: "Opens the store as the server would (recovering it after a crash), so the server must not be running.")

  @Option(help: "Data directory of the stopped server.")
  var dataDir: String = env("ONVERA_DATA_DIR") ?? ".onvera"

  func run() async throws {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .warning
      return handler
    }
    let orchestrator = try Orchestrator.open(
      dataDirectory: dataDir + "/store", logger: Logger(label: "onvera.inspect"))
    let json = await orchestrator.inspectionJSON()
    await orchestrator.close()
    var text = json
    text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
  }
}

/// Signals to the server, delivered reliably whatever thread the kernel picks:
/// a C handler writes the signal number to a pipe (async-signal-safe), and a
/// dispatch thread reads the pipe and calls `handle`.
enum ServerSignals {
  static let pipeFDs: (read: Int32, write: Int32) = {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { fatalError("onvera-server: cannot create the signal pipe: \(String(cString: strerror(errno)))") }
    return (fds[0], fds[1])
  }()

  /// Calls `handle` (off the signal handler, on a dispatch thread) for each of `signals` received.
  static func install(_ signals: [Int32], handle: @escaping @Sendable (Int32) -> Void) {
    let fds = pipeFDs
    for sig in signals {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { received in
        var byte = UInt8(truncatingIfNeeded: received)
        _ = write(ServerSignals.pipeFDs.write, &byte, 1)
      }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(sig, &action, nil)
    }
    DispatchQueue(label: "onvera-server.signals").async {
      var byte: UInt8 = 0
      while true {
        let n = read(fds.read, &byte, 1)
        if n == 1 {
          handle(Int32(byte))
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
  }
}

/// Raises the soft open-file limit to the hard one (each connection is a descriptor) and
/// returns the limit now in force.
func raiseOpenFileLimit() -> Int {
  var limit = rlimit()
  guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
  if limit.rlim_cur < limit.rlim_max {
    var raised = limit
    raised.rlim_cur = limit.rlim_max
    if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
  }
  return Int(clamping: limit.rlim_cur)
}

func env(_ name: String) -> String? {
  getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
}

func say(_ line: String) {
  var text = line + "\n"
  text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
}

func sayError(_ line: String) {
  var text = line + "\n"
  text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
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

import GRPCCore
public import GRPCNghttp2Transport
public import Logging
import OnveraProto
import OnveraRPC
public import OnveraStandardServices
public import Orchestrator
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The Onvera API server: the orchestrator on its store, the four API services,
/// health and reflection, served over gRPC on nghttp2.
///
/// ```swift
/// let server = try await APIServer.start(configuration, logger: logger)
/// try await server.run()          // until beginGracefulShutdown()
/// ```
public final class APIServer: Sendable {
  /// Everything `onvera-server` can be told.
  public struct Configuration: Sendable {
    /// Host to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (see ``APIServer/listeningAddress``).
    public var port: Int
    /// Where the store, keys and bootstrap files live.
    public var dataDirectory: String
    /// Deployments get `https://<subdomain>.<baseDomain>`.
    public var baseDomain: String
    /// How long each simulated provisioning step takes.
    public var simulatedStepDuration: Duration
    /// Failures to inject into the simulated provisioner.
    public var simulatedFailures: [SimulatedProvisioner.FailureInjection]
    /// The largest request message accepted.
    public var maxMessageBytes: Int
    /// The platform admin key; generated into `<dataDirectory>/admin-api-key` when nil.
    public var adminKey: String?
    /// How long in-flight calls get to finish on shutdown.
    public var shutdownGracePeriod: Duration
    /// Per-key rate limit.
    public var rateLimit: Authenticator.RateLimit
    /// Where to serve Prometheus metrics over plain HTTP (`GET /metrics`); nil: off.
    public var metricsListen: (host: String, port: Int)?
    /// PEM certificate chain and key to serve TLS with; nil (the default) serves h2c.
    public var tlsCertificateChain: String?
    /// The private key of ``tlsCertificateChain`` (PEM).
    public var tlsPrivateKey: String?
    /// A PEM CA bundle: with TLS, clients must present a certificate it issued (mTLS).
    public var tlsClientCA: String?
    /// Store records between automatic snapshots (after which the log is compacted).
    public var snapshotInterval: UInt64
    /// Most connections open at once. When full, a new connection displaces the one idle
    /// (without streams) the longest; with none idle it is refused.
    public var maxConnections: Int
    /// New connections from a peer address that flooded stream resets (HTTP/2 rapid reset) are
    /// refused for this long, doubling for repeats (up to 16x); nil disables it (e.g. behind a
    /// proxy, where every client shares the proxy's address).
    public var resetFloodCooldown: Duration?
    /// Give the allocator's free memory back to the system once a burst of connections or calls
    /// is over (see `HeapTrimmer`), checked twice a second off the serving threads.
    public var returnsFreeMemory: Bool

    /// The defaults of `tools/run`: 127.0.0.1:50051, data in `.onvera`, 2 s simulated steps.
    public init() {
      host = "127.0.0.1"
      port = 50051
      dataDirectory = ".onvera"
      baseDomain = "onvera.local"
      simulatedStepDuration = .seconds(2)
      simulatedFailures = []
      maxMessageBytes = 4 * 1024 * 1024
      adminKey = nil
      shutdownGracePeriod = .seconds(10)
      rateLimit = Authenticator.RateLimit()
      metricsListen = nil
      tlsCertificateChain = nil
      tlsPrivateKey = nil
      tlsClientCA = nil
      snapshotInterval = Orchestrator.Configuration().snapshotInterval
      maxConnections = Nghttp2ServerTransport.Configuration().maxConnections
      resetFloodCooldown = Nghttp2ServerTransport.Configuration().resetFloodCooldown
      returnsFreeMemory = true
    }
  }

  /// What a first start on an empty data directory created.
  public struct Bootstrap: Sendable {
    /// The organization `default`.
    public var organizationID: String
    /// Its owner key's secret (also in `<dataDirectory>/bootstrap-api-key`).
    public var apiKey: String
    /// The file holding it.
    public var path: String
  }

  /// The orchestrator the services run on.
  public let orchestrator: Orchestrator
  /// The health service: SERVING once started, NOT_SERVING while shutting down.
  public let health: HealthService
  let transport: Nghttp2ServerTransport
  let server: GRPCServer<Nghttp2ServerTransport>
  let logger: Logger
  let configuration: Configuration
  /// Set on the first start of an empty data directory.
  public let bootstrap: Bootstrap?
  /// The platform admin key.
  public let adminKey: String
  let shutdown: ShutdownSignal
  let metrics: ServerMetrics
  let metricsPortBox = Mutex<Int?>(nil)
  let heapTrimmer = HeapTrimmer()

  /// The service names health reports on.
  static let serviceNames = [
    "onvera.v1.DeploymentService", "onvera.v1.OperationService", "onvera.v1.EnvironmentService",
    "onvera.v1.OrganizationService",
  ]

  init(
    orchestrator: Orchestrator, health: HealthService, transport: Nghttp2ServerTransport,
    server: GRPCServer<Nghttp2ServerTransport>, logger: Logger, configuration: Configuration, bootstrap: Bootstrap?,
    adminKey: String, shutdown: ShutdownSignal, metrics: ServerMetrics
  ) {
    self.orchestrator = orchestrator
    self.health = health
    self.transport = transport
    self.server = server
    self.logger = logger
    self.configuration = configuration
    self.bootstrap = bootstrap
    self.adminKey = adminKey
    self.shutdown = shutdown
    self.metrics = metrics
  }

  /// Opens the store (replaying it), bootstraps an empty data directory, and builds the
  /// server. Call ``run()`` to serve.
  public static func start(_ configuration: Configuration, logger: Logger) async throws -> APIServer {
    try DataDirectory.create(configuration.dataDirectory)
    var simulation = SimulatedProvisioner.Configuration()
    simulation.stepDuration = configuration.simulatedStepDuration
    simulation.failures = configuration.simulatedFailures
    var orchestration = Orchestrator.Configuration()
    orchestration.baseDomain = configuration.baseDomain
    orchestration.snapshotInterval = configuration.snapshotInterval
    let metrics = ServerMetrics()
    metrics.observe(&orchestration.storeConfiguration)
    let orchestrator = try Orchestrator.open(
      dataDirectory: configuration.dataDirectory + "/store",
      provisioner: SimulatedProvisioner(configuration: simulation), configuration: orchestration, logger: logger)

    let adminKey = try configuration.adminKey
      ?? DataDirectory.secret(in: configuration.dataDirectory, named: "admin-api-key") { Authenticator.newSecret() }
    let tokenKey = try DataDirectory.secret(in: configuration.dataDirectory, named: "page-token-key") {
      Crypto.hex(Crypto.randomBytes(32))
    }

    var bootstrap: Bootstrap? = nil
    if await orchestrator.organizations().isEmpty {
      let (org, _, secret) = try await mapped {
        try await OrganizationAPI.createOrganization(orchestrator, name: "default", ownerEmail: nil)
      }
      let path = configuration.dataDirectory + "/bootstrap-api-key"
      try DataDirectory.writeSecret(secret, to: path)
      bootstrap = Bootstrap(organizationID: org.id, apiKey: secret, path: path)
    }

    let shutdown = ShutdownSignal()
    let health = HealthService(services: serviceNames, status: .notServing)
    let api = apiServices(
      orchestrator: orchestrator, adminKey: adminKey, pageTokenKey: Array(tokenKey.utf8),
      rateLimit: configuration.rateLimit, shutdown: shutdown)
    var transportConfiguration = Nghttp2ServerTransport.Configuration()
    transportConfiguration.maxReceiveMessageBytes = configuration.maxMessageBytes
    transportConfiguration.gracefulShutdownTimeout = configuration.shutdownGracePeriod
    transportConfiguration.maxConnections = configuration.maxConnections
    transportConfiguration.resetFloodCooldown = configuration.resetFloodCooldown
    transportConfiguration.onResetFlood = { peer, penalty in
      logger.warning(
        "refusing new connections from a peer that flooded stream resets",
        metadata: ["peer": "\(peer)", "seconds": "\(penalty.components.seconds)"])
    }
    if let chain = configuration.tlsCertificateChain, let key = configuration.tlsPrivateKey {
      var tls = TLSConfiguration.server(certificateChain: chain, privateKey: key, clientCA: configuration.tlsClientCA)
      tls.onHandshakeFailure = { error in logger.info("TLS handshake refused: \(error.message)") }
      transportConfiguration.tls = tls
    }
    let transport = Nghttp2ServerTransport(
      host: configuration.host, port: configuration.port, configuration: transportConfiguration)
    let services: [any RegistrableRPCService] = api + [health, try ReflectionService()]
    let server = GRPCServer(
      transport: transport, services: services,
      interceptors: [MetricsInterceptor(metrics: metrics), RequestLogger(logger: logger)])
    return APIServer(
      orchestrator: orchestrator, health: health, transport: transport, server: server, logger: logger,
      configuration: configuration, bootstrap: bootstrap, adminKey: adminKey, shutdown: shutdown, metrics: metrics)
  }

  /// The four API services on `orchestrator`.
  static func apiServices(
    orchestrator: Orchestrator, adminKey: String?, pageTokenKey: [UInt8], rateLimit: Authenticator.RateLimit,
    shutdown: ShutdownSignal
  ) -> [any RegistrableRPCService] {
    let auth = Authenticator(orchestrator: orchestrator, adminSecret: adminKey, rateLimit: rateLimit)
    let context = APIContext(
      orchestrator: orchestrator, auth: auth, pageTokens: PageTokens(key: pageTokenKey), shutdown: shutdown)
    return [
      DeploymentAPI(context: context), OperationAPI(context: context), EnvironmentAPI(context: context),
      OrganizationAPI(context: context),
    ]
  }

  /// The address the server listens on, once it does.
  public var listeningAddress: Nghttp2ServerTransport.Address {
    get async throws { try await transport.listeningAddress }
  }

  /// Serves until ``beginGracefulShutdown()``: workflows run, health turns SERVING once
  /// listening. On shutdown health goes NOT_SERVING, the transport sends GOAWAY, in-flight
  /// calls get the grace period, streams end, and the store is flushed and closed.
  public func run() async throws {
    var endpoint: MetricsEndpoint? = nil
    if let listen = configuration.metricsListen {
      let (orchestrator, transport, metrics, heap) = (self.orchestrator, self.transport, self.metrics, self.heapTrimmer)
      endpoint = try await MetricsEndpoint.start(host: listen.host, port: listen.port) {
        await metrics.scrape(orchestrator: orchestrator, transport: transport, heap: heap)
      }
      metricsPortBox.withLock { $0 = endpoint?.port }
    }
    if configuration.returnsFreeMemory {
      let (transport, metrics) = (self.transport, self.metrics)
      heapTrimmer.start(
        activity: { transport.openConnections + metrics.callsInFlight },
        walked: { walk, duration in metrics.heapWalked(walk, duration) })
    }
    defer { heapTrimmer.stop() }
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { await self.orchestrator.run() }
      group.addTask { try await self.server.serve() }
      _ = try await self.transport.listeningAddress
      self.health.setStatusOfAllServices(.serving)
    }
    await endpoint?.close()
    await orchestrator.close()
    logger.info("onvera-server stopped; the store is flushed and closed")
  }

  /// Waits until the store fails (an I/O error on append or fdatasync) and returns the
  /// failure; nil once the server stopped without one. After a failure the server answers
  /// UNAVAILABLE to every change; `onvera-server` fail-stops (exits) instead.
  public func storeFailed() async -> OrchestratorError? {
    await orchestrator.storeFailed()
  }

  /// The port Prometheus metrics are served on, once ``run()`` started them (nil when off).
  public var metricsPort: Int? { metricsPortBox.withLock { $0 } }

  /// Whether the server speaks TLS (else h2c).
  public var isTLS: Bool { configuration.tlsCertificateChain != nil }

  /// Rereads the TLS certificate, key and client CA files for new connections (on SIGHUP).
  ///
  /// Open connections keep their certificates; if the files are unusable this throws and the
  /// old ones stay in use. Throws when the server is not serving TLS.
  public func reloadCertificates() throws {
    try self.transport.reloadCertificates()
  }

  /// Starts the graceful shutdown; ``run()`` returns once it is complete.
  public func beginGracefulShutdown() {
    logger.info("shutting down: health NOT_SERVING, GOAWAY, waiting for in-flight calls")
    health.beginShutdown()
    // Streams (watches, waits) end now with UNAVAILABLE; unary calls in flight get the grace period.
    shutdown.fire()
    server.beginGracefulShutdown()
    orchestrator.beginGracefulShutdown()
  }
}

/// Logs every RPC at debug level: method, status and duration.
struct RequestLogger: ServerInterceptor {
  let logger: Logger

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>, context: ServerContext,
    next: (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    let start = ContinuousClock.now
    do {
      let response = try await next(request, context)
      logger.debug("rpc", metadata: ["method": "\(context.descriptor.fullyQualifiedMethod)", "elapsed": "\(ContinuousClock.now - start)"])
      return response
    } catch {
      logger.debug(
        "rpc failed",
        metadata: ["method": "\(context.descriptor.fullyQualifiedMethod)", "error": "\(error)", "elapsed": "\(ContinuousClock.now - start)"])
      throw error
    }
  }
}

/// Files in the data directory: created with mode 0700, secrets with 0600.
enum DataDirectory {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func create(_ path: String) throws {
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw Failure(description: "cannot create the data directory \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// The secret in `<directory>/<name>`, created with `make` (mode 0600) when missing.
  static func secret(in directory: String, named name: String, make: () -> String) throws -> String {
    let path = directory + "/" + name
    if let existing = try read(path) { return existing }
    let secret = make()
    try writeSecret(secret, to: path)
    return secret
  }

  static func read(_ path: String) throws -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
      if n == 0 { break }
      bytes += buffer.prefix(n)
    }
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters
    return text.isEmpty ? nil : text
  }

  /// Writes a secret to `path` with mode 0600, durably (temp file, fsync, rename, directory fsync).
  static func writeSecret(_ secret: String, to path: String) throws {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
    var text = secret + "\n"
    let written = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == text.utf8.count, synced == 0, rename(temporary, path) == 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      _ = fsync(dfd)
      close(dfd)
    }
  }
}

extension String {
  var trimmingCharacters: String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}

public import GRPCCore
public import GRPCNghttp2Transport
public import OnveraRPC

/// The typed clients of one connection to the server, with the caller's API key attached.
public struct API: Sendable {
  /// DeploymentService.
  public let deployments: Onvera_V1_DeploymentService.Client<Nghttp2ClientTransport>
  /// OperationService.
  public let operations: Onvera_V1_OperationService.Client<Nghttp2ClientTransport>
  /// EnvironmentService.
  public let environments: Onvera_V1_EnvironmentService.Client<Nghttp2ClientTransport>
  /// OrganizationService.
  public let organizations: Onvera_V1_OrganizationService.Client<Nghttp2ClientTransport>
  /// `x-api-key` for every call.
  public let metadata: Metadata
  /// Where the connection goes, for error messages.
  public let address: ServerAddress

  /// Opens a connection to `settings.server`, runs `body` with the clients, then closes it.
  ///
  /// Errors from `body` become ``OnveraCLIError``: UNAVAILABLE as "cannot reach" (exit 4),
  /// any other RPC error as an API error (exit 1) with the ErrorInfo reason.
  public static func with<Result: Sendable>(
    _ settings: Settings,
    requireKey: Bool = true,
    _ body: (API) async throws -> Result
  ) async throws -> Result {
    var metadata: Metadata = [:]
    if let key = settings.apiKey {
      metadata.addString(key, forKey: "x-api-key")
    } else if requireKey {
      throw OnveraCLIError(code: .notAuthenticated, message: "not authenticated. Run 'onvera auth login' first")
    }
    var configuration = Nghttp2ClientTransport.Configuration()
    // A CLI should say quickly that nothing answers; follows retry on their own schedule.
    configuration.connectTimeout = .seconds(5)
    configuration.initialBackoff = .milliseconds(100)
    configuration.maxBackoff = .seconds(1)
    if settings.server.tls {
      configuration.tls = .client(trustRoots: settings.caCertificate.map { .file($0) } ?? .system)
    }
    let transport = Nghttp2ClientTransport(
      host: settings.server.host, port: settings.server.port, configuration: configuration)
    let address = settings.server
    do {
      return try await withGRPCClient(transport: transport) { client in
        let api = API(
          deployments: .init(wrapping: client), operations: .init(wrapping: client),
          environments: .init(wrapping: client), organizations: .init(wrapping: client),
          metadata: metadata, address: address)
        return try await body(api)
      }
    } catch let error as RPCError {
      throw Self.translate(error, address: address)
    }
  }

  /// The CLI error for an RPC error.
  public static func translate(_ error: RPCError, address: ServerAddress) -> OnveraCLIError {
    if error.code == .unavailable {
      return OnveraCLIError(
        code: .unreachable, message: "cannot reach the Onvera server at \(address): \(error.message)", cause: error)
    }
    return OnveraCLIError(code: .api, message: error.message, reason: error.errorInfo?.reason, cause: error)
  }
}

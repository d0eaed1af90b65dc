public import ArgumentParser
import Foundation
import OnveraProto

/// Options every command takes.
public struct GlobalOptions: ParsableArguments, Sendable {
  /// `--server`.
  @Option(help: "Server address, HOST:PORT (overrides ONVERA_SERVER and the config file).")
  public var server: String?

  /// `--api-key`.
  @Option(name: .customLong("api-key"), help: "API key (overrides ONVERA_API_KEY and the config file).")
  public var apiKey: String?

  /// `--output`, `-o`.
  @Option(name: [.short, .customLong("output")], help: "Output format: table or json.")
  public var output: OutputFormat = .table

  /// `--no-color`.
  @Flag(name: .customLong("no-color"), help: "Never use colour (it is only used on a terminal anyway).")
  public var noColor = false

  /// `--verbose`.
  @Flag(help: "Show error reasons.")
  public var verbose = false

  /// `--tls`.
  @Flag(help: "Use TLS (as an https:// server address does).")
  public var tls = false

  /// `--ca-cert`.
  @Option(name: .customLong("ca-cert"), help: "PEM file of CAs to trust for TLS instead of the system's (implies --tls).")
  public var caCert: String?

  /// Defaults: no overrides, table output, colour on a terminal.
  public init() {}

  /// Checks that a `--ca-cert` file can be read.
  public func validate() throws {
    if let caCert, !FileManager.default.isReadableFile(atPath: caCert) {
      throw ValidationError("--ca-cert: cannot read '\(caCert)'")
    }
  }

  /// The process environment.
  var environment: [String: String] { ProcessInfo.processInfo.environment }

  /// Settings after flags, environment and config file.
  func settings() throws -> Settings {
    let stored = try ConfigFile(environment: environment).load()
    return try Settings.resolve(
      serverFlag: server, apiKeyFlag: apiKey, environment: environment, stored: stored, tls: tls, caCertificate: caCert)
  }

  /// The console for this invocation.
  func console() -> Console { Console(noColor: noColor, environment: environment) }

  /// Connects and runs `body` with the clients.
  func withAPI<R: Sendable>(requireKey: Bool = true, _ body: (API, Console) async throws -> R) async throws -> R {
    let settings = try settings()
    let console = console()
    return try await API.with(settings, requireKey: requireKey) { api in try await body(api, console) }
  }
}

extension OutputFormat: ExpressibleByArgument {}

/// `airflow` or `superset`.
public enum AppTypeArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
  case airflow, superset
  var proto: Onvera_V1_AppType { self == .airflow ? .airflow : .superset }
}

/// A deployment status filter.
public enum DeploymentStatusArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
  case provisioning, ready, destroying, failed, destroyed
  var proto: Onvera_V1_DeploymentStatus {
    switch self {
    case .provisioning: .provisioning
    case .ready: .ready
    case .destroying: .destroying
    case .failed: .failed
    case .destroyed: .destroyed
    }
  }
}

/// An operation status filter.
public enum OperationStatusArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
  case queued, running, succeeded, failed, canceled
  var proto: Onvera_V1_OperationStatus {
    switch self {
    case .queued: .queued
    case .running: .running
    case .succeeded: .succeeded
    case .failed: .failed
    case .canceled: .canceled
    }
  }
}

/// An operation type filter, written as in the product: `deployment.create`.
public enum OperationTypeArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
  case deploymentCreate = "deployment.create"
  case deploymentDestroy = "deployment.destroy"
  case userProvision = "user.provision"
  case userRevoke = "user.revoke"
  var proto: Onvera_V1_OperationType {
    switch self {
    case .deploymentCreate: .deploymentCreate
    case .deploymentDestroy: .deploymentDestroy
    case .userProvision: .userProvision
    case .userRevoke: .userRevoke
    }
  }
}

/// A member role.
public enum RoleArgument: String, CaseIterable, ExpressibleByArgument, Sendable {
  case owner, admin, member, viewer
  var proto: Onvera_V1_MemberRole {
    switch self {
    case .owner: .owner
    case .admin: .admin
    case .member: .member
    case .viewer: .viewer
    }
  }
}

/// A duration argument: `500ms`, `30s`, `5m`, `2h`, `7d`.
public struct DurationArgument: ExpressibleByArgument, Sendable, Equatable {
  /// The parsed duration.
  public var duration: Duration
  /// Parses the argument; nil when it is not a duration.
  public init?(argument: String) {
    guard let duration = Format.parseDuration(argument) else { return nil }
    self.duration = duration
  }
  /// No completion: durations are free text.
  public static var defaultCompletionKind: CompletionKind { .default }
}

func validateID(_ id: String, prefix: String, what: String) throws {
  guard id.hasPrefix(prefix), id.count > prefix.count else {
    throw ValidationError("\(what) must start with '\(prefix)', got '\(id)'")
  }
}

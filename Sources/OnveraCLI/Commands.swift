public import ArgumentParser
import Foundation
import GRPCCore
import OnveraProto
import OnveraRPC
import ProtoWire

#if canImport(Glibc)
import Glibc
#endif

/// The `onvera` command: deploy and manage Airflow and Superset on Onvera.
public struct OnveraCommand: AsyncParsableCommand {
  /// The command tree, `--version` and the exit statuses in `--help`.
  public static let configuration = CommandConfiguration(
    commandName: "onvera",
    abstract: "Deploy and manage Apache Airflow and Apache Superset on Onvera.",
    discussion: """
      Exit status: 0 success, 1 API error, 2 usage error, 3 a followed operation failed or was \
      canceled, 4 the server could not be reached, 130 interrupted.
      """,
    version: "onvera 0.1.0",
    subcommands: [
      Auth.self, Deploy.self, List.self, Get.self, Destroy.self, Ops.self, Envs.self, Members.self,
      Keys.self, Watch.self,
    ])

  /// Creates the root command (argument-parser needs it).
  public init() {}

  /// Parses `arguments`, runs the command and returns the exit status (0, 1, 2, 3, 4 or 130),
  /// having printed any error.
  public static func run(arguments: [String]) async -> Int32 {
    let verbose = arguments.contains("--verbose")
    let noColor = arguments.contains("--no-color")
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      return 0
    } catch let error as OnveraCLIError {
      report(error, verbose: verbose, noColor: noColor)
      return error.code.exitStatus
    } catch {
      let status = exitCode(for: error).rawValue
      let message = fullMessage(for: error)
      if status == 0 {
        if !message.isEmpty { print(message) }
        return 0
      }
      if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
      // argument-parser reports usage errors as EX_USAGE (64); the CLI promises 2.
      return status == ExitCode.validationFailure.rawValue ? 2 : status
    }
  }

  static func report(_ error: OnveraCLIError, verbose: Bool, noColor: Bool) {
    let console = Console(noColor: noColor, environment: ProcessInfo.processInfo.environment)
    let text: String
    switch error.code {
    case .api:
      text = "API error: \(error.message)" + (verbose && error.reason != nil ? " (reason: \(error.reason!))" : "")
    case .operationFailed, .interrupted:
      return  // already described while following
    default:
      text = "Error: \(error.message)"
    }
    console.error(console.colored(text, .red))
  }
}

// MARK: - auth

struct Auth: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Log in, log out, show the stored credentials.", subcommands: [Login.self, Logout.self, Status.self])

  struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Store the server address and an API key in the config file.",
      discussion: "Without --key the key is read from stdin (a prompt without echo on a terminal).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The API key (onv_sk_live_...).") var key: String?

    func validate() throws {
      if let key, !key.hasPrefix("onv_sk_") {
        throw ValidationError("an API key starts with 'onv_sk_', got '\(key.prefix(8))...'")
      }
    }

    func run() async throws {
      let key = try self.key ?? Self.readKey()
      guard key.hasPrefix("onv_sk_") else {
        throw OnveraCLIError(code: .usage, message: "an API key starts with 'onv_sk_'")
      }
      let environment = global.environment
      let file = ConfigFile(environment: environment)
      let stored = try file.load()
      var server = try ServerAddress(
        parsing: global.server ?? environment["ONVERA_SERVER"] ?? stored.server ?? Settings.defaultServer)
      if global.tls || global.caCert != nil { server.tls = true }
      let settings = Settings(server: server, apiKey: key, caCertificate: global.caCert)
      let console = global.console()
      // Checked before it is stored, so a typo is caught now rather than on the next command.
      let organization = try await API.with(settings) { api in
        try await api.organizations.getOrganization(Onvera_V1_GetOrganizationRequest(), metadata: api.metadata)
      }
      try file.save(StoredConfig(server: server.description, apiKey: key, caCertificate: global.caCert))
      if global.output == .json {
        console.line(Format.json(organization))
      } else {
        console.line("Logged in to \(server) as organization \(organization.name) (\(organization.id)).")
        console.line("Credentials saved to \(file.path)")
      }
    }

    static func readKey() throws -> String {
      if isatty(0) == 1 {
        FileHandle.standardError.write(Data("API key: ".utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &silent)
        defer {
          tcsetattr(0, TCSANOW, &saved)
          FileHandle.standardError.write(Data("\n".utf8))
        }
        return (readLine() ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
      }
      guard let line = readLine(), !line.isEmpty else {
        throw OnveraCLIError(code: .usage, message: "no API key: pass --key or pipe it on stdin")
      }
      return line.trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }

  struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Forget the stored key (it is not revoked).")
    @OptionGroup var global: GlobalOptions
    func run() async throws {
      let file = ConfigFile(environment: global.environment)
      let removed = try file.remove()
      let console = global.console()
      console.line(
        removed
          ? "Logged out: removed \(file.path). The key itself is not revoked; use 'onvera keys revoke' for that."
          : "Not logged in (no \(file.path)).")
    }
  }

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show which server and key are in use, and check them.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {
      let settings = try global.settings()
      guard let key = settings.apiKey else {
        throw OnveraCLIError(code: .notAuthenticated, message: "not authenticated. Run 'onvera auth login' first")
      }
      let organization = try await API.with(settings) { api in
        try await api.organizations.getOrganization(Onvera_V1_GetOrganizationRequest(), metadata: api.metadata)
      }
      let console = global.console()
      if global.output == .json {
        console.line(Format.json(organization))
      } else {
        console.line("Server:       \(settings.server)")
        console.line("Key:          \(key.prefix(16))...")
        console.line("Organization: \(organization.name) (\(organization.id))")
      }
    }
  }
}

// MARK: - deployments

struct Deploy: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Deploy Airflow or Superset and follow it until it is ready.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "airflow or superset.") var appType: AppTypeArgument
  @Option(help: "Name, 1 to 63 characters (generated when omitted).") var name: String?
  @Option(help: "Environment id (env_default when omitted).") var environment: String?
  @Flag(help: "Return once the deployment is accepted; do not follow it.") var detach = false
  @Option(help: "Stop following after this long: 30s, 10m.") var timeout: DurationArgument?
  @Option(name: .customLong("request-id"), help: "Idempotency key (a UUID); generated when omitted.")
  var requestID: String?

  func validate() throws {
    if let name, name.isEmpty || name.count > 63 {
      throw ValidationError("--name must be 1 to 63 characters, got \(name.count)")
    }
    if let requestID, UUID(uuidString: requestID) == nil {
      throw ValidationError("--request-id must be a UUID, got '\(requestID)'")
    }
  }

  func run() async throws {
    var request = Onvera_V1_CreateDeploymentRequest()
    request.appType = appType.proto
    request.name = name ?? ""
    request.environmentID = environment ?? ""
    // One id per invocation, reused on every retry, so a lost response never creates two deployments.
    request.requestID = requestID ?? UUID().uuidString.lowercased()
    let format = global.output
    let frozen = request
    try await global.withAPI { api, console in
      let response = try await retryingUnavailable {
        try await api.deployments.createDeployment(frozen, metadata: api.metadata)
      }
      if format == .json {
        console.line(Format.json(response))
      } else {
        console.line("Deployment ID: \(response.deploymentID)")
        console.line("Operation ID: \(response.operationID)")
      }
      if detach { return }
      let operation = try await follow(response.operationID, api: api, console: console, format: format, timeout: timeout)
      try await finish(operation, deploymentID: response.deploymentID, api: api, console: console, format: format)
    }
  }

  private func finish(
    _ operation: Onvera_V1_Operation, deploymentID: String, api: API, console: Console, format: OutputFormat
  ) async throws {
    guard operation.status == .succeeded else { throw operationFailure(operation, console: console, format: format) }
    var get = Onvera_V1_GetDeploymentRequest()
    get.deploymentID = deploymentID
    let deployment = try await api.deployments.getDeployment(get, metadata: api.metadata)
    if format == .json {
      console.line(Format.json(deployment))
    } else {
      console.line(console.colored("Deployment succeeded!", .green))
      console.line("URL: \(deployment.url)")
    }
  }
}

/// Retries `body` on UNAVAILABLE a few times: used for calls that carry an idempotency key.
func retryingUnavailable<R: Sendable>(_ body: () async throws -> R) async throws -> R {
  var attempt = 0
  while true {
    do {
      return try await body()
    } catch let error as RPCError where error.code == .unavailable && attempt < 4 {
      attempt += 1
      // Backoff before the next attempt.
      try await Task.sleep(for: .milliseconds(200 * attempt))
    }
  }
}

/// Follows an operation with Ctrl+C handling and an optional timeout.
func follow(
  _ operationID: String, api: API, console: Console, format: OutputFormat, timeout: DurationArgument?
) async throws -> Onvera_V1_Operation {
  let follower = OperationFollower(api: api, console: console, format: format)
  let result = try await untilInterrupted {
    guard let timeout else { return try await follower.follow(operationID) }
    return try await withThrowingTaskGroup(of: Onvera_V1_Operation?.self) { group in
      group.addTask { try await follower.follow(operationID) }
      group.addTask {
        try await Task.sleep(for: timeout.duration)
        return nil
      }
      let first = try await group.next()!
      group.cancelAll()
      guard let first else {
        throw OnveraCLIError(
          code: .api,
          message: "operation \(operationID) is not done after the timeout; it continues: onvera ops watch \(operationID)")
      }
      return first
    }
  }
  guard let result else {
    console.setSpinner(nil)
    console.error("\nStopped following; the operation continues. Resume with: onvera ops watch \(operationID)")
    throw OnveraCLIError(code: .interrupted, message: "interrupted")
  }
  return result
}

/// Prints why `operation` did not succeed and returns the error to exit with (status 3).
func operationFailure(_ operation: Onvera_V1_Operation, console: Console, format: OutputFormat) -> OnveraCLIError {
  let what = operation.status == .canceled ? "canceled" : "failed"
  let reason = operation.hasError ? operation.error.reason : "UNKNOWN"
  let message = operation.hasError ? operation.error.message : operation.message
  if format == .table {
    console.error(console.colored("Operation \(operation.id) \(what): \(reason): \(message)", .red))
  }
  return OnveraCLIError(code: .operationFailed, message: "operation \(what): \(reason): \(message)", reason: reason)
}

struct List: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List deployments, newest first.")
  @OptionGroup var global: GlobalOptions
  @Option(help: "Only this environment id.") var environment: String?
  @Option(help: "Only this status: provisioning, ready, destroying, failed, destroyed.")
  var status: DeploymentStatusArgument?
  @Option(name: .customLong("app-type"), help: "Only airflow or superset.") var appType: AppTypeArgument?
  @Flag(help: "Include destroyed deployments.") var all = false

  func run() async throws {
    let format = global.output
    try await global.withAPI { api, console in
      var request = Onvera_V1_ListDeploymentsRequest()
      request.pageSize = 100
      request.environmentID = environment ?? ""
      request.status = status?.proto ?? .unspecified
      request.appType = appType?.proto ?? .unspecified
      request.showDestroyed = all || status == .destroyed
      var collected = Onvera_V1_ListDeploymentsResponse()
      repeat {
        let page = try await api.deployments.listDeployments(request, metadata: api.metadata)
        collected.deployments += page.deployments
        collected.totalSize = page.totalSize
        request.pageToken = page.nextPageToken
      } while !request.pageToken.isEmpty
      if format == .json {
        console.line(Format.json(collected))
        return
      }
      if collected.deployments.isEmpty {
        console.line("No deployments.")
        return
      }
      let rows = collected.deployments.map { d in
        [d.id, d.name, d.appName, d.statusName, d.url.isEmpty ? "-" : d.url, Format.age(of: d.createTime, isSet: d.hasCreateTime)]
      }
      console.line(Format.table(["ID", "NAME", "APP", "STATUS", "URL", "AGE"], rows))
    }
  }
}

struct Get: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Show one deployment.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The deployment id (dep_...).") var deploymentID: String

  func validate() throws { try validateID(deploymentID, prefix: "dep_", what: "a deployment id") }

  func run() async throws {
    let format = global.output
    try await global.withAPI { api, console in
      var request = Onvera_V1_GetDeploymentRequest()
      request.deploymentID = deploymentID
      let d = try await api.deployments.getDeployment(request, metadata: api.metadata)
      if format == .json {
        console.line(Format.json(d))
        return
      }
      var lines = [
        ("ID", d.id), ("Name", d.name), ("App", d.appName), ("Status", d.statusName),
        ("Phase", Format.name(d.phase.protoName, prefix: "PHASE_")), ("URL", d.url.isEmpty ? "-" : d.url),
        ("Environment", d.environmentID),
        ("Created", d.hasCreateTime ? d.createTime.rfc3339 : "-"),
        ("Updated", d.hasUpdateTime ? d.updateTime.rfc3339 : "-"),
      ]
      if !d.operationID.isEmpty { lines.append(("Operation", d.operationID)) }
      if d.hasFailure { lines.append(("Failure", "\(d.failure.reason): \(d.failure.message)")) }
      for (label, value) in lines { console.line((label + ":").padding(toLength: 13, withPad: " ", startingAt: 0) + value) }
    }
  }
}

struct Destroy: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Destroy a deployment (irreversible).")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The deployment id (dep_...).") var deploymentID: String
  @Flag(help: "Do not ask for confirmation.") var force = false
  @Flag(help: "Return once destruction has started; do not follow it.") var detach = false
  @Option(help: "Stop following after this long: 30s, 10m.") var timeout: DurationArgument?

  func validate() throws { try validateID(deploymentID, prefix: "dep_", what: "a deployment id") }

  func run() async throws {
    let settings = try global.settings()
    guard settings.apiKey != nil else {
      throw OnveraCLIError(code: .notAuthenticated, message: "not authenticated. Run 'onvera auth login' first")
    }
    if !force {
      global.console().prompt("Are you sure you want to destroy deployment \(deploymentID)? (y/N): ")
      let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
      guard answer == "y" || answer == "yes" else {
        global.console().line("Destruction canceled.")
        return
      }
    }
    let format = global.output
    let requestID = UUID().uuidString.lowercased()
    try await global.withAPI { api, console in
      var request = Onvera_V1_DestroyDeploymentRequest()
      request.deploymentID = deploymentID
      request.requestID = requestID
      let frozen = request
      if format == .table { console.line("Destroying deployment \(deploymentID)...") }
      let response = try await retryingUnavailable {
        try await api.deployments.destroyDeployment(frozen, metadata: api.metadata)
      }
      if format == .json {
        console.line(Format.json(response))
      } else {
        console.line("Operation ID: \(response.operationID)")
      }
      if detach { return }
      let operation = try await follow(response.operationID, api: api, console: console, format: format, timeout: timeout)
      guard operation.status == .succeeded else { throw operationFailure(operation, console: console, format: format) }
      if format == .table { console.line(console.colored("Destruction succeeded!", .green)) }
    }
  }
}

struct Watch: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Stream changes to deployments until Ctrl+C.")
  @OptionGroup var global: GlobalOptions
  @Option(help: "Only this environment id.") var environment: String?

  func run() async throws {
    let format = global.output
    let environment = self.environment ?? ""
    try await global.withAPI { api, console in
      // Ctrl+C is how a watch ends: exit 0 rather than 130.
      _ = try await untilInterrupted { () async throws -> Bool in
        var revision: UInt64 = 0
        while true {
          var request = Onvera_V1_WatchDeploymentsRequest()
          request.afterRevision = revision
          request.environmentID = environment
          let from = revision
          do {
            revision = try await api.deployments.watchDeployments(request, metadata: api.metadata) { response in
              var last = from
              for try await event in response.messages {
                last = max(last, event.revision)
                if format == .json {
                  console.line(Format.json(event))
                  continue
                }
                switch event.kind {
                case .synced: console.line("-- synced; live changes follow --")
                case .bookmark: continue
                default:
                  let d = event.deployment
                  let kind = Format.name(event.kind.protoName, prefix: "KIND_")
                  console.line("\(kind.uppercased())  \(d.id)  \(d.name)  \(d.appName)  \(d.statusName)  \(Format.name(d.phase.protoName, prefix: "PHASE_"))\(d.url.isEmpty ? "" : "  " + d.url)")
                }
              }
              return last
            }
          } catch let error as RPCError where error.code == .unavailable {
            // Reconnect and resume after the last revision seen.
            try await Task.sleep(for: .milliseconds(500))
          }
        }
      }
    }
  }
}

import ArgumentParser
import Testing

@testable import OnveraCLI

/// Parses `arguments` as the root command and returns the leaf command, typed.
private func parse<C: ParsableCommand>(_ arguments: [String], as type: C.Type = C.self) throws -> C {
  let command = try OnveraCommand.parseAsRoot(arguments)
  return try #require(command as? C, "parsed \(Swift.type(of: command)), expected \(C.self)")
}

/// True when `arguments` are rejected as a usage error (the CLI exits 2 for these).
private func rejected(_ arguments: [String]) -> Bool {
  do {
    _ = try OnveraCommand.parseAsRoot(arguments)
    return false
  } catch {
    return OnveraCommand.exitCode(for: error) == .validationFailure
  }
}

@Suite struct ParsingTests {
  @Test func authLogin() throws {
    let login = try parse(["auth", "login", "--key", "onv_sk_live_abc", "--server", "h:1"], as: Auth.Login.self)
    #expect(login.key == "onv_sk_live_abc")
    #expect(login.global.server == "h:1")
    let noKey = try parse(["auth", "login"], as: Auth.Login.self)
    #expect(noKey.key == nil)
    #expect(rejected(["auth", "login", "--key", "not-a-key"]))
    _ = try parse(["auth", "logout"], as: Auth.Logout.self)
    _ = try parse(["auth", "status", "-o", "json"], as: Auth.Status.self)
  }

  @Test func deploy() throws {
    let d = try parse(
      ["deploy", "superset", "--name", "My Superset", "--environment", "env_default", "--detach", "--timeout", "5m",
       "--request-id", "6f1c2a9e-8a77-4e0b-9f3a-2f4a1c7b8d90", "--output", "json"],
      as: Deploy.self)
    #expect(d.appType == .superset)
    #expect(d.name == "My Superset")
    #expect(d.environment == "env_default")
    #expect(d.detach)
    #expect(d.timeout?.duration == .seconds(300))
    #expect(d.global.output == .json)
    #expect(try parse(["deploy", "airflow"], as: Deploy.self).appType == .airflow)
  }

  @Test(arguments: [
    ["deploy"], ["deploy", "spark"], ["deploy", "airflow", "--name", ""],
    ["deploy", "airflow", "--name", String(repeating: "x", count: 64)],
    ["deploy", "airflow", "--request-id", "nope"], ["deploy", "airflow", "--timeout", "soon"],
    ["deploy", "airflow", "--output", "yaml"], ["deploy", "airflow", "--ca-cert", "/nonexistent/ca.pem"],
    ["list", "--status", "sleeping"], ["list", "--app-type", "spark"], ["get"], ["get", "abc"],
    ["destroy", "op_1"], ["ops", "get", "dep_1"], ["ops", "list", "--type", "deployment.delete"],
    ["ops", "wait", "op_1", "--timeout", "x"], ["ops", "cancel"], ["ops", "watch", "dep_1"],
    ["members", "add", "not-an-email"], ["members", "add", "a@b.c", "--role", "god"], ["members", "remove", "bob"],
    ["keys", "create", "k", "--scope", "everything"], ["keys", "create", "k", "--expires", "later"],
    ["keys", "revoke", "abc"], ["frobnicate"], ["envs", "list", "extra"],
  ])
  func usageErrors(_ arguments: [String]) {
    #expect(rejected(arguments), "\(arguments) should be a usage error")
  }

  @Test func listAndGet() throws {
    let l = try parse(["list", "--environment", "env_x", "--status", "ready", "--app-type", "airflow", "--all"], as: List.self)
    #expect(l.environment == "env_x")
    #expect(l.status == .ready)
    #expect(l.appType == .airflow)
    #expect(l.all)
    #expect(try parse(["get", "dep_123"], as: Get.self).deploymentID == "dep_123")
  }

  @Test func destroy() throws {
    let d = try parse(["destroy", "dep_1", "--force", "--detach"], as: Destroy.self)
    #expect(d.deploymentID == "dep_1" && d.force && d.detach)
    let asks = try parse(["destroy", "dep_1"], as: Destroy.self)
    #expect(!asks.force && !asks.detach)
  }

  @Test func ops() throws {
    let l = try parse(["ops", "list", "--status", "running", "--type", "deployment.create", "--resource", "dep_1"], as: Ops.ListOps.self)
    #expect(l.status == .running && l.type == .deploymentCreate && l.resource == "dep_1")
    #expect(try parse(["ops", "get", "op_1"], as: Ops.GetOp.self).operationID == "op_1")
    #expect(try parse(["ops", "watch", "op_1"], as: Ops.WatchOp.self).operationID == "op_1")
    #expect(try parse(["ops", "wait", "op_1", "--timeout", "30s"], as: Ops.WaitOp.self).timeout?.duration == .seconds(30))
    #expect(try parse(["ops", "cancel", "op_1"], as: Ops.CancelOp.self).operationID == "op_1")
  }

  @Test func orgCommands() throws {
    _ = try parse(["envs", "list", "--output", "json"], as: Envs.ListEnvs.self)
    _ = try parse(["members", "list"], as: Members.ListMembers.self)
    let add = try parse(["members", "add", "ana@example.com", "--role", "admin"], as: Members.AddMember.self)
    #expect(add.email == "ana@example.com" && add.role == .admin)
    #expect(try parse(["members", "add", "ana@example.com"], as: Members.AddMember.self).role == .member)
    #expect(try parse(["members", "remove", "usr_1"], as: Members.RemoveMember.self).userID == "usr_1")
    let key = try parse(
      ["keys", "create", "ci", "--scope", "deployments:read", "operations:read", "--expires", "30d"], as: Keys.CreateKey.self)
    #expect(key.name == "ci" && key.scope == ["deployments:read", "operations:read"])
    #expect(key.expires?.duration == .seconds(30 * 86_400))
    _ = try parse(["keys", "list"], as: Keys.ListKeys.self)
    #expect(try parse(["keys", "revoke", "key_1"], as: Keys.RevokeKey.self).keyID == "key_1")
    #expect(try parse(["watch", "--environment", "env_default"], as: Watch.self).environment == "env_default")
  }

  @Test func tlsOptions() throws {
    let g = try parse(["list", "--tls", "--server", "https://h:443"], as: List.self).global
    #expect(g.tls && g.server == "https://h:443")
  }

  @Test func globalOptions() throws {
    let g = try parse(["list", "--server", "10.0.0.1:9000", "--api-key", "onv_sk_live_x", "--no-color", "--verbose"], as: List.self).global
    #expect(g.server == "10.0.0.1:9000" && g.apiKey == "onv_sk_live_x" && g.noColor && g.verbose)
  }

  @Test func versionAndHelpExitZero() async {
    #expect(await OnveraCommand.run(arguments: ["--version"]) == 0)
    #expect(await OnveraCommand.run(arguments: ["deploy", "--help"]) == 0)
  }

  @Test func usageErrorsExitTwo() async {
    #expect(await OnveraCommand.run(arguments: ["deploy", "spark"]) == 2)
    #expect(await OnveraCommand.run(arguments: ["list", "--server", "ftp://x:1", "--api-key", "onv_sk_live_x"]) == 2)
  }
}

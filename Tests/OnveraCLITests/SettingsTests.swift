import Foundation
import Testing

@testable import OnveraCLI

@Suite struct SettingsTests {
  @Test func precedence() throws {
    let stored = StoredConfig(server: "stored:1", apiKey: "onv_sk_stored")
    let env = ["ONVERA_SERVER": "env:2", "ONVERA_API_KEY": "onv_sk_env"]
    let fromFile = try Settings.resolve(serverFlag: nil, apiKeyFlag: nil, environment: [:], stored: stored)
    #expect(fromFile.server.description == "stored:1" && fromFile.apiKey == "onv_sk_stored")
    let fromEnv = try Settings.resolve(serverFlag: nil, apiKeyFlag: nil, environment: env, stored: stored)
    #expect(fromEnv.server.description == "env:2" && fromEnv.apiKey == "onv_sk_env")
    let fromFlags = try Settings.resolve(serverFlag: "flag:3", apiKeyFlag: "onv_sk_flag", environment: env, stored: stored)
    #expect(fromFlags.server.description == "flag:3" && fromFlags.apiKey == "onv_sk_flag")
    let nothing = try Settings.resolve(serverFlag: nil, apiKeyFlag: nil, environment: [:], stored: StoredConfig())
    #expect(nothing.server.description == Settings.defaultServer && nothing.apiKey == nil)
  }

  @Test(arguments: [
    ("127.0.0.1:50051", "127.0.0.1", 50051), ("http://example.com:8080/", "example.com", 8080),
    ("[::1]:9000", "::1", 9000),
  ])
  func addresses(_ text: String, _ host: String, _ port: Int) throws {
    let address = try ServerAddress(parsing: text)
    #expect(address.host == host && address.port == port)
  }

  @Test func tls() throws {
    let https = try ServerAddress(parsing: "https://api.example.com:443")
    #expect(https.tls && https.host == "api.example.com" && https.description == "https://api.example.com:443")
    #expect(try !ServerAddress(parsing: "http://h:1").tls)
    let flag = try Settings.resolve(serverFlag: "h:1", apiKeyFlag: nil, environment: [:], stored: StoredConfig(), tls: true)
    #expect(flag.server.tls && flag.caCertificate == nil)
    let stored = try Settings.resolve(
      serverFlag: nil, apiKeyFlag: nil, environment: [:], stored: StoredConfig(server: "h:1", caCertificate: "/ca.pem"))
    #expect(stored.server.tls && stored.caCertificate == "/ca.pem")
  }

  @Test(arguments: ["localhost", ":80", "host:0", "host:99999", "host:abc", "ftp://x:1"])
  func badAddresses(_ text: String) {
    #expect(throws: OnveraCLIError.self) { try ServerAddress(parsing: text) }
  }

  @Test func configFileIsPrivateAndRoundTrips() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onvera-cli-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = ConfigFile(environment: ["XDG_CONFIG_HOME": dir, "HOME": "/nonexistent"])
    #expect(file.path == dir + "/onvera/config.json")
    #expect(try file.load() == StoredConfig())
    let config = StoredConfig(server: "h:1", apiKey: "onv_sk_live_secret")
    try file.save(config)
    #expect(try file.load() == config)
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try file.remove())
    #expect(try !file.remove())
    #expect(ConfigFile(environment: ["HOME": "/home/x"]).path == "/home/x/.config/onvera/config.json")
  }

  @Test func formatting() {
    #expect(Format.elapsed(seconds: 5) == "5s")
    #expect(Format.elapsed(seconds: 125) == "2m05s")
    #expect(Format.elapsed(seconds: 3725) == "1h02m")
    #expect(Format.age(seconds: 172_800) == "2d")
    #expect(Format.parseDuration("500ms") == .milliseconds(500))
    #expect(Format.parseDuration("2h") == .seconds(7200))
    #expect(Format.parseDuration("x") == nil)
    #expect(Format.name("PHASE_DATABASE_PROVISIONING", prefix: "PHASE_") == "database_provisioning")
    #expect(Format.table(["A", "BB"], [["xxx", "y"]]) == "A    BB\nxxx  y")
  }

  @Test func exitStatuses() {
    #expect(OnveraCLIError.Code.api.exitStatus == 1)
    #expect(OnveraCLIError.Code.notAuthenticated.exitStatus == 1)
    #expect(OnveraCLIError.Code.usage.exitStatus == 2)
    #expect(OnveraCLIError.Code.operationFailed.exitStatus == 3)
    #expect(OnveraCLIError.Code.unreachable.exitStatus == 4)
  }
}

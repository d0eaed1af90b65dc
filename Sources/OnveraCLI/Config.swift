import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `onvera auth login` stores: the server address and the API key.
public struct StoredConfig: Codable, Equatable, Sendable {
  /// The server address, `HOST:PORT`.
  public var server: String?
  /// The API key (`onv_sk_live_...`).
  public var apiKey: String?
  /// A PEM bundle of CAs to trust for TLS, when not the system's.
  public var caCertificate: String?

  enum CodingKeys: String, CodingKey {
    case server
    case apiKey = "api_key"
    case caCertificate = "ca_cert"
  }

  /// Creates a config.
  public init(server: String? = nil, apiKey: String? = nil, caCertificate: String? = nil) {
    self.server = server
    self.apiKey = apiKey
    self.caCertificate = caCertificate
  }
}

/// The config file: `$XDG_CONFIG_HOME/onvera/config.json`, else `~/.config/onvera/config.json`.
public struct ConfigFile: Sendable {
  /// The file's path.
  public var path: String

  /// The file for `environment` (XDG_CONFIG_HOME, then HOME).
  public init(environment: [String: String]) {
    let base: String
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      base = xdg
    } else {
      base = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
    }
    self.path = base + "/onvera/config.json"
  }

  /// A file at an explicit path.
  public init(path: String) { self.path = path }

  /// The stored config; an empty one when the file does not exist.
  public func load() throws(OnveraCLIError) -> StoredConfig {
    guard FileManager.default.fileExists(atPath: path) else { return StoredConfig() }
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      return try JSONDecoder().decode(StoredConfig.self, from: data)
    } catch {
      throw OnveraCLIError(code: .local, message: "cannot read \(path): \(error)", cause: error)
    }
  }

  /// Writes `config` with mode 0600 (it holds a secret), its directory 0700.
  public func save(_ config: StoredConfig) throws(OnveraCLIError) {
    let directory = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let data = try encoder.encode(config)
      // Written to a private temporary file and renamed, so the key is never readable by others,
      // not even for the moment between creating the file and changing its mode.
      let temporary = path + ".tmp.\(getpid())"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
      let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      fchmod(fd, 0o600)
      close(fd)
      guard written == data.count else { throw POSIXError(.EIO) }
      guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    } catch {
      throw OnveraCLIError(code: .local, message: "cannot write \(path): \(error)", cause: error)
    }
  }

  /// Removes the file; true when there was one.
  @discardableResult
  public func remove() throws(OnveraCLIError) -> Bool {
    guard FileManager.default.fileExists(atPath: path) else { return false }
    do {
      try FileManager.default.removeItem(atPath: path)
      return true
    } catch {
      throw OnveraCLIError(code: .local, message: "cannot remove \(path): \(error)", cause: error)
    }
  }
}

/// Where the server is and how to authenticate, after flags, environment and config file.
public struct Settings: Sendable, Equatable {
  /// The server used when nothing says otherwise.
  public static let defaultServer = "127.0.0.1:50051"

  /// The address to connect to.
  public var server: ServerAddress
  /// The API key, nil when none is configured anywhere.
  public var apiKey: String?
  /// A PEM bundle of CAs to trust for TLS instead of the system's.
  public var caCertificate: String?

  /// Resolves settings: `--server`/`--api-key` beat `ONVERA_SERVER`/`ONVERA_API_KEY`,
  /// which beat the config file.
  public static func resolve(
    serverFlag: String?, apiKeyFlag: String?, environment: [String: String], stored: StoredConfig,
    tls: Bool = false, caCertificate: String? = nil
  ) throws(OnveraCLIError) -> Settings {
    func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
    let server = nonEmpty(serverFlag) ?? nonEmpty(environment["ONVERA_SERVER"]) ?? nonEmpty(stored.server)
      ?? defaultServer
    let key = nonEmpty(apiKeyFlag) ?? nonEmpty(environment["ONVERA_API_KEY"]) ?? nonEmpty(stored.apiKey)
    var address = try ServerAddress(parsing: server)
    // --tls (or --ca-cert) upgrades an address written without a scheme.
    let ca = nonEmpty(caCertificate) ?? nonEmpty(stored.caCertificate)
    if tls || ca != nil { address.tls = true }
    return Settings(server: address, apiKey: key, caCertificate: ca)
  }
}

/// A server address, `HOST:PORT`, optionally written `http://HOST:PORT`.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
  /// The host name or IP address (IPv6 without brackets).
  public var host: String
  /// The TCP port.
  public var port: Int
  /// Whether to speak TLS (an `https://` address); otherwise h2c.
  public var tls: Bool

  /// Parses `HOST:PORT`, `[V6]:PORT`, `http://HOST:PORT` (h2c) or `https://HOST:PORT` (TLS).
  public init(parsing text: String) throws(OnveraCLIError) {
    var rest = Substring(text)
    tls = false
    if rest.hasPrefix("https://") {
      rest = rest.dropFirst("https://".count)
      tls = true
    } else if rest.hasPrefix("http://") {
      rest = rest.dropFirst("http://".count)
    }
    while rest.hasSuffix("/") { rest = rest.dropLast() }
    guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
      (1...65535).contains(port), colon != rest.startIndex
    else {
      throw OnveraCLIError(code: .usage, message: "server address must be HOST:PORT, e.g. 127.0.0.1:50051; got '\(text)'")
    }
    var host = rest[..<colon]
    if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
    guard !host.contains("/") else {
      throw OnveraCLIError(
        code: .usage, message: "server address must be HOST:PORT, http://HOST:PORT or https://HOST:PORT; got '\(text)'")
    }
    self.host = String(host)
    self.port = port
  }

  /// `HOST:PORT`, with `https://` in front for TLS.
  public var description: String {
    (tls ? "https://" : "") + (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
  }
}

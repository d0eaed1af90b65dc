/// TLS for the transports: TLS 1.2 or 1.3 (1.3 preferred) on the system OpenSSL, ALPN `h2` required.
///
/// Set it on a transport's configuration; without it the transports speak h2c.
///
/// ```swift
/// var server = Nghttp2ServerTransport.Configuration()
/// server.tls = .server(certificateChain: "server.pem", privateKey: "server.key", clientCA: "ca.pem")
///
/// var client = Nghttp2ClientTransport.Configuration()
/// client.tls = .client(trustRoots: .file("ca.pem"), serverName: "api.example.com")
/// ```
public struct TLSConfiguration: Sendable {
  /// Where a client finds the certificate authorities it trusts.
  public struct TrustRoots: Sendable, Hashable {
    enum Source: Hashable { case system, file(String) }
    let source: Source

    /// The operating system's store (Debian: `/etc/ssl/certs`).
    public static var system: Self { Self(source: .system) }
    /// A PEM bundle of CA certificates.
    public static func file(_ path: String) -> Self { Self(source: .file(path)) }
  }

  enum Role: Sendable {
    case server(certificateChain: String, privateKey: String, clientCA: String?)
    case client(trustRoots: TrustRoots, serverName: String?, certificateChain: String?, privateKey: String?)
  }

  let role: Role
  /// A handshake not done within this time closes the connection.
  public var handshakeTimeout: Duration
  /// Told why each failed handshake failed (a server's log of refused clients); nil by default.
  ///
  /// Called on the connection's event loop: it must not block.
  public var onHandshakeFailure: (@Sendable (Nghttp2TransportError) -> Void)?

  init(role: Role) {
    self.role = role
    self.handshakeTimeout = .seconds(10)
    self.onHandshakeFailure = nil
  }

  /// A server presenting the certificate chain and key in PEM files.
  ///
  /// - Parameters:
  ///   - certificateChain: PEM file, leaf certificate first, then intermediates.
  ///   - privateKey: PEM file with the leaf certificate's private key.
  ///   - clientCA: When set, clients must present a certificate issued by a CA in this PEM bundle (mTLS).
  public static func server(certificateChain: String, privateKey: String, clientCA: String? = nil) -> Self {
    Self(role: .server(certificateChain: certificateChain, privateKey: privateKey, clientCA: clientCA))
  }

  /// A client verifying the server's certificate and host name.
  ///
  /// - Parameters:
  ///   - trustRoots: The CAs the server's certificate must chain to.
  ///   - serverName: The name sent as SNI and checked against the certificate; nil uses the host connected to.
  ///   - certificateChain: A client certificate (PEM) for servers that ask for one.
  ///   - privateKey: The client certificate's key (PEM).
  public static func client(
    trustRoots: TrustRoots = .system,
    serverName: String? = nil,
    certificateChain: String? = nil,
    privateKey: String? = nil
  ) -> Self {
    Self(
      role: .client(
        trustRoots: trustRoots, serverName: serverName, certificateChain: certificateChain, privateKey: privateKey))
  }

  var isServer: Bool {
    if case .server = self.role { return true }
    return false
  }
}

internal import COpenSSL
internal import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Takes every error off OpenSSL's thread-local queue, oldest first, as readable strings.
func drainOpenSSLErrors() -> [String] {
  var errors: [String] = []
  while true {
    let code = ERR_get_error()
    if code == 0 { break }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    errors.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }
  return errors
}

/// A message followed by the OpenSSL errors that explain it, if any.
func withOpenSSLErrors(_ message: String, _ errors: [String]) -> String {
  errors.isEmpty ? message : "\(message) [\(errors.joined(separator: "; "))]"
}

/// The ALPN protocol list we offer and accept: just `h2`, length-prefixed.
private let alpnH2: [UInt8] = [2, UInt8(ascii: "h"), UInt8(ascii: "2")]

/// Server side ALPN: selects `h2` or fails the handshake with `no_application_protocol`.
private let selectH2: @convention(c) (
  OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
  UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
  guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_ALERT_FATAL }
  // Walk the client's length-prefixed list; point into it rather than at our own storage.
  var index = 0
  let count = Int(offeredLength)
  while index < count {
    let length = Int(offered[index])
    let start = index + 1
    if start + length > count { break }
    if length == 2 && offered[start] == UInt8(ascii: "h") && offered[start + 1] == UInt8(ascii: "2") {
      out.pointee = offered + start
      outLength.pointee = 2
      return SSL_TLSEXT_ERR_OK
    }
    index = start + length
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL
}

/// An `SSL_CTX` built from a ``TLSConfiguration``: certificates loaded, verification and ALPN set.
///
/// Immutable once built, and OpenSSL allows `SSL_new` on one context from many threads, which is all
/// connections do with it; each `SSL` holds its own reference, so replacing the context (certificate
/// reload) leaves open connections untouched.
final class TLSContext: @unchecked Sendable {
  let pointer: OpaquePointer
  let configuration: TLSConfiguration

  init(_ configuration: TLSConfiguration) throws {
    ERR_clear_error()
    let method = configuration.isServer ? TLS_server_method() : TLS_client_method()
    guard let ctx = SSL_CTX_new(method) else {
      throw Self.error("Could not create an OpenSSL context.")
    }
    self.pointer = ctx
    self.configuration = configuration
    guard COpenSSL_SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1,
      COpenSSL_SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1
    else { throw Self.error("Could not restrict the context to TLS 1.2 and 1.3.") }
    // TLS 1.2 suites HTTP/2 allows (RFC 7540 9.2.2): ephemeral key exchange, AEAD only.
    guard SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20") == 1 else {
      throw Self.error("Could not set the TLS 1.2 cipher suites.")
    }
    _ = COpenSSL_SSL_CTX_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))

    switch configuration.role {
    case .server(let chain, let key, let clientCA):
      try Self.useCertificate(ctx, chain: chain, key: key)
      SSL_CTX_set_alpn_select_cb(ctx, selectH2, nil)
      if let clientCA {
        try Self.readable(clientCA, what: "client CA bundle")
        guard SSL_CTX_load_verify_locations(ctx, clientCA, nil) == 1 else {
          throw Self.error("Could not load the client CA bundle '\(clientCA)'.")
        }
        if let names = SSL_load_client_CA_file(clientCA) {
          SSL_CTX_set_client_CA_list(ctx, names)
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
      }
    case .client(let roots, _, let chain, let key):
      switch roots.source {
      case .system:
        guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
          throw Self.error("Could not load the system's CA certificates.")
        }
      case .file(let path):
        try Self.readable(path, what: "CA bundle")
        guard SSL_CTX_load_verify_locations(ctx, path, nil) == 1 else {
          throw Self.error("Could not load the CA bundle '\(path)'.")
        }
      }
      if let chain, let key {
        try Self.useCertificate(ctx, chain: chain, key: key)
      } else if chain != nil || key != nil {
        throw Nghttp2TransportError(
          code: .tlsConfigurationInvalid, message: "A client certificate needs both a certificate chain and a private key.")
      }
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
    }
  }

  deinit {
    SSL_CTX_free(self.pointer)
  }

  private static func error(_ message: String) -> Nghttp2TransportError {
    Nghttp2TransportError(code: .tlsConfigurationInvalid, message: withOpenSSLErrors(message, drainOpenSSLErrors()))
  }

  private static func readable(_ path: String, what: String) throws {
    if access(path, R_OK) != 0 {
      let reason = String(cString: strerror(errno))
      throw Nghttp2TransportError(code: .tlsConfigurationInvalid, message: "Cannot read the \(what) '\(path)': \(reason).")
    }
  }

  private static func useCertificate(_ ctx: OpaquePointer, chain: String, key: String) throws {
    try Self.readable(chain, what: "certificate chain")
    try Self.readable(key, what: "private key")
    guard SSL_CTX_use_certificate_chain_file(ctx, chain) == 1 else {
      throw Self.error("'\(chain)' does not hold a PEM certificate chain.")
    }
    guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else {
      throw Self.error("'\(key)' does not hold a PEM private key matching the certificate in '\(chain)'.")
    }
    guard SSL_CTX_check_private_key(ctx) == 1 else {
      throw Self.error("The private key in '\(key)' does not match the certificate in '\(chain)'.")
    }
    if let leaf = SSL_CTX_get0_certificate(ctx) {
      if let notAfter = X509_get0_notAfter(leaf), X509_cmp_current_time(notAfter) < 0 {
        throw Nghttp2TransportError(
          code: .tlsConfigurationInvalid,
          message: "The certificate in '\(chain)' expired on \(Self.describe(notAfter)).")
      }
      if let notBefore = X509_get0_notBefore(leaf), X509_cmp_current_time(notBefore) > 0 {
        throw Nghttp2TransportError(
          code: .tlsConfigurationInvalid,
          message: "The certificate in '\(chain)' is not valid before \(Self.describe(notBefore)).")
      }
    }
  }

  private static func describe(_ time: UnsafePointer<ASN1_TIME>) -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { return "an unknown date" }
    defer { BIO_free(bio) }
    guard ASN1_TIME_print(bio, time) == 1 else { return "an unknown date" }
    var data: UnsafeMutablePointer<CChar>? = nil
    let length = COpenSSL_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { return "an unknown date" }
    return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
  }
}

/// TLS on one channel: an `SSL` over two memory BIOs, below the HTTP/2 handler.
///
/// Ciphertext from the socket goes into the read BIO and plaintext comes out of `SSL_read`;
/// plaintext written by HTTP/2 goes through `SSL_write` and the write BIO's ciphertext to the
/// socket. Nothing blocks: OpenSSL only ever asks for more bytes (`SSL_ERROR_WANT_READ`), which
/// arrive with the next `channelRead`. Writes made before the handshake completes wait here.
/// The `SSL` belongs to the channel's event loop.
final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum State { case idle, handshaking, established, failed, closed }

  private let ssl: OpaquePointer
  private let readBIO: OpaquePointer
  private let writeBIO: OpaquePointer
  private let isServer: Bool
  private let handshakeTimeout: Duration
  private let peerDescription: String
  private var state = State.idle
  private var pendingWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
  private var pendingFlush = false
  private var timeout: Scheduled<Void>?
  private var handshakeResolved = false
  /// Succeeds once the handshake completes with ALPN `h2`; fails with the reason otherwise.
  let handshakeCompleted: EventLoopPromise<Void>
  /// Told about a failed handshake (e.g. for a server's log).
  private let onFailure: (@Sendable (Nghttp2TransportError) -> Void)?

  init(context tlsContext: TLSContext, eventLoop: any EventLoop, peerHost: String?) throws {
    ERR_clear_error()
    guard let ssl = SSL_new(tlsContext.pointer),
      let readBIO = BIO_new(BIO_s_mem()),
      let writeBIO = BIO_new(BIO_s_mem())
    else {
      throw Nghttp2TransportError(
        code: .tlsFailed, message: withOpenSSLErrors("Could not create a TLS session.", drainOpenSSLErrors()))
    }
    // An empty read BIO means "wait for more", not end of file.
    _ = COpenSSL_BIO_set_mem_eof_return(readBIO, -1)
    _ = COpenSSL_BIO_set_mem_eof_return(writeBIO, -1)
    SSL_set_bio(ssl, readBIO, writeBIO)
    self.ssl = ssl
    self.readBIO = readBIO
    self.writeBIO = writeBIO
    self.isServer = tlsContext.configuration.isServer
    self.handshakeTimeout = tlsContext.configuration.handshakeTimeout
    self.handshakeCompleted = eventLoop.makePromise()
    self.onFailure = tlsContext.configuration.onHandshakeFailure
    var peer = peerHost ?? "the peer"
    if case .client(_, let serverName?, _, _) = tlsContext.configuration.role, serverName != peerHost {
      peer = peerHost.map { "\(serverName) (\($0))" } ?? serverName
    }
    self.peerDescription = peer

    switch tlsContext.configuration.role {
    case .server:
      SSL_set_accept_state(ssl)
    case .client(_, let serverName, _, _):
      SSL_set_connect_state(ssl)
      _ = alpnH2.withUnsafeBufferPointer { SSL_set_alpn_protos(ssl, $0.baseAddress, UInt32($0.count)) }
      if let name = serverName ?? peerHost {
        if Self.isIPAddress(name) {
          // No SNI for addresses (RFC 6066); the certificate must name the IP.
          X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
        } else {
          _ = COpenSSL_SSL_set_tlsext_host_name(ssl, name)
          SSL_set1_host(ssl, name)
        }
      }
    }
  }

  deinit {
    // Never added to a pipeline (or dropped without one): the promise must still complete.
    if !self.handshakeResolved {
      self.handshakeCompleted.fail(
        Nghttp2TransportError(code: .tlsHandshakeFailed, message: "The TLS handler was dropped before the handshake."))
    }
    SSL_free(self.ssl)  // frees both BIOs too
  }

  private static func isIPAddress(_ name: String) -> Bool {
    var address = [UInt8](repeating: 0, count: 16)  // room for an in6_addr
    return inet_pton(AF_INET, name, &address) == 1 || inet_pton(AF_INET6, name, &address) == 1
  }

  // MARK: channel events

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { self.start(context: context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    self.start(context: context)
    context.fireChannelActive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.timeout?.cancel()
    self.failPending(Nghttp2TransportError(code: .tlsFailed, message: "The TLS handler was removed."))
  }

  private func start(context: ChannelHandlerContext) {
    guard self.state == .idle else { return }
    self.state = .handshaking
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    self.timeout = context.eventLoop.scheduleTask(in: TimeAmount(self.handshakeTimeout)) {
      let (handler, context) = loopBound.value
      guard handler.state == .handshaking else { return }
      handler.fail(
        context: context,
        Nghttp2TransportError(
          code: .tlsHandshakeTimedOut,
          message: "The TLS handshake with \(handler.peerDescription) did not finish within \(handler.handshakeTimeout)."))
    }
    if !self.isServer { self.handshake(context: context) }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = self.unwrapInboundIn(data)
    guard self.state == .handshaking || self.state == .established else { return }
    let written = buffer.withUnsafeReadableBytes { bytes -> Int32 in
      guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
      return BIO_write(self.readBIO, base, Int32(bytes.count))
    }
    if written < buffer.readableBytes {
      self.fail(context: context, Nghttp2TransportError(code: .tlsFailed, message: "Could not buffer TLS input."))
      return
    }
    if self.state == .handshaking {
      self.handshake(context: context)
    }
    if self.state == .established {
      self.readPlaintext(context: context)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    context.fireChannelReadComplete()
  }

  func channelInactive(context: ChannelHandlerContext) {
    self.timeout?.cancel()
    if self.state == .handshaking || self.state == .idle {
      self.state = .closed
      let error = Nghttp2TransportError(
        code: .tlsHandshakeFailed,
        message: "\(self.peerDescription) closed the connection during the TLS handshake.")
      self.resolveHandshake(.failure(error))
    }
    self.state = .closed
    self.failPending(Nghttp2TransportError(code: .tlsFailed, message: "The connection closed."))
    context.fireChannelInactive()
  }

  // MARK: outbound

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let buffer = self.unwrapOutboundIn(data)
    switch self.state {
    case .idle, .handshaking:
      self.pendingWrites.append((buffer, promise))
    case .established:
      self.encrypt(context: context, buffer, promise: promise)
    case .failed, .closed:
      promise?.fail(Nghttp2TransportError(code: .tlsFailed, message: "The TLS connection is closed."))
    }
  }

  func flush(context: ChannelHandlerContext) {
    if self.state == .established {
      context.flush()
    } else {
      self.pendingFlush = true
    }
  }

  func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
    if self.state == .established && mode == .all {
      // close_notify, best effort: the peer learns the close was deliberate.
      ERR_clear_error()
      _ = SSL_shutdown(self.ssl)
      _ = drainOpenSSLErrors()
      self.writeCiphertext(context: context, promise: nil)
      context.flush()
    }
    if mode == .all { self.state = .closed }
    context.close(mode: mode, promise: promise)
  }

  // MARK: TLS

  private func handshake(context: ChannelHandlerContext) {
    ERR_clear_error()
    let rc = SSL_do_handshake(self.ssl)
    if rc == 1 {
      self.writeCiphertext(context: context, promise: nil)
      context.flush()
      self.handshakeDone(context: context)
      return
    }
    let code = SSL_get_error(self.ssl, rc)
    if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
      self.writeCiphertext(context: context, promise: nil)
      context.flush()
      return
    }
    var reasons = drainOpenSSLErrors()
    let verify = SSL_get_verify_result(self.ssl)
    if verify != X509_V_OK {
      reasons.insert("certificate verification: \(String(cString: X509_verify_cert_error_string(verify)))", at: 0)
    }
    // Send our alert (if OpenSSL queued one) before closing.
    self.writeCiphertext(context: context, promise: nil)
    context.flush()
    let what = self.isServer ? "from \(self.peerDescription)" : "with \(self.peerDescription)"
    self.fail(
      context: context,
      Nghttp2TransportError(
        code: .tlsHandshakeFailed,
        message: withOpenSSLErrors("The TLS handshake \(what) failed.", reasons.isEmpty ? ["connection closed or protocol error (SSL_get_error \(code))"] : reasons)))
  }

  private func handshakeDone(context: ChannelHandlerContext) {
    var protocolPointer: UnsafePointer<UInt8>? = nil
    var length: UInt32 = 0
    SSL_get0_alpn_selected(self.ssl, &protocolPointer, &length)
    let selected = protocolPointer.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
    guard selected == "h2" else {
      let message =
        self.isServer
        ? "\(self.peerDescription) did not offer ALPN h2 (HTTP/2 over TLS requires it); closing."
        : "\(self.peerDescription) did not select ALPN h2 (selected: \(selected ?? "none")); closing."
      self.fail(context: context, Nghttp2TransportError(code: .tlsHandshakeFailed, message: message))
      return
    }
    self.timeout?.cancel()
    self.timeout = nil
    self.state = .established
    self.resolveHandshake(.success(()))
    let writes = self.pendingWrites
    self.pendingWrites = []
    for (buffer, promise) in writes {
      self.encrypt(context: context, buffer, promise: promise)
    }
    if self.pendingFlush || !writes.isEmpty {
      self.pendingFlush = false
      context.flush()
    }
    // Application data may have arrived with the peer's last handshake flight.
    self.readPlaintext(context: context)
  }

  private func readPlaintext(context: ChannelHandlerContext) {
    var readAny = false
    while self.state == .established {
      // Nothing buffered on either side: SSL_read could only say "want read"; skip the allocation.
      let available = max(Int(SSL_pending(self.ssl)), min(Int(BIO_ctrl_pending(self.readBIO)), 16 * 1024))
      if available == 0 {
        self.writeCiphertext(context: context, promise: nil)
        if readAny { context.flush() }
        return
      }
      ERR_clear_error()
      var buffer = context.channel.allocator.buffer(capacity: available)
      var rc: Int32 = 0
      buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: available) { bytes in
        rc = SSL_read(self.ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        return rc > 0 ? Int(rc) : 0
      }
      if rc > 0 {
        readAny = true
        context.fireChannelRead(self.wrapInboundOut(buffer))
        continue
      }
      let code = SSL_get_error(self.ssl, rc)
      switch code {
      case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
        // TLS 1.3 post-handshake messages (tickets, key updates) may need answering.
        self.writeCiphertext(context: context, promise: nil)
        if readAny { context.flush() }
        return
      case SSL_ERROR_ZERO_RETURN:
        // close_notify from the peer.
        self.writeCiphertext(context: context, promise: nil)
        context.flush()
        self.state = .closed
        context.close(promise: nil)
        return
      default:
        self.fail(
          context: context,
          Nghttp2TransportError(
            code: .tlsFailed,
            message: withOpenSSLErrors("TLS failed on the connection with \(self.peerDescription).", drainOpenSSLErrors())))
        return
      }
    }
  }

  private func encrypt(context: ChannelHandlerContext, _ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
    guard buffer.readableBytes > 0 else {
      context.write(self.wrapOutboundOut(buffer), promise: promise)
      return
    }
    ERR_clear_error()
    // A memory BIO never fills, so SSL_write takes everything at once.
    let rc = buffer.withUnsafeReadableBytes { bytes in
      SSL_write(self.ssl, bytes.baseAddress, Int32(clamping: bytes.count))
    }
    if rc != buffer.readableBytes {
      let error = Nghttp2TransportError(
        code: .tlsFailed, message: withOpenSSLErrors("TLS could not encrypt outgoing data.", drainOpenSSLErrors()))
      promise?.fail(error)
      self.fail(context: context, error)
      return
    }
    self.writeCiphertext(context: context, promise: promise)
  }

  /// Moves whatever OpenSSL wrote to the write BIO onto the channel.
  private func writeCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
    let pending = Int(BIO_ctrl_pending(self.writeBIO))
    guard pending > 0 else {
      promise?.succeed(())
      return
    }
    var buffer = context.channel.allocator.buffer(capacity: pending)
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
      Int(max(0, BIO_read(self.writeBIO, bytes.baseAddress, Int32(clamping: bytes.count))))
    }
    context.write(self.wrapOutboundOut(buffer), promise: promise)
  }

  private func fail(context: ChannelHandlerContext, _ error: Nghttp2TransportError) {
    guard self.state != .failed && self.state != .closed else { return }
    let wasHandshaking = self.state == .handshaking || self.state == .idle
    self.state = .failed
    self.timeout?.cancel()
    self.timeout = nil
    if wasHandshaking {
      self.resolveHandshake(.failure(error))
    }
    self.failPending(error)
    context.fireErrorCaught(error)
    context.close(promise: nil)
  }

  private func failPending(_ error: Nghttp2TransportError) {
    let writes = self.pendingWrites
    self.pendingWrites = []
    for (_, promise) in writes { promise?.fail(error) }
    self.resolveHandshake(.failure(error))
  }

  private func resolveHandshake(_ result: Result<Void, Nghttp2TransportError>) {
    guard !self.handshakeResolved else { return }
    self.handshakeResolved = true
    switch result {
    case .success:
      self.handshakeCompleted.succeed(())
    case .failure(let error):
      self.handshakeCompleted.fail(error)
      self.onFailure?(error)
    }
  }
}

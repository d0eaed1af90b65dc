internal import CNghttp2
internal import GRPCCore
internal import NIOCore

/// Per-stream state of a client stream on the event loop.
final class ClientStream {
  var id: Int32 = -1
  let inbound: InboundQueue
  let flow: OutboundFlow
  var deframer: GRPCMessageDeframer
  var responseHeaders: [(String, String)] = []
  var sawResponseHeaders = false
  var responseCompression: CompressionAlgorithm = .none
  var pending: [[UInt8]] = []
  var pendingHead = 0
  var pendingOffset = 0
  var endRequested = false
  var dataDeferred = false
  var finished = false
  var deferredWindow = 0

  init(inbound: InboundQueue, flow: OutboundFlow, maxMessageBytes: Int) {
    self.inbound = inbound
    self.flow = flow
    self.deframer = GRPCMessageDeframer(maxMessageBytes: maxMessageBytes)
  }
}

/// What the connection tells the transport.
protocol ClientConnectionOwner: Sendable {
  /// A GOAWAY arrived or the connection closed: new streams must go elsewhere. `wasHealthy` is
  /// false when the server never sent its SETTINGS (the attempt counts as failed for backoff).
  func connectionUnusable(id: UInt64, wasHealthy: Bool)
}

/// One HTTP/2 client connection: the nghttp2 session and its streams, on the channel's event loop.
final class ClientConnectionHandler: ChannelInboundHandler, Nghttp2SessionDelegate {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private let configuration: Nghttp2ClientTransport.Configuration
  private let authority: String
  private let owner: any ClientConnectionOwner
  /// Unique for the transport's lifetime (object identities may be reused).
  let connectionID: UInt64
  private var session: Nghttp2Session?
  private var context: ChannelHandlerContext?
  /// The channel's event loop, kept after the context is let go in `handlerRemoved`.
  private var eventLoop: (any EventLoop)?
  private var streamsByKey: [UInt64: ClientStream] = [:]
  private var streamsByID: [Int32: ClientStream] = [:]
  private var keyByID: [Int32: UInt64] = [:]
  private var flushScheduled = false
  private var unusable = false
  private var sawSettings = false
  private(set) var isClosed = false
  let closed: EventLoopPromise<Void>
  /// Why the connection failed, when a handler below (TLS) said so; appended to RPC errors.
  private var failure: String?

  private func because(_ message: String) -> String {
    guard let failure = self.failure else { return message + "." }
    return "\(message): \(failure)"
  }

  init(
    configuration: Nghttp2ClientTransport.Configuration, authority: String, owner: any ClientConnectionOwner,
    connectionID: UInt64, eventLoop: any EventLoop
  ) {
    self.connectionID = connectionID
    self.configuration = configuration
    self.authority = authority
    self.owner = owner
    self.closed = eventLoop.makePromise()
  }

  private var loopBound: NIOLoopBound<ClientConnectionHandler> {
    NIOLoopBound(self, eventLoop: self.eventLoop!)
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    self.eventLoop = context.eventLoop
    let session = Nghttp2Session(role: .client, delegate: self)
    session.start(
      .init(
        maxConcurrentStreams: nil,
        initialWindowSize: UInt32(clamping: self.configuration.initialStreamWindowBytes),
        connectionWindowSize: Int32(clamping: self.configuration.connectionWindowBytes),
        maxHeaderListSize: 16 * 1024
      ))
    self.session = session
    if context.channel.isActive { self.flush() }
  }

  func channelActive(context: ChannelHandlerContext) {
    self.flush()
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let session = self.session else { return }
    if !session.receive(self.unwrapInboundIn(data)) {
      self.flush()
      context.close(promise: nil)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    self.flush()
    context.fireChannelReadComplete()
  }

  func channelInactive(context: ChannelHandlerContext) {
    self.teardown()
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.teardown()
    // The context holds this handler: keeping it would leak both with the whole channel.
    self.context = nil
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if self.failure == nil, let error = error as? Nghttp2TransportError { self.failure = error.message }
    context.close(promise: nil)
  }

  private func teardown() {
    guard !self.isClosed else { return }
    self.isClosed = true
    for (_, stream) in self.streamsByKey {
      self.finish(stream, status: Status(code: .unavailable, message: self.because("The connection to the server was lost")))
    }
    self.streamsByKey.removeAll()
    self.streamsByID.removeAll()
    self.keyByID.removeAll()
    self.session = nil
    self.markUnusable()
    self.closed.succeed()
  }

  private func markUnusable() {
    guard !self.unusable else { return }
    self.unusable = true
    self.owner.connectionUnusable(id: self.connectionID, wasHealthy: self.sawSettings)
  }

  func flush() {
    guard let session = self.session, let context = self.context, context.channel.isActive else { return }
    var buffer = context.channel.allocator.buffer(capacity: 0)
    let ok = session.send(into: &buffer)
    if buffer.readableBytes > 0 {
      context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
    }
    if !ok || !session.wantsIO {
      context.close(promise: nil)
    } else if self.unusable && self.streamsByKey.isEmpty {
      // Drained after GOAWAY.
      context.close(promise: nil)
    }
  }

  private func scheduleFlush() {
    guard !self.flushScheduled, let context = self.context else { return }
    self.flushScheduled = true
    let bound = self.loopBound
    context.eventLoop.execute {
      bound.value.flushScheduled = false
      bound.value.flush()
    }
  }

  func close() {
    self.context?.close(promise: nil)
  }

  /// Takes no new streams and closes once the open ones are done.
  func drainAndClose() {
    self.markUnusable()
    if self.streamsByKey.isEmpty { self.close() }
  }

  // MARK: stream operations (from tasks, via the event loop)

  func register(key: UInt64, stream: ClientStream) {
    if self.isClosed || self.unusable {
      self.finish(stream, status: Status(code: .unavailable, message: self.because("The connection is closing")))
      return
    }
    self.streamsByKey[key] = stream
  }

  func start(key: UInt64, descriptor: MethodDescriptor, metadata: Metadata, compression: CompressionAlgorithm) {
    guard let stream = self.streamsByKey[key], stream.id < 0, let session = self.session else { return }
    var headers = [
      (":method", "POST"), (":scheme", self.configuration.scheme), (":path", "/\(descriptor.service.fullyQualifiedService)/\(descriptor.method)"),
      (":authority", self.authority), ("content-type", "application/grpc"), ("te", "trailers"),
      ("user-agent", "grpc-swift-nghttp2"),
      ("grpc-accept-encoding", MessageCompression.acceptEncoding(self.configuration.compression)),
    ]
    if let name = MessageCompression.name(of: compression) {
      headers.append(("grpc-encoding", name))
    }
    GRPCHeaders.appendMetadata(metadata, to: &headers)
    var provider = Nghttp2Session.dataProvider()
    let id = Nghttp2Session.withNameValues(headers) { nv, count in
      nghttp2_submit_request(session.raw, nil, nv, count, &provider, nil)
    }
    guard id > 0 else {
      self.streamsByKey[key] = nil
      self.finish(stream, status: Status(code: .unavailable, message: "No stream could be opened (nghttp2 error \(id))."))
      return
    }
    stream.id = id
    self.streamsByID[id] = stream
    self.keyByID[id] = key
    self.scheduleFlush()
  }

  func send(key: UInt64, framed: [UInt8]) {
    guard let stream = self.streamsByKey[key], !stream.endRequested, let session = self.session else {
      return
    }
    stream.pending.append(framed)
    if stream.dataDeferred && stream.id > 0 {
      stream.dataDeferred = false
      nghttp2_session_resume_data(session.raw, stream.id)
    }
    self.scheduleFlush()
  }

  func halfClose(key: UInt64) {
    guard let stream = self.streamsByKey[key], let session = self.session else { return }
    stream.endRequested = true
    if stream.dataDeferred && stream.id > 0 {
      stream.dataDeferred = false
      nghttp2_session_resume_data(session.raw, stream.id)
    }
    self.scheduleFlush()
  }

  /// The RPC is over on the caller's side: reset the stream if it is still open.
  func cancel(key: UInt64) {
    guard let stream = self.streamsByKey.removeValue(forKey: key) else { return }
    if stream.id > 0 {
      self.streamsByID[stream.id] = nil
      self.keyByID[stream.id] = nil
      if !stream.finished, let session = self.session {
        nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, HTTP2ErrorCode.cancel)
      }
      if stream.deferredWindow > 0 {
        self.session?.consume(streamID: stream.id, count: stream.deferredWindow)
      }
    }
    self.finish(stream, status: Status(code: .cancelled, message: "The RPC was cancelled."))
    self.scheduleFlush()
  }

  private func windowWake(streamID: Int32) {
    guard let stream = self.streamsByID[streamID], let session = self.session else { return }
    session.consume(streamID: streamID, count: stream.deferredWindow)
    stream.deferredWindow = 0
    self.scheduleFlush()
  }

  func makeWake(streamKey: UInt64) -> @Sendable () -> Void {
    let bound = self.loopBound
    let eventLoop = self.eventLoop!
    return {
      eventLoop.execute {
        let handler = bound.value
        if let stream = handler.streamsByKey[streamKey], stream.id > 0 {
          handler.windowWake(streamID: stream.id)
        }
      }
    }
  }

  private func finish(_ stream: ClientStream, status: Status, metadata: Metadata = [:]) {
    guard !stream.finished else { return }
    stream.finished = true
    stream.inbound.push(.status(status, metadata), bytes: 0)
    stream.inbound.finish(nil)
    stream.flow.close(RPCError(code: status.code == .ok ? .cancelled : RPCError.Code(status.code) ?? .unknown, message: "The stream is closed."))
  }

  // MARK: nghttp2 callbacks

  func sessionBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
    self.streamsByID[streamID]?.responseHeaders = []
  }

  func sessionHeader(streamID: Int32, name: String, value: String) {
    self.streamsByID[streamID]?.responseHeaders.append((name, value))
  }

  func sessionFrameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
    let type = frame.pointee.hd.type
    let streamID = frame.pointee.hd.stream_id
    let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
    if type == UInt8(NGHTTP2_SETTINGS.rawValue) {
      self.sawSettings = true
      return
    }
    if type == UInt8(NGHTTP2_GOAWAY.rawValue) {
      self.markUnusable()
      return
    }
    guard let stream = self.streamsByID[streamID], !stream.finished else { return }
    if type == UInt8(NGHTTP2_HEADERS.rawValue) {
      let headers = stream.responseHeaders
      stream.responseHeaders = []
      if !stream.sawResponseHeaders {
        stream.sawResponseHeaders = true
        self.onResponseHeaders(stream, headers, endStream: endStream)
      } else {
        self.onTrailers(stream, headers)
      }
    } else if type == UInt8(NGHTTP2_DATA.rawValue) && endStream {
      self.finish(stream, status: Status(code: .internalError, message: "The server ended the stream without trailers."))
    }
  }

  private func onResponseHeaders(_ stream: ClientStream, _ headers: [(String, String)], endStream: Bool) {
    var httpStatus = ""
    var contentType = ""
    var metadata = Metadata()
    for (name, value) in headers {
      switch name {
      case ":status": httpStatus = value
      case "content-type": contentType = value
      case "grpc-encoding":
        if let algorithm = MessageCompression.algorithm(named: value), self.configuration.compression.contains(algorithm) || algorithm == .none {
          stream.responseCompression = algorithm
        } else {
          self.resetAndFinish(stream, status: Status(code: .internalError, message: "The server used unsupported encoding '\(value)'."))
          return
        }
      default:
        if !GRPCHeaders.isReserved(name) { GRPCHeaders.addHeader(name: name, value: value, to: &metadata) }
      }
    }
    guard httpStatus == "200" else {
      self.resetAndFinish(stream, status: Status(code: Self.code(forHTTPStatus: httpStatus), message: "HTTP status \(httpStatus)."))
      return
    }
    if endStream {
      // Trailers-Only.
      self.onTrailers(stream, headers)
      return
    }
    guard contentType.hasPrefix("application/grpc") else {
      self.resetAndFinish(stream, status: Status(code: .unknown, message: "Unexpected content-type '\(contentType)'."))
      return
    }
    stream.inbound.push(.metadata(metadata), bytes: 0)
  }

  private func onTrailers(_ stream: ClientStream, _ headers: [(String, String)]) {
    var code: Status.Code?
    var message = ""
    var metadata = Metadata()
    for (name, value) in headers {
      switch name {
      case "grpc-status": code = Int(value).flatMap { Status.Code(rawValue: $0) } ?? .unknown
      case "grpc-message": message = GRPCHeaders.percentDecode(value)
      default:
        if !GRPCHeaders.isReserved(name) { GRPCHeaders.addHeader(name: name, value: value, to: &metadata) }
      }
    }
    if stream.deframer.hasPartialMessage {
      self.finish(stream, status: Status(code: .internalError, message: "The response ended inside a message."))
      return
    }
    self.finish(
      stream, status: Status(code: code ?? .unknown, message: code == nil ? "The server sent no grpc-status." : message),
      metadata: metadata)
  }

  private func resetAndFinish(_ stream: ClientStream, status: Status) {
    if let session = self.session, stream.id > 0 {
      nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, HTTP2ErrorCode.cancel)
    }
    self.finish(stream, status: status)
  }

  static func code(forHTTPStatus status: String) -> Status.Code {
    switch status {
    case "400": return .internalError
    case "401": return .unauthenticated
    case "403": return .permissionDenied
    case "404": return .unimplemented
    case "429", "502", "503", "504": return .unavailable
    default: return .unknown
    }
  }

  func sessionDataChunk(streamID: Int32, data: UnsafeRawBufferPointer) {
    guard let session = self.session else { return }
    guard let stream = self.streamsByID[streamID], !stream.finished else {
      session.consume(streamID: streamID, count: data.count)
      return
    }
    var messages: [GRPCMessageDeframer.Message] = []
    do {
      try stream.deframer.append(data, into: &messages)
    } catch {
      session.consume(streamID: streamID, count: data.count)
      switch error {
      case .tooLarge(let length, let limit):
        self.resetAndFinish(stream, status: Status(code: .resourceExhausted, message: "Response message of \(length) bytes is over the limit of \(limit) bytes."))
      case .invalidFlag(let flag):
        self.resetAndFinish(stream, status: Status(code: .internalError, message: "Invalid message flag \(flag)."))
      }
      return
    }
    for message in messages {
      if message.compressed && stream.responseCompression == .none {
        session.consume(streamID: streamID, count: data.count)
        self.resetAndFinish(stream, status: Status(code: .internalError, message: "Compressed message received without grpc-encoding."))
        return
      }
      stream.inbound.push(
        .message(message.bytes, compressed: message.compressed ? stream.responseCompression : .none), bytes: message.wireCount)
    }
    if stream.inbound.shouldDeferWindow() {
      stream.deferredWindow += data.count
    } else {
      session.consume(streamID: streamID, count: data.count)
    }
  }

  func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
    guard let stream = self.streamsByID.removeValue(forKey: streamID) else { return }
    if let key = self.keyByID.removeValue(forKey: streamID) {
      self.streamsByKey[key] = nil
    }
    if !stream.finished {
      let code: Status.Code
      switch errorCode {
      case HTTP2ErrorCode.refusedStream: code = .unavailable
      case HTTP2ErrorCode.cancel: code = .cancelled
      case HTTP2ErrorCode.enhanceYourCalm: code = .resourceExhausted
      default: code = .internalError
      }
      self.finish(stream, status: Status(code: code, message: "The server reset the stream (HTTP/2 error \(errorCode))."))
    }
    if self.unusable && self.streamsByKey.isEmpty { self.scheduleFlush() }
  }

  func sessionFrameSent(_ frame: UnsafePointer<nghttp2_frame>) {}

  func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
    guard let stream = self.streamsByID[streamID] else {
      return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    }
    var written = 0
    while written < buffer.count && stream.pendingHead < stream.pending.count {
      let chunk = stream.pending[stream.pendingHead]
      let n = min(chunk.count - stream.pendingOffset, buffer.count - written)
      chunk.withUnsafeBytes { src in
        buffer.baseAddress!.advanced(by: written).copyMemory(from: src.baseAddress!.advanced(by: stream.pendingOffset), byteCount: n)
      }
      written += n
      stream.pendingOffset += n
      if stream.pendingOffset == chunk.count {
        stream.pending[stream.pendingHead] = []
        stream.pendingHead += 1
        stream.pendingOffset = 0
      }
    }
    if stream.pendingHead == stream.pending.count {
      stream.pending.removeAll(keepingCapacity: true)
      stream.pendingHead = 0
    }
    if written > 0 { stream.flow.didSend(written) }
    if stream.pending.isEmpty && stream.endRequested {
      flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
      return written
    }
    if written == 0 {
      stream.dataDeferred = true
      return Int(NGHTTP2_ERR_DEFERRED.rawValue)
    }
    return written
  }
}

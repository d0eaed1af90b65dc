internal import CNghttp2
internal import GRPCCore
internal import NIOCore
internal import Synchronization

/// A request stream handed from a connection's event loop to the transport's handler tasks.
struct IncomingStream: Sendable {
  var descriptor: MethodDescriptor
  var inbound: ServerInboundSequence
  var writer: ServerStreamWriter
  var cancellation: CancellationBox
  var remotePeer: String
  var localPeer: String
}

/// Per-stream state on the event loop.
final class ServerStream {
  let id: Int32
  var headers: [(String, String)] = []
  /// The request's header list size as HTTP/2 counts it (name + value + 32 per field).
  var headerListBytes = 0
  var deframer: GRPCMessageDeframer
  var inbound: InboundQueue?
  var flow: OutboundFlow?
  var cancellation: CancellationBox?
  var requestCompression: CompressionAlgorithm = .none
  var deferredWindow = 0
  var inboundFinished = false
  var response = ServerResponseState()
  var pending: [[UInt8]] = []
  var pendingHead = 0
  var pendingOffset = 0
  var trailers: [(String, String)]?
  var dataDeferred = false
  var deadline: Scheduled<Void>?
  var deadlineAt: NIODeadline?
  /// Request headers complete, start deferred to the end of the bytes being read.
  var startPending = false
  /// DATA that arrived while the start was pending (bounded by the stream's window) and whether
  /// it ended the request.
  var earlyData: [UInt8] = []
  var earlyEnd = false

  init(id: Int32, maxMessageBytes: Int) {
    self.id = id
    self.deframer = GRPCMessageDeframer(maxMessageBytes: maxMessageBytes)
  }

  var hasPendingData: Bool { self.pendingHead < self.pending.count }
}

/// Whether a new connection may stay.
enum ConnectionAdmission {
  case admitted
  /// Over the connection cap, or shutting down.
  case refused
  /// Its peer address flooded resets recently.
  case refusedFlooder
}

/// Checks the idle and slow-client deadlines of one event loop's connections every `interval`,
/// while it has any: one repeated task per loop instead of timers per connection. Connections
/// it ends are ended `batch` at a time with a pause for I/O in between, so that thousands
/// opened together (and so due together) do not stall the loop's other connections.
final class ConnectionSweeper {
  private let eventLoop: any EventLoop
  private let interval: TimeAmount
  private var members: [ObjectIdentifier: ServerConnectionHandler] = [:]
  private var task: RepeatedTask?
  /// Connections still to check in this round, and whether the rest is scheduled.
  private var backlog: [ServerConnectionHandler] = []
  private var resumeScheduled = false
  private static let batch = 32

  init(eventLoop: any EventLoop, interval: TimeAmount) {
    self.eventLoop = eventLoop
    self.interval = interval
  }

  func add(_ handler: ServerConnectionHandler) {
    self.members[ObjectIdentifier(handler)] = handler
    guard self.task == nil else { return }
    let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
    self.task = self.eventLoop.scheduleRepeatedTask(initialDelay: self.interval, delay: self.interval) { _ in
      bound.value.tick()
    }
  }

  func remove(_ handler: ServerConnectionHandler) {
    self.members[ObjectIdentifier(handler)] = nil
    if self.members.isEmpty {
      self.task?.cancel()
      self.task = nil
      self.backlog = []
    }
  }

  private func tick() {
    if self.backlog.isEmpty { self.backlog = Array(self.members.values) }
    self.drain()
  }

  private func drain() {
    let now = NIODeadline.now()
    var ended = 0
    while ended < Self.batch, let handler = self.backlog.popLast() {
      guard self.members[ObjectIdentifier(handler)] != nil else { continue }
      if handler.sweep(now: now) { ended += 1 }
    }
    guard !self.backlog.isEmpty, !self.resumeScheduled else { return }
    // A task due later, not `execute`: the loop runs every ready task before polling again.
    self.resumeScheduled = true
    let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
    self.eventLoop.scheduleTask(in: .milliseconds(1)) {
      bound.value.resumeScheduled = false
      bound.value.drain()
    }
  }
}

/// Where a connection reports new streams and its own end.
protocol ServerConnectionOwner: Sendable {
  /// The sweeper of `eventLoop` (called on it).
  func sweeper(for eventLoop: any EventLoop) -> NIOLoopBound<ConnectionSweeper>
  func connectionOpened(
    _ handler: NIOLoopBound<ServerConnectionHandler>, id: ObjectIdentifier, idle: IdleMark, peer: String?
  ) -> ConnectionAdmission
  func connectionClosed(id: ObjectIdentifier)
  /// `peer` (an IP address) had a connection ended for flooding stream resets.
  func peerFloodedResets(_ peer: String)
  /// A connection's socket stopped draining, so its output is held until it does.
  func outputHeld()
  func yield(_ stream: IncomingStream)
}

/// Since when a connection has had no streams (uptime nanoseconds; 0 while it has some), read
/// by the transport off the connection's event loop to pick the connection to displace.
final class IdleMark: Sendable {
  private let value = Atomic<Int64>(0)

  var since: Int64 { value.load(ordering: .relaxed) }

  func set(idle: Bool) {
    value.store(idle ? Int64(truncatingIfNeeded: max(1, NIODeadline.now().uptimeNanoseconds)) : 0, ordering: .relaxed)
  }
}

/// One HTTP/2 server connection: the nghttp2 session and its streams, on the channel's event loop.
final class ServerConnectionHandler: ChannelInboundHandler, Nghttp2SessionDelegate {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum Shutdown { case none, noticeSent, goawaySent }
  private static let shutdownPing: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x4f, 0x4e, 0x56, 0x47, 0x52, 0x41, 0x43, 0x45)

  private let configuration: Nghttp2ServerTransport.Configuration
  private let owner: any ServerConnectionOwner
  private var session: Nghttp2Session?
  private var context: ChannelHandlerContext?
  /// The channel's event loop, kept after the context is let go in `handlerRemoved`.
  private var eventLoop: (any EventLoop)?
  private var streams: [Int32: ServerStream] = [:]
  /// Streams whose request headers arrived in the bytes being read. They start once those bytes
  /// are processed, so a stream the same bytes reset (rapid reset) costs no validation, no queues
  /// and no task.
  private var pendingStarts: [ServerStream] = []
  private var flushScheduled = false
  /// The socket stopped draining (the channel is not writable): nghttp2's output, and so every
  /// stream's DATA, waits in the streams' bounded buffers until it drains, rather than piling up
  /// in the channel for a peer that does not read.
  private var outputHeld = false
  /// The idle and slow-client deadlines are checked by the event loop's ``ConnectionSweeper``:
  /// no connection or stream schedules (or cancels, which is linear in the loop's timers) a
  /// timer of its own for them.
  private var sweeper: NIOLoopBound<ConnectionSweeper>?
  /// By when the preface with the first SETTINGS, or the request header block being received,
  /// must be complete.
  private var slowClientDeadline: NIODeadline?
  private let idleMark = IdleMark()
  private var graceTimer: Scheduled<Void>?
  private var shutdown = Shutdown.none
  private var registered = false
  private var closing = false
  private var remotePeer = ""
  private var lastPingWithoutStreams: NIODeadline?
  private var pingStrikes = 0
  private var localPeer = ""
  /// The peer's IP address (nil on a Unix socket), when the connection opened, and how many
  /// RST_STREAM frames it has sent.
  private var peerAddress: String?
  private var openedAt = NIODeadline.now()
  private var resetsReceived = 0

  init(configuration: Nghttp2ServerTransport.Configuration, owner: any ServerConnectionOwner) {
    self.configuration = configuration
    self.owner = owner
  }

  private var loopBound: NIOLoopBound<ServerConnectionHandler> {
    NIOLoopBound(self, eventLoop: self.eventLoop!)
  }

  // MARK: channel events

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    self.eventLoop = context.eventLoop
    self.remotePeer = context.channel.remoteAddress?.grpcPeerDescription ?? "unknown"
    self.localPeer = context.channel.localAddress?.grpcPeerDescription ?? "unknown"
    self.peerAddress = context.channel.remoteAddress?.ipAddress
    self.openedAt = .now()
    self.idleMark.set(idle: true)
    switch self.owner.connectionOpened(self.loopBound, id: ObjectIdentifier(self), idle: self.idleMark, peer: self.peerAddress) {
    case .admitted:
      break
    case .refused, .refusedFlooder:
      context.close(promise: nil)
      return
    }
    self.registered = true
    // The HTTP/2 session (about 25 KiB, most of it nghttp2's frame buffer) starts with the
    // client's first bytes: a connection that never sends any costs no session, and is closed
    // at the slow-client deadline. The server's SETTINGS may follow the client's preface.
    if let timeout = self.configuration.slowClientTimeout {
      self.slowClientDeadline = .now() + TimeAmount(timeout)  // for the preface and first SETTINGS
    }
    self.sweeper = self.owner.sweeper(for: context.eventLoop)
    self.sweeper?.value.add(self)
  }

  /// Creates and starts the session on the client's first bytes; nil once the connection is
  /// closing or gone.
  private func startedSession() -> Nghttp2Session? {
    if let session = self.session { return session }
    guard self.registered, !self.closing, self.context != nil else { return nil }
    let session = Nghttp2Session(role: .server, delegate: self)
    session.start(
      .init(
        maxConcurrentStreams: UInt32(clamping: self.configuration.maxConcurrentStreams),
        initialWindowSize: UInt32(clamping: self.configuration.initialStreamWindowBytes),
        connectionWindowSize: Int32(clamping: self.configuration.connectionWindowBytes),
        maxHeaderListSize: UInt32(clamping: self.configuration.maxHeaderListBytes)
      ))
    self.session = session
    return session
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let session = self.startedSession() else { return }
    guard session.wantsRead else {
      // Terminated (GOAWAY queued): skip the peer's pipelined frames, send the GOAWAY, close.
      self.flush()
      self.close()
      return
    }
    let buffer = self.unwrapInboundIn(data)
    guard session.receive(buffer) else {
      self.pendingStarts.removeAll()
      self.flush()
      self.close()
      return
    }
    self.startPendingStreams()
  }

  /// Starts the streams whose request headers the bytes just read completed, except those the
  /// same bytes already closed, then feeds them the DATA that came with the headers.
  private func startPendingStreams() {
    guard !self.pendingStarts.isEmpty else { return }
    let pending = self.pendingStarts
    self.pendingStarts.removeAll(keepingCapacity: true)
    for stream in pending where stream.startPending {
      stream.startPending = false
      guard self.streams[stream.id] === stream else { continue }
      self.startStream(stream)
      if !stream.earlyData.isEmpty {
        let data = stream.earlyData
        stream.earlyData = []
        data.withUnsafeBytes { self.receiveData(stream, $0) }
      }
      if stream.earlyEnd { self.endOfInbound(stream) }
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    self.flush()
    context.fireChannelReadComplete()
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if self.outputHeld && context.channel.isWritable { self.flush() }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    self.teardown()
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    self.close()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.teardown()
    // The context holds this handler: keeping it would leak both with the whole channel.
    self.context = nil
  }

  private func teardown() {
    let error = RPCError(code: .unavailable, message: "The connection closed.")
    for (_, stream) in self.streams {
      self.abort(stream, error: error)
    }
    self.streams.removeAll()
    self.pendingStarts.removeAll()
    self.graceTimer?.cancel()
    self.graceTimer = nil
    self.sweeper?.value.remove(self)
    self.sweeper = nil
    if self.registered {
      self.registered = false
      self.owner.connectionClosed(id: ObjectIdentifier(self))
    }
    self.session = nil
  }

  private func close() {
    guard !self.closing, let context = self.context else { return }
    self.closing = true
    context.close(promise: nil)
  }

  // MARK: output

  /// Sends everything nghttp2 has queued.
  func flush() {
    guard let session = self.session, let context = self.context, context.channel.isActive else { return }
    guard context.channel.isWritable else {
      if !self.outputHeld {
        self.outputHeld = true
        self.owner.outputHeld()
      }
      return
    }
    self.outputHeld = false
    var buffer = context.channel.allocator.buffer(capacity: 0)
    let ok = session.send(into: &buffer)
    if buffer.readableBytes > 0 {
      context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
    }
    if !ok {
      self.close()
    } else if !session.wantsIO {
      self.close()
    } else if self.shutdown == .goawaySent && self.streams.isEmpty {
      self.close()
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

  // MARK: timers and shutdown

  /// The sweeper's periodic check. A preface or header block still incomplete at its deadline is
  /// a client trickling bytes to hold the connection: it is closed, with its streams (none can
  /// have started since). A connection without streams for the idle timeout gets GOAWAY.
  /// Returns whether it ended the connection.
  func sweep(now: NIODeadline) -> Bool {
    if let deadline = self.slowClientDeadline, deadline <= now {
      self.slowClientDeadline = nil
      _ = self.goaway(HTTP2ErrorCode.protocolError, "too_slow")  // none if no byte ever came
      self.close()
      return true
    }
    guard self.shutdown == .none, self.streams.isEmpty, let timeout = self.configuration.idleTimeout else { return false }
    let since = self.idleMark.since
    guard since > 0 && Int64(truncatingIfNeeded: now.uptimeNanoseconds) - since >= TimeAmount(timeout).nanoseconds
    else { return false }
    _ = self.goaway(HTTP2ErrorCode.noError, "idle")
    self.close()
    return true
  }

  /// Submits a final GOAWAY (after the last stream processed) with `code` and `debug`, and
  /// sends it; false when the session is gone.
  private func goaway(_ code: UInt32, _ debug: String) -> Bool {
    guard let session = self.session else { return false }
    var debug = debug
    _ = debug.withUTF8 { bytes in
      nghttp2_submit_goaway(
        session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session.raw), code,
        bytes.baseAddress, bytes.count)
    }
    self.shutdown = .goawaySent
    self.flush()
    return true
  }

  /// The transport is full and this connection has been idle the longest: GOAWAY, then close
  /// once any stream that raced in has finished.
  func displace() {
    guard self.shutdown == .none else { return }
    self.registered = false  // the transport already let go of it
    if !self.goaway(HTTP2ErrorCode.noError, "displaced_idle") || self.streams.isEmpty { self.close() }
  }

  /// Two-phase GOAWAY: a notice with the maximum stream id and a PING; the real GOAWAY on its ACK.
  func beginGracefulShutdown() {
    guard self.shutdown == .none else { return }
    guard let session = self.session else {
      self.close()  // the client has sent nothing: there is no stream to wind down
      return
    }
    self.shutdown = .noticeSent
    nghttp2_submit_shutdown_notice(session.raw)
    // nghttp2 sends PING ahead of GOAWAY when both are queued: put the GOAWAY on the wire first.
    self.flush()
    var opaque = Self.shutdownPing
    withUnsafeBytes(of: &opaque) { bytes in
      _ = nghttp2_submit_ping(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }
    if let grace = self.configuration.gracefulShutdownTimeout, let context = self.context {
      let bound = self.loopBound
      self.graceTimer = context.eventLoop.scheduleTask(in: TimeAmount(grace)) {
        bound.value.close()
      }
    }
    self.flush()
  }

  /// Keepalive policing: too many PINGs on a connection without streams earn GOAWAY.
  private func policePing() {
    guard let interval = self.configuration.minPingIntervalWithoutStreams, let session = self.session else { return }
    guard self.streams.isEmpty else {
      self.lastPingWithoutStreams = nil
      return
    }
    let now = NIODeadline.now()
    if let last = self.lastPingWithoutStreams, now - last < TimeAmount(interval) {
      self.pingStrikes += 1
      if self.pingStrikes > self.configuration.maxPingStrikes {
        let reason = Array("too_many_pings".utf8)
        nghttp2_submit_goaway(
          session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session.raw),
          HTTP2ErrorCode.enhanceYourCalm, reason, reason.count)
        self.shutdown = .goawaySent
        self.scheduleFlush()
      }
    }
    self.lastPingWithoutStreams = now
  }

  private func sendFinalGoaway() {
    guard self.shutdown == .noticeSent, let session = self.session else { return }
    self.shutdown = .goawaySent
    nghttp2_submit_goaway(
      session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session.raw),
      HTTP2ErrorCode.noError, nil, 0)
    self.scheduleFlush()
  }

  // MARK: nghttp2 callbacks

  func sessionBeginHeaders(streamID: Int32, category: nghttp2_headers_category) {
    guard category == NGHTTP2_HCAT_REQUEST else { return }
    self.pingStrikes = 0
    self.streams[streamID] = ServerStream(id: streamID, maxMessageBytes: self.configuration.maxReceiveMessageBytes)
    self.idleMark.set(idle: false)
    if self.slowClientDeadline == nil, let timeout = self.configuration.slowClientTimeout {
      self.slowClientDeadline = .now() + TimeAmount(timeout)  // until the header block is complete
    }
  }

  func sessionHeader(streamID: Int32, name: String, value: String) {
    guard let stream = self.streams[streamID], stream.inbound == nil, !stream.startPending else { return }
    // nghttp2 advertises SETTINGS_MAX_HEADER_LIST_SIZE but leaves enforcing it to us.
    stream.headerListBytes += name.utf8.count + value.utf8.count + 32
    guard stream.headerListBytes <= self.configuration.maxHeaderListBytes else { return }
    stream.headers.append((name, value))
  }

  func sessionFrameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
    let type = frame.pointee.hd.type
    let flags = frame.pointee.hd.flags
    let streamID = frame.pointee.hd.stream_id
    let endStream = flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0

    if type == UInt8(NGHTTP2_SETTINGS.rawValue) {
      if flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { self.slowClientDeadline = nil }
    } else if type == UInt8(NGHTTP2_HEADERS.rawValue) {
      if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST { self.slowClientDeadline = nil }
      guard let stream = self.streams[streamID] else { return }
      if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
        stream.startPending = true
        self.pendingStarts.append(stream)
      }
      if endStream { self.endOfInbound(stream) }
    } else if type == UInt8(NGHTTP2_DATA.rawValue) {
      guard let stream = self.streams[streamID] else { return }
      if endStream { self.endOfInbound(stream) }
    } else if type == UInt8(NGHTTP2_RST_STREAM.rawValue) {
      self.resetsReceived += 1
    } else if type == UInt8(NGHTTP2_PING.rawValue) {
      if flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
        self.policePing()
      } else {
        var opaque = frame.pointee.ping.opaque_data
        var expected = Self.shutdownPing
        let matches = withUnsafeBytes(of: &opaque) { a in withUnsafeBytes(of: &expected) { b in a.elementsEqual(b) } }
        if matches { self.sendFinalGoaway() }
      }
    }
  }

  func sessionDataChunk(streamID: Int32, data: UnsafeRawBufferPointer) {
    guard let session = self.session else { return }
    guard let stream = self.streams[streamID] else {
      session.consume(streamID: streamID, count: data.count)
      return
    }
    if stream.startPending {
      // Kept (the window not returned yet) until the stream starts at the end of this read.
      stream.earlyData.append(contentsOf: data)
      return
    }
    self.receiveData(stream, data)
  }

  /// Deframes a started stream's DATA into its inbound queue and returns the window for it
  /// (or defers that while the queue is full).
  private func receiveData(_ stream: ServerStream, _ data: UnsafeRawBufferPointer) {
    guard let session = self.session else { return }
    let streamID = stream.id
    guard let inbound = stream.inbound, !stream.inboundFinished else {
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
        self.fail(stream, status: Status(code: .resourceExhausted, message: "Message of \(length) bytes is over the receive limit of \(limit) bytes."))
      case .invalidFlag(let flag):
        self.fail(stream, status: Status(code: .internalError, message: "Invalid message flag \(flag); expected 0 or 1."))
      }
      return
    }
    for message in messages {
      if message.compressed && stream.requestCompression == .none {
        self.fail(stream, status: Status(code: .internalError, message: "Compressed message received without grpc-encoding."))
        session.consume(streamID: streamID, count: data.count)
        return
      }
      inbound.push(
        .message(message.bytes, compressed: message.compressed ? stream.requestCompression : .none), bytes: message.wireCount)
    }
    if inbound.shouldDeferWindow() {
      stream.deferredWindow += data.count
    } else {
      session.consume(streamID: streamID, count: data.count)
    }
  }

  func sessionStreamClosed(streamID: Int32, errorCode: UInt32) {
    guard let stream = self.streams.removeValue(forKey: streamID) else { return }
    if stream.response.state != .done || !stream.inboundFinished {
      let error = RPCError(code: HTTP2ErrorCode.rpcCode(for: errorCode), message: "The stream was reset (HTTP/2 error \(errorCode)).")
      self.abort(stream, error: error)
    } else {
      stream.flow?.close(RPCError(code: .cancelled, message: "The stream is closed."))
      stream.deadline?.cancel()
    }
    if self.streams.isEmpty {
      if self.shutdown == .goawaySent {
        self.scheduleFlush()
      } else {
        self.idleMark.set(idle: true)
      }
    }
  }

  func sessionFrameSent(_ frame: UnsafePointer<nghttp2_frame>) {
    let type = frame.pointee.hd.type
    if type == UInt8(NGHTTP2_GOAWAY.rawValue) && frame.pointee.goaway.error_code == HTTP2ErrorCode.internalError {
      self.goawayInternalErrorSent()
      return
    }
    guard type == UInt8(NGHTTP2_HEADERS.rawValue) || type == UInt8(NGHTTP2_DATA.rawValue) else { return }
    guard frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 else { return }
    let streamID = frame.pointee.hd.stream_id
    guard let session = self.session else { return }
    // The response is complete but the client is still sending: tell it to stop.
    if nghttp2_session_get_stream_remote_close(session.raw, streamID) == 0 {
      nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, HTTP2ErrorCode.noError)
    }
  }

  func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
    guard let stream = self.streams[streamID], let session = self.session else {
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
    if written > 0 { stream.flow?.didSend(written) }
    if !stream.hasPendingData, let trailers = stream.trailers {
      stream.trailers = nil
      flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
      Nghttp2Session.withNameValues(trailers) { nv, count in
        _ = nghttp2_submit_trailer(session.raw, streamID, nv, count)
      }
      stream.response.onTrailersSent()
      stream.deadline?.cancel()
      return written
    }
    if written == 0 {
      stream.dataDeferred = true
      return Int(NGHTTP2_ERR_DEFERRED.rawValue)
    }
    return written
  }

  /// nghttp2 ends a connection whose peer exceeds the stream reset budget with GOAWAY
  /// INTERNAL_ERROR (this handler never sends that code itself). At 100 resets a second or more
  /// it is a flood, not a client cancelling calls: the transport refuses the peer for a while.
  private func goawayInternalErrorSent() {
    guard let peer = self.peerAddress, self.resetsReceived >= 100 else { return }
    let seconds = Double((NIODeadline.now() - self.openedAt).nanoseconds) / 1e9
    if Double(self.resetsReceived) >= 100 * max(seconds, 1e-3) {
      self.owner.peerFloodedResets(peer)
    }
  }

  // MARK: streams

  private func startStream(_ stream: ServerStream) {
    guard stream.inbound == nil, self.session != nil, let context = self.context else { return }
    var method = "", path = "", contentType = "", te: String? = nil
    var encoding: String? = nil, acceptEncoding: String? = nil, timeout: String? = nil
    var metadata = Metadata()
    for (name, value) in stream.headers {
      switch name {
      case ":method": method = value
      case ":path": path = value
      case "content-type": contentType = value
      case "te": te = value
      case "grpc-encoding": encoding = value
      case "grpc-accept-encoding": acceptEncoding = value
      case "grpc-timeout":
        timeout = value
        metadata.addString(value, forKey: name)
      default:
        if !GRPCHeaders.isReserved(name) {
          GRPCHeaders.addHeader(name: name, value: value, to: &metadata)
        }
      }
    }
    stream.headers = []

    guard stream.headerListBytes <= self.configuration.maxHeaderListBytes else {
      self.fail(
        stream,
        status: Status(
          code: .resourceExhausted,
          message: "The request's headers (\(stream.headerListBytes) bytes) exceed the limit of \(self.configuration.maxHeaderListBytes) bytes."))
      return
    }
    guard method == "POST" else {
      self.rejectHTTP(stream, status: "405")
      return
    }
    guard contentType.hasPrefix("application/grpc") else {
      self.rejectHTTP(stream, status: "415")
      return
    }
    guard te == "trailers" else {
      self.rejectHTTP(stream, status: "400", grpcStatus: Status(code: .internalError, message: "te: trailers is required."))
      return
    }
    guard let descriptor = GRPCHeaders.parsePath(path) else {
      self.fail(stream, status: Status(code: .unimplemented, message: "Malformed :path '\(path)'; expected /package.Service/Method."))
      return
    }
    let enabled = self.configuration.compression
    if let encoding, encoding != "identity" {
      guard let algorithm = MessageCompression.algorithm(named: encoding), enabled.contains(algorithm) else {
        self.fail(
          stream, status: Status(code: .unimplemented, message: "Message encoding '\(encoding)' is not supported."),
          extraTrailers: [("grpc-accept-encoding", MessageCompression.acceptEncoding(enabled))])
        return
      }
      stream.requestCompression = algorithm
    }
    // Respond with the request's encoding when the client accepts it.
    var responseCompression = CompressionAlgorithm.none
    if stream.requestCompression != .none {
      let accepted = acceptEncoding?.split(separator: ",").map { $0.trimmingWhitespace() } ?? []
      if let name = MessageCompression.name(of: stream.requestCompression), accepted.isEmpty || accepted.contains(name) {
        responseCompression = stream.requestCompression
      }
    }

    let bound = self.loopBound
    let eventLoop = context.eventLoop
    let streamID = stream.id
    let inbound = InboundQueue(highWater: self.configuration.initialStreamWindowBytes) {
      eventLoop.execute { bound.value.windowWake(streamID: streamID) }
    }
    let flow = OutboundFlow(highWater: self.configuration.outboundBufferBytes)
    let cancellation = CancellationBox()
    stream.inbound = inbound
    stream.flow = flow
    stream.cancellation = cancellation
    inbound.push(.metadata(metadata), bytes: 0)

    if let timeout, let duration = GRPCHeaders.parseTimeout(timeout) {
      stream.deadlineAt = .now() + TimeAmount(duration)
      stream.deadline = eventLoop.scheduleTask(in: TimeAmount(duration)) {
        bound.value.deadlineExpired(streamID: streamID)
      }
    }

    let writer = ServerStreamWriter(
      handler: bound, eventLoop: eventLoop, streamID: streamID, flow: flow,
      compression: responseCompression)
    let sequence = ServerInboundSequence(
      queue: inbound, compression: stream.requestCompression, maxMessageBytes: self.configuration.maxReceiveMessageBytes)
    self.owner.yield(
      IncomingStream(
        descriptor: descriptor, inbound: sequence, writer: writer, cancellation: cancellation,
        remotePeer: self.remotePeer, localPeer: self.localPeer))
  }

  private func endOfInbound(_ stream: ServerStream) {
    guard !stream.inboundFinished else { return }
    if stream.startPending {
      stream.earlyEnd = true
      return
    }
    stream.inboundFinished = true
    if stream.deframer.hasPartialMessage {
      stream.inbound?.finish(RPCError(code: .internalError, message: "The request ended inside a message."))
    } else {
      stream.inbound?.finish(nil)
    }
  }

  private func windowWake(streamID: Int32) {
    guard let stream = self.streams[streamID], let session = self.session else { return }
    let count = stream.deferredWindow
    stream.deferredWindow = 0
    session.consume(streamID: streamID, count: count)
    self.scheduleFlush()
  }

  private func deadlineExpired(streamID: Int32) {
    guard let stream = self.streams[streamID] else { return }
    stream.deadline = nil
    self.fail(stream, status: Status(code: .deadlineExceeded, message: "Deadline exceeded."))
    self.scheduleFlush()
  }

  /// Cancels everything about a stream the handler may be waiting on.
  private func abort(_ stream: ServerStream, error: RPCError) {
    stream.response.onAbort()
    stream.inboundFinished = true
    stream.inbound?.finish(error)
    stream.flow?.close(error)
    stream.cancellation?.cancel()
    stream.deadline?.cancel()
    stream.deadline = nil
    if let session = self.session, stream.deferredWindow + stream.earlyData.count > 0 {
      session.consume(streamID: stream.id, count: stream.deferredWindow + stream.earlyData.count)
      stream.deferredWindow = 0
      stream.earlyData = []
    }
    stream.startPending = false
  }

  /// Ends a stream early with a gRPC status and cancels its handler.
  private func fail(_ stream: ServerStream, status: Status, extraTrailers: [(String, String)] = []) {
    let error = RPCError(code: RPCError.Code(status.code) ?? .unknown, message: status.message)
    stream.pending.removeAll()
    stream.pendingHead = 0
    stream.pendingOffset = 0
    self.writeStatus(stream, status: status, metadata: [:], extra: extraTrailers)
    self.abort(stream, error: error)
    stream.inboundFinished = true
  }

  private func rejectHTTP(_ stream: ServerStream, status: String, grpcStatus: Status? = nil) {
    guard let session = self.session else { return }
    var headers = [(":status", status)]
    if let grpcStatus {
      headers.append(("content-type", "application/grpc"))
      statusHeaders(grpcStatus, [:], into: &headers)
    }
    Nghttp2Session.withNameValues(headers) { nv, count in
      _ = nghttp2_submit_response(session.raw, stream.id, nv, count, nil)
    }
    stream.response.onAbort()
    stream.inboundFinished = true
  }

  // MARK: writes from handler tasks

  func writeMetadata(streamID: Int32, metadata: Metadata, encoding: CompressionAlgorithm) {
    guard let stream = self.streams[streamID] else { return }
    if stream.response.onMetadata() == .submitHeaders {
      self.submitHeaders(stream, metadata: metadata, encoding: encoding)
      self.scheduleFlush()
    }
  }

  func writeMessage(streamID: Int32, framed: [UInt8], encoding: CompressionAlgorithm) {
    guard let stream = self.streams[streamID], let session = self.session else { return }
    switch stream.response.onMessage() {
    case .submitHeadersAndResumeData:
      stream.pending.append(framed)
      self.submitHeaders(stream, metadata: [:], encoding: encoding)
    case .resumeData:
      stream.pending.append(framed)
      if stream.dataDeferred {
        stream.dataDeferred = false
        nghttp2_session_resume_data(session.raw, streamID)
      }
    default:
      stream.flow?.didSend(framed.count)
      return
    }
    self.scheduleFlush()
  }

  func writeStatus(streamID: Int32, status: Status, metadata: Metadata) {
    guard let stream = self.streams[streamID] else { return }
    var status = status
    if status.code != .ok, let deadline = stream.deadlineAt, NIODeadline.now() >= deadline {
      // The handler failed because GRPCCore cancelled it at the deadline, maybe just before our
      // own timer fired: what the client must see is the deadline.
      status = Status(code: .deadlineExceeded, message: "Deadline exceeded.")
    }
    self.writeStatus(stream, status: status, metadata: metadata, extra: [])
    self.scheduleFlush()
  }

  func finishWriter(streamID: Int32) {
    guard let stream = self.streams[streamID], let session = self.session else { return }
    if stream.response.onFinish() == .reset {
      nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, HTTP2ErrorCode.internalError)
      self.scheduleFlush()
    }
  }

  private func submitHeaders(_ stream: ServerStream, metadata: Metadata, encoding: CompressionAlgorithm) {
    guard let session = self.session else { return }
    var headers = [(":status", "200"), ("content-type", "application/grpc")]
    if let name = MessageCompression.name(of: encoding) {
      headers.append(("grpc-encoding", name))
    }
    headers.append(("grpc-accept-encoding", MessageCompression.acceptEncoding(self.configuration.compression)))
    GRPCHeaders.appendMetadata(metadata, to: &headers)
    var provider = Nghttp2Session.dataProvider()
    Nghttp2Session.withNameValues(headers) { nv, count in
      _ = nghttp2_submit_response(session.raw, stream.id, nv, count, &provider)
    }
  }

  private func writeStatus(_ stream: ServerStream, status: Status, metadata: Metadata, extra: [(String, String)]) {
    guard let session = self.session else { return }
    switch stream.response.onStatus() {
    case .submitTrailersOnly:
      var headers = [(":status", "200"), ("content-type", "application/grpc")]
      headers.append(contentsOf: extra)
      statusHeaders(status, metadata, into: &headers)
      Nghttp2Session.withNameValues(headers) { nv, count in
        _ = nghttp2_submit_response(session.raw, stream.id, nv, count, nil)
      }
      stream.deadline?.cancel()
    case .queueTrailers:
      var headers = extra
      statusHeaders(status, metadata, into: &headers)
      stream.trailers = headers
      if stream.dataDeferred {
        stream.dataDeferred = false
        nghttp2_session_resume_data(session.raw, stream.id)
      }
    default:
      break
    }
  }
}

extension Substring {
  func trimmingWhitespace() -> String {
    String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}

extension TimeAmount {
  init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    self = .nanoseconds(nanos.overflow ? Int64.max : nanos.partialValue &+ attoseconds / 1_000_000_000)
  }
}

extension ServerConnectionHandler {
  func closeForCancellation() {
    self.close()
  }
}

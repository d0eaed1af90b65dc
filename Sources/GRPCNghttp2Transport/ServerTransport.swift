public import GRPCCore
public import NIOCore
internal import NIOPosix
import Synchronization

/// A gRPC server transport speaking HTTP/2 through libnghttp2 on SwiftNIO sockets.
///
/// Listens with h2c (HTTP/2 over cleartext, prior knowledge). Each connection's nghttp2 session
/// lives on one event loop; RPC handlers run as child tasks of ``listen(streamHandler:)``.
///
/// ```swift
/// let transport = Nghttp2ServerTransport(host: "127.0.0.1", port: 0)
/// let server = GRPCServer(transport: transport, services: [EchoService()])
/// try await withThrowingDiscardingTaskGroup { group in
///   group.addTask { try await server.serve() }
///   let address = try await transport.listeningAddress
///   print("listening on \(address)")
/// }
/// ```
public final class Nghttp2ServerTransport: ServerTransport, Sendable {
  /// Messages are plain byte arrays.
  public typealias Bytes = [UInt8]

  /// Tuning for the server transport; every field has a default.
  public struct Configuration: Sendable {
    /// The largest request message accepted, checked on the length prefix (and after decompression).
    public var maxReceiveMessageBytes: Int
    /// SETTINGS_MAX_CONCURRENT_STREAMS advertised on each connection.
    public var maxConcurrentStreams: Int
    /// Most connections open at once. A connection accepted when full displaces the one that
    /// has been without streams the longest, if for at least ``displaceIdleAfter`` (it gets
    /// GOAWAY "displaced_idle" and closes); with none, the new connection is closed as soon as
    /// it is accepted.
    public var maxConnections: Int
    /// How long a connection must have been without streams before a newcomer may displace it
    /// (so that reconnecting clients do not take turns displacing each other).
    public var displaceIdleAfter: Duration
    /// A connection without streams for this long is sent GOAWAY and closed; nil disables it.
    public var idleTimeout: Duration?
    /// The client's HTTP/2 preface with its first SETTINGS, and then each request's header
    /// block, must arrive within this long, or the connection is closed (slow clients that
    /// trickle bytes to hold connections); nil disables it.
    public var slowClientTimeout: Duration?
    /// How long a graceful shutdown waits for open streams before closing; nil waits for them.
    public var gracefulShutdownTimeout: Duration?
    /// SETTINGS_INITIAL_WINDOW_SIZE: how much of a request stream the server buffers before the
    /// client must wait for its handler to read.
    public var initialStreamWindowBytes: Int
    /// How many response bytes a stream may have queued, not yet taken by HTTP/2 (the client's
    /// window is shut, or its socket is not draining), before the handler's next write waits.
    /// It bounds what a client that stops reading makes the server hold per stream; a message
    /// larger than this is still sent whole. The default is 64 KiB, like grpc-go's write quota.
    public var outboundBufferBytes: Int
    /// The connection-level receive window.
    public var connectionWindowBytes: Int
    /// SETTINGS_MAX_HEADER_LIST_SIZE.
    public var maxHeaderListBytes: Int
    /// Message encodings accepted from and used towards clients.
    public var compression: CompressionAlgorithmSet
    /// Sets up the byte pipe below HTTP/2 on each accepted channel (e.g. TLS); nil for cleartext.
    public var channelSetup: (@Sendable (any Channel) -> EventLoopFuture<Void>)?
    /// PINGs closer together than this while the connection has no streams count as strikes;
    /// nil accepts any rate. Every PING is answered either way.
    public var minPingIntervalWithoutStreams: Duration?
    /// Strikes beyond this many end the connection with GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings").
    public var maxPingStrikes: Int
    /// TLS for every connection (see ``TLSConfiguration/server(certificateChain:privateKey:clientCA:)``);
    /// nil, the default, serves h2c.
    public var tls: TLSConfiguration?
    /// After a peer floods stream resets (HTTP/2 rapid reset: a connection ended for exceeding
    /// the reset budget at 100 or more resets a second), new connections from its IP address
    /// are closed on accept for this long, doubling for each repeat within the penalty (up to
    /// 16x). nil disables it, e.g. behind a proxy where every client shares one address.
    public var resetFloodCooldown: Duration?
    /// Called with the peer address and its penalty each time ``resetFloodCooldown`` refuses a
    /// new peer (or a repeat offender for longer); e.g. to log it.
    public var onResetFlood: (@Sendable (_ peer: String, _ refusedFor: Duration) -> Void)?

    /// The defaults: 4 MiB messages, 100 streams per connection, 1,024 connections, 5 minute idle timeout.
    public init() {
      self.maxReceiveMessageBytes = 4 * 1024 * 1024
      self.maxConcurrentStreams = 100
      self.maxConnections = 1024
      self.idleTimeout = .seconds(300)
      self.slowClientTimeout = .seconds(10)
      self.displaceIdleAfter = .seconds(1)
      self.gracefulShutdownTimeout = nil
      self.initialStreamWindowBytes = 1024 * 1024
      self.outboundBufferBytes = 64 * 1024
      self.connectionWindowBytes = 16 * 1024 * 1024
      self.maxHeaderListBytes = 16 * 1024
      self.compression = [.gzip, .deflate]
      self.channelSetup = nil
      self.minPingIntervalWithoutStreams = .seconds(300)
      self.maxPingStrikes = 2
      self.resetFloodCooldown = .seconds(10)
      self.onResetFlood = nil
      self.tls = nil
    }
  }

  /// An address the server listens on.
  public struct Address: Sendable, Hashable, CustomStringConvertible {
    /// The numeric host.
    public var host: String
    /// The port; never 0 once bound.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
      self.host = host
      self.port = port
    }
    /// `host:port`, with IPv6 hosts in brackets.
    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
  }

  private struct State {
    var listening = false
    var shuttingDown = false
    var serverChannel: (any Channel)?
    var address: Result<Address, any Error>?
    var addressWaiters: [CheckedContinuation<Address, any Error>] = []
    var connections: [ObjectIdentifier: Connection] = [:]
    /// Where new streams go: one queue per handler group (see ``Nghttp2ServerTransport/handlerGroups``).
    var streams: [AsyncStream<IncomingStream>.Continuation] = []
    var serverChannelClosed = false
    /// Used for each new connection; replaced by ``reloadCertificates()``.
    var tlsContext: TLSContext?
    /// Peer IP addresses that flooded resets: how often, and until when they are refused.
    var resetFlooders: [String: (strikes: Int, until: NIODeadline)] = [:]
    /// One per event loop with connections.
    var sweepers: [ObjectIdentifier: NIOLoopBound<ConnectionSweeper>] = [:]
    var refusedFlooderConnections = 0

    /// No more streams: each handler group ends once its handlers have.
    mutating func finishStreams() {
      for shard in self.streams { shard.finish() }
      self.streams = []
    }

    /// Whether connections from `peer` are refused now for flooding resets; counts the refusal.
    mutating func refusesFlooder(_ peer: String) -> Bool {
      guard let entry = self.resetFlooders[peer], entry.until > NIODeadline.now() else { return false }
      self.refusedFlooderConnections += 1
      return true
    }
  }

  /// Most peer addresses remembered for ``Configuration/resetFloodCooldown``.
  static let maxRememberedFlooders = 4096

  /// How many task groups the handlers are spread over, new streams taking turns.
  static let handlerGroups = 32

  private let host: String
  private let port: Int
  private let configuration: Configuration
  private let group: any EventLoopGroup
  private let state = Mutex(State())
  private let heldOutputCount = Atomic<Int>(0)
  fileprivate let nextShard = Atomic<UInt>(0)

  /// Creates a transport that listens on `host`:`port` once ``listen(streamHandler:)`` runs.
  ///
  /// - Parameters:
  ///   - host: The address to bind, e.g. "127.0.0.1" or "::".
  ///   - port: The port; 0 picks a free one, reported by ``listeningAddress``.
  ///   - configuration: Limits and tuning.
  ///   - eventLoopGroup: Where connections run; nil for NIO's shared group.
  public init(
    host: String = "127.0.0.1",
    port: Int = 0,
    configuration: Configuration = Configuration(),
    eventLoopGroup: (any EventLoopGroup)? = nil
  ) {
    self.host = host
    self.port = port
    self.configuration = configuration
    self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
  }

  /// The bound address, once listening; waits for the bind and throws if it failed.
  public var listeningAddress: Address {
    get async throws {
      try await withCheckedThrowingContinuation { continuation in
        let ready: Result<Address, any Error>? = self.state.withLock { state in
          if let address = state.address { return address }
          state.addressWaiters.append(continuation)
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    }
  }

  private func resolveAddress(_ result: Result<Address, any Error>) {
    let waiters = self.state.withLock { state in
      state.address = result
      let w = state.addressWaiters
      state.addressWaiters = []
      return w
    }
    for w in waiters { w.resume(with: result) }
  }

  /// Binds, accepts connections and runs `streamHandler` for each RPC until shutdown.
  ///
  /// Returns after ``beginGracefulShutdown()`` once every connection has closed; cancelling the
  /// calling task closes everything at once.
  public func listen(
    streamHandler: @escaping @Sendable (
      _ stream: RPCStream<Inbound, Outbound>,
      _ context: ServerContext
    ) async -> Void
  ) async throws {
    let shards = (0..<Self.handlerGroups).map { _ in AsyncStream<IncomingStream>.makeStream() }
    try self.state.withLock { state in
      if state.listening {
        throw Nghttp2TransportError(code: .alreadyListening, message: "listen(streamHandler:) was already called.")
      }
      state.listening = true
      state.streams = shards.map(\.continuation)
    }

    if let tls = self.configuration.tls {
      do {
        let context = try TLSContext(tls)
        self.state.withLock { $0.tlsContext = context }
      } catch {
        self.resolveAddress(.failure(error))
        self.state.withLock { $0.finishStreams() }
        throw error
      }
    }

    let configuration = self.configuration
    let owner = Owner(transport: self)
    let bootstrap = ServerBootstrap(group: self.group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .serverChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(FlooderGate(owner: owner))
        }
      }
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        let addHandler: @Sendable () -> EventLoopFuture<Void> = {
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
              ServerConnectionHandler(configuration: configuration, owner: owner))
          }
        }
        let addTLS: @Sendable () -> EventLoopFuture<Void> = {
          guard let tlsContext = owner.transport.state.withLock({ $0.tlsContext }) else {
            return addHandler()
          }
          return channel.eventLoop.makeCompletedFuture {
            let peer = channel.remoteAddress?.grpcPeerDescription
            try channel.pipeline.syncOperations.addHandler(
              TLSHandler(context: tlsContext, eventLoop: channel.eventLoop, peerHost: peer))
          }.flatMap { addHandler() }
        }
        if let setup = configuration.channelSetup {
          return setup(channel).flatMap { addTLS() }
        }
        return addTLS()
      }

    let channel: any Channel
    do {
      channel = try await bootstrap.bind(host: self.host, port: self.port).get()
    } catch {
      let failure = Nghttp2TransportError(code: .bindFailed, message: "Could not bind \(self.host):\(self.port).", cause: error)
      self.resolveAddress(.failure(failure))
      self.state.withLock { $0.finishStreams() }
      throw failure
    }
    let shutDownAlready = self.state.withLock { state in
      state.serverChannel = channel
      return state.shuttingDown
    }
    if let local = channel.localAddress {
      self.resolveAddress(.success(Address(host: local.ipAddress ?? self.host, port: local.port ?? self.port)))
    }
    channel.closeFuture.whenComplete { _ in
      self.serverChannelClosed()
    }
    if shutDownAlready { channel.close(promise: nil) }

    await withTaskCancellationHandler {
      // Each handler runs as a child task of one of several groups: the runtime removes a
      // finished child from its group by walking the group's children, so with 10,000 open
      // streams in one group every short call would cost about 140 µs more.
      await withDiscardingTaskGroup { groups in
        for shard in shards {
          groups.addTask {
            await withDiscardingTaskGroup { group in
              for await stream in shard.stream {
                // Reset before its handler could start (e.g. a rapid-reset flood): nobody is
                // waiting for an answer, so spend nothing more on it.
                if stream.cancellation.isCancelled { continue }
                group.addTask {
                  await withServerContextRPCCancellationHandle { handle in
                    stream.cancellation.set(handle)
                    let context = ServerContext(
                      descriptor: stream.descriptor, remotePeer: stream.remotePeer, localPeer: stream.localPeer,
                      cancellation: handle)
                    let rpcStream = RPCStream(
                      descriptor: stream.descriptor,
                      inbound: RPCAsyncSequence(wrapping: stream.inbound),
                      outbound: RPCWriter.Closable(wrapping: stream.writer))
                    await streamHandler(rpcStream, context)
                  }
                }
              }
            }
          }
        }
      }
    } onCancel: {
      self.closeNow()
    }
    // Return only once the port is free again.
    channel.close(promise: nil)
    try? await channel.closeFuture.get()
  }

  /// Reads the certificate chain, key and client CA files again and uses them for new connections.
  ///
  /// Open connections keep the certificates they were established with. Call it after replacing the
  /// files (e.g. on SIGHUP); if the new files are unusable it throws and the old ones stay in use.
  public func reloadCertificates() throws {
    guard let tls = self.configuration.tls else {
      throw Nghttp2TransportError(code: .tlsConfigurationInvalid, message: "The server transport is not configured for TLS.")
    }
    let context = try TLSContext(tls)
    self.state.withLock { $0.tlsContext = context }
  }

  /// How many client connections are open now.
  public var openConnections: Int { state.withLock { $0.connections.count } }

  /// How many connections were closed on accept because their peer address had flooded resets
  /// (see ``Configuration/resetFloodCooldown``).
  public var refusedFlooderConnections: Int { state.withLock { $0.refusedFlooderConnections } }

  /// How many times a connection's output was held back because its socket stopped draining
  /// (a client that does not read): its streams' handlers then wait, with at most
  /// ``Configuration/outboundBufferBytes`` queued each.
  public var heldOutputs: Int { self.heldOutputCount.load(ordering: .relaxed) }

  /// The peer addresses refused now for flooding resets, with the time left.
  public var refusedPeers: [(address: String, remaining: Duration)] {
    let now = NIODeadline.now()
    return state.withLock { state in
      state.resetFlooders.compactMap { address, entry in
        entry.until > now ? (address, .nanoseconds((entry.until - now).nanoseconds)) : nil
      }
    }
  }

  /// Stops accepting connections and winds the open ones down with a two-phase GOAWAY.
  public func beginGracefulShutdown() {
    let (channel, connections) = self.state.withLock { state in
      state.shuttingDown = true
      return (state.serverChannel, state.connections.values.map(\.handler))
    }
    channel?.close(promise: nil)
    for connection in connections {
      connection.eventLoop.execute { connection.value.beginGracefulShutdown() }
    }
  }

  private func closeNow() {
    self.beginGracefulShutdown()
    let connections = self.state.withLock { $0.connections.values.map(\.handler) }
    for connection in connections {
      connection.eventLoop.execute { connection.value.closeForCancellation() }
    }
    self.state.withLock { state in
      state.finishStreams()
    }
  }

  private func serverChannelClosed() {
    self.state.withLock { state in
      state.serverChannelClosed = true
      Self.finishIfDone(&state)
    }
  }

  private static func finishIfDone(_ state: inout State) {
    if state.shuttingDown && state.serverChannelClosed && state.connections.isEmpty {
      state.finishStreams()
    }
  }

  /// An open connection: its handler and since when it has had no streams.
  struct Connection {
    let handler: NIOLoopBound<ServerConnectionHandler>
    let idle: IdleMark
  }

  fileprivate struct Owner: ServerConnectionOwner {
    let transport: Nghttp2ServerTransport

    func connectionOpened(
      _ handler: NIOLoopBound<ServerConnectionHandler>, id: ObjectIdentifier, idle: IdleMark, peer: String?
    ) -> ConnectionAdmission {
      let (admitted, displaced) = self.transport.state.withLock {
        state -> (ConnectionAdmission, NIOLoopBound<ServerConnectionHandler>?) in
        guard !state.shuttingDown else { return (.refused, nil) }
        if let peer, state.refusesFlooder(peer) { return (.refusedFlooder, nil) }
        var displaced: NIOLoopBound<ServerConnectionHandler>? = nil
        if state.connections.count >= self.transport.configuration.maxConnections {
          // Full: the connection idle the longest makes room; idle ones cost the least to drop.
          let after = self.transport.configuration.displaceIdleAfter.components
          let afterNanos = after.seconds * 1_000_000_000 + after.attoseconds / 1_000_000_000
          let cutoff = Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds) - afterNanos
          var oldest: (id: ObjectIdentifier, since: Int64)? = nil
          for (key, connection) in state.connections {
            let since = connection.idle.since
            if since > 0 && since <= cutoff && since < (oldest?.since ?? .max) { oldest = (key, since) }
          }
          guard let oldest else { return (.refused, nil) }
          displaced = state.connections.removeValue(forKey: oldest.id)?.handler
        }
        state.connections[id] = Connection(handler: handler, idle: idle)
        return (.admitted, displaced)
      }
      if let displaced {
        displaced.eventLoop.execute { displaced.value.displace() }
      }
      return admitted
    }

    /// Whether connections from `peer` are refused now for flooding resets; counts the refusal.
    func refusesFlooder(_ peer: String) -> Bool {
      self.transport.state.withLock { $0.refusesFlooder(peer) }
    }

    func sweeper(for eventLoop: any EventLoop) -> NIOLoopBound<ConnectionSweeper> {
      self.transport.state.withLock { state in
        if let sweeper = state.sweepers[ObjectIdentifier(eventLoop)] { return sweeper }
        let configuration = self.transport.configuration
        // Deadlines are met within a quarter of the shortest timeout, and at most a second late.
        let shortest = [configuration.idleTimeout, configuration.slowClientTimeout].compactMap { $0 }.min() ?? .seconds(4)
        let interval = TimeAmount.nanoseconds(
          min(max(TimeAmount(shortest).nanoseconds / 4, 10_000_000), 1_000_000_000))
        let sweeper = NIOLoopBound(ConnectionSweeper(eventLoop: eventLoop, interval: interval), eventLoop: eventLoop)
        state.sweepers[ObjectIdentifier(eventLoop)] = sweeper
        return sweeper
      }
    }

    func peerFloodedResets(_ peer: String) {
      guard let cooldown = self.transport.configuration.resetFloodCooldown, cooldown > .zero else { return }
      let base = TimeAmount(cooldown).nanoseconds
      let now = NIODeadline.now()
      let penalty = self.transport.state.withLock { state -> TimeAmount in
        var entry = state.resetFlooders[peer] ?? (strikes: 0, until: now)
        // Forgiven once it has stayed clean for as long again as its last penalty.
        if now - entry.until > .nanoseconds(base << max(entry.strikes - 1, 0)) { entry.strikes = 0 }
        entry.strikes = min(entry.strikes + 1, 5)
        entry.until = now + .nanoseconds(base << (entry.strikes - 1))
        if state.resetFlooders[peer] == nil && state.resetFlooders.count >= Nghttp2ServerTransport.maxRememberedFlooders {
          state.resetFlooders = state.resetFlooders.filter { $0.value.until > now }
          if state.resetFlooders.count >= Nghttp2ServerTransport.maxRememberedFlooders,
            let any = state.resetFlooders.keys.first
          {
            state.resetFlooders[any] = nil
          }
        }
        state.resetFlooders[peer] = entry
        return entry.until - now
      }
      self.transport.configuration.onResetFlood?(peer, .nanoseconds(penalty.nanoseconds))
    }

    func outputHeld() {
      self.transport.heldOutputCount.add(1, ordering: .relaxed)
    }

    func connectionClosed(id: ObjectIdentifier) {
      self.transport.state.withLock { state in
        state.connections[id] = nil
        Nghttp2ServerTransport.finishIfDone(&state)
      }
    }

    func yield(_ stream: IncomingStream) {
      let turn = self.transport.nextShard.add(1, ordering: .relaxed).oldValue
      let continuation = self.transport.state.withLock { state in
        state.streams.isEmpty ? nil : state.streams[Int(turn % UInt(state.streams.count))]
      }
      if let continuation {
        continuation.yield(stream)
      } else {
        stream.cancellation.cancel()
      }
    }
  }
}

/// On the listening channel: closes a connection from an address refused for flooding resets as
/// it is accepted, before it is registered with an event loop or given a pipeline. A flooder
/// reconnecting as fast as it can then costs the accept and the close, not a connection's setup
/// and teardown. (``Owner/connectionOpened`` checks again for a penalty that starts in between.)
private final class FlooderGate: ChannelInboundHandler, Sendable {
  typealias InboundIn = any Channel
  typealias InboundOut = any Channel
  private let owner: Nghttp2ServerTransport.Owner

  init(owner: Nghttp2ServerTransport.Owner) { self.owner = owner }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let accepted = self.unwrapInboundIn(data)
    if let peer = accepted.remoteAddress?.ipAddress, self.owner.refusesFlooder(peer) {
      accepted.close(promise: nil)
      return
    }
    context.fireChannelRead(data)
  }
}

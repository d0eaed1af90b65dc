public import GRPCCore
public import NIOCore
internal import NIOPosix
import Synchronization

/// A gRPC client transport speaking HTTP/2 through libnghttp2 on SwiftNIO sockets.
///
/// Keeps one connection to the server and multiplexes every RPC on it (nghttp2 queues streams
/// beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS). A lost connection is re-established
/// with exponential backoff; after a GOAWAY new RPCs go to a fresh connection while the old one
/// drains. RPCs that cannot be started, or whose connection is lost, fail with UNAVAILABLE.
///
/// ```swift
/// let transport = Nghttp2ClientTransport(host: "127.0.0.1", port: 50051)
/// try await withGRPCClient(transport: transport) { client in ... }
/// ```
public final class Nghttp2ClientTransport: ClientTransport, Sendable {
  /// Messages are plain byte arrays.
  public typealias Bytes = [UInt8]

  /// Tuning for the client transport; every field has a default.
  public struct Configuration: Sendable {
    /// The largest response message accepted unless the call options say otherwise.
    public var maxReceiveMessageBytes: Int
    /// Message encodings accepted from servers and usable for requests.
    public var compression: CompressionAlgorithmSet
    /// The first delay before reconnecting.
    public var initialBackoff: Duration
    /// The longest delay between reconnection attempts.
    public var maxBackoff: Duration
    /// How much the delay grows after each failed attempt.
    public var backoffMultiplier: Double
    /// How long one connection attempt may take.
    public var connectTimeout: Duration
    /// SETTINGS_INITIAL_WINDOW_SIZE.
    public var initialStreamWindowBytes: Int
    /// The connection-level receive window.
    public var connectionWindowBytes: Int
    /// `:scheme` on requests.
    public var scheme: String
    /// Sets up the byte pipe below HTTP/2; nil for none.
    public var channelSetup: (@Sendable (any Channel) -> EventLoopFuture<Void>)?
    /// TLS towards the server (see ``TLSConfiguration/client(trustRoots:serverName:certificateChain:privateKey:)``);
    /// nil, the default, speaks h2c. With TLS, a `scheme` left at "http" is sent as "https".
    public var tls: TLSConfiguration?

    /// Defaults: 4 MiB messages, gzip and deflate, backoff from 100 ms up to 10 s.
    public init() {
      self.maxReceiveMessageBytes = 4 * 1024 * 1024
      self.compression = [.gzip, .deflate]
      self.initialBackoff = .milliseconds(100)
      self.maxBackoff = .seconds(10)
      self.backoffMultiplier = 1.6
      self.connectTimeout = .seconds(10)
      self.initialStreamWindowBytes = 1024 * 1024
      self.connectionWindowBytes = 16 * 1024 * 1024
      self.scheme = "http"
      self.channelSetup = nil
      self.tls = nil
    }
  }

  private struct Connection: Sendable {
    var handler: NIOLoopBound<ClientConnectionHandler>
    var id: UInt64
    var channel: any Channel
  }

  private enum ConnectionState {
    case idle
    case connecting
    case ready(Connection)
    case failed(RPCError)
    case shutDown
  }

  private struct State {
    var connection = ConnectionState.idle
    /// RPCs waiting for a connection; those that wait for ready outlast failed attempts.
    var waiters: [UInt64: (continuation: CheckedContinuation<Connection, any Error>, waitForReady: Bool)] = [:]
    var nextKey: UInt64 = 0
    var running = false
    var shuttingDown = false
    /// Wakes `connect()` when the current connection becomes unusable or shutdown begins.
    var wake: CheckedContinuation<Void, Never>?
    var unusable: Set<UInt64> = []
    /// Connections that closed before the server's SETTINGS arrived.
    var unhealthy: Set<UInt64> = []
    var nextConnectionID: UInt64 = 0
    /// Wakes a backoff wait when shutdown begins.
    var shutdownWaiter: CheckedContinuation<Void, Never>?
    /// Built on the first connection attempt that needs it.
    var tlsContext: TLSContext?
  }

  private let host: String
  private let port: Int
  private let configuration: Configuration
  private let group: any EventLoopGroup
  private let state = Mutex(State())

  /// Never throttles retries.
  public var retryThrottle: RetryThrottle? { nil }

  /// Creates a transport for the server at `host`:`port`; ``connect()`` opens the connection.
  public init(
    host: String,
    port: Int,
    configuration: Configuration = Configuration(),
    eventLoopGroup: (any EventLoopGroup)? = nil
  ) {
    self.host = host
    self.port = port
    var configuration = configuration
    if configuration.tls != nil && configuration.scheme == "http" { configuration.scheme = "https" }
    self.configuration = configuration
    self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
  }

  private func currentTLSContext() throws -> TLSContext? {
    guard let tls = self.configuration.tls else { return nil }
    if let context = self.state.withLock({ $0.tlsContext }) { return context }
    let context = try TLSContext(tls)
    self.state.withLock { $0.tlsContext = context }
    return context
  }

  /// Maintains the connection (reconnecting with backoff) until ``beginGracefulShutdown()``.
  public func connect() async throws {
    try self.state.withLock { state in
      if state.running {
        throw RPCError(code: .failedPrecondition, message: "connect() was already called.")
      }
      state.running = true
    }
    var backoff = self.configuration.initialBackoff
    while !Task.isCancelled {
      if self.state.withLock({ $0.shuttingDown }) { break }
      self.state.withLock { $0.connection = .connecting }
      do {
        let connection = try await self.makeConnection()
        let waiters: [CheckedContinuation<Connection, any Error>] = self.state.withLock { state in
          if state.shuttingDown { return [] }
          state.connection = .ready(connection)
          let w = state.waiters.values.map(\.continuation)
          state.waiters.removeAll()
          return w
        }
        for w in waiters { w.resume(returning: connection) }
        // Wait until the connection is closed, receives GOAWAY, or we shut down.
        await self.waitUntilUnusable(connection.id)
        let healthy = self.state.withLock { state -> Bool in
          state.unusable.remove(connection.id)
          return state.unhealthy.remove(connection.id) == nil
        }
        if healthy {
          backoff = self.configuration.initialBackoff
        } else if !self.state.withLock({ $0.shuttingDown }) {
          // Accepted and dropped before HTTP/2 got going (e.g. a connection cap): back off.
          self.failAttempt(
            RPCError(code: .unavailable, message: "\(self.host):\(self.port) closed the connection before HTTP/2 started."))
          await self.backoff(for: backoff)
          let next = backoff * self.configuration.backoffMultiplier
          backoff = next > self.configuration.maxBackoff ? self.configuration.maxBackoff : next
        }
        if self.state.withLock({ $0.shuttingDown }) {
          // Let open streams finish: the handler closes once drained.
          connection.handler.eventLoop.execute { connection.handler.value.drainAndClose() }
          try? await connection.channel.closeFuture.get()
          break
        }
      } catch {
        self.failAttempt(
          RPCError(code: .unavailable, message: "Could not connect to \(self.host):\(self.port).", cause: error))
        await self.backoff(for: backoff)
        let next = backoff * self.configuration.backoffMultiplier
        backoff = next > self.configuration.maxBackoff ? self.configuration.maxBackoff : next
      }
    }
    let waiters: [CheckedContinuation<Connection, any Error>] = self.state.withLock { state in
      let current = state.connection
      state.connection = .shutDown
      if case .ready(let connection) = current {
        connection.channel.close(promise: nil)
      }
      let w = state.waiters.values.map(\.continuation)
      state.waiters.removeAll()
      return w
    }
    for w in waiters { w.resume(throwing: RPCError(code: .unavailable, message: "The transport is shut down.")) }
  }

  /// Records a failed connection attempt: RPCs that do not wait for ready fail with it.
  private func failAttempt(_ failure: RPCError) {
    let waiters: [CheckedContinuation<Connection, any Error>] = self.state.withLock { state in
      state.connection = .failed(failure)
      let failFast = state.waiters.filter { !$0.value.waitForReady }
      for key in failFast.keys { state.waiters[key] = nil }
      return failFast.values.map(\.continuation)
    }
    for w in waiters { w.resume(throwing: failure) }
  }

  /// Waits out a reconnection delay, returning early on shutdown or cancellation.
  private func backoff(for delay: Duration) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { try? await Task.sleep(for: delay) }
      group.addTask {
        await withTaskCancellationHandler {
          await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = self.state.withLock { state -> Bool in
              if state.shuttingDown || Task.isCancelled { return true }
              state.shutdownWaiter = continuation
              return false
            }
            if resumeNow { continuation.resume() }
          }
        } onCancel: {
          let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            let w = state.shutdownWaiter
            state.shutdownWaiter = nil
            return w
          }
          waiter?.resume()
        }
      }
      await group.next()
      group.cancelAll()
    }
  }

  private func waitUntilUnusable(_ id: UInt64) async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = self.state.withLock { state -> Bool in
          if state.shuttingDown || state.unusable.contains(id) || Task.isCancelled { return true }
          state.wake = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let wake = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
        let w = state.wake
        state.wake = nil
        return w
      }
      wake?.resume()
    }
  }

  private func makeConnection() async throws -> Connection {
    let configuration = self.configuration
    let authority = "\(self.host):\(self.port)"
    let owner = Owner(transport: self)
    let connectionID = self.state.withLock { state -> UInt64 in
      state.nextConnectionID += 1
      return state.nextConnectionID
    }
    let tlsContext = try self.currentTLSContext()
    let host = self.host
    // The loop is picked here so the handshake's outcome has a promise before the channel exists:
    // a failed handshake may tear the pipeline down before connect() returns.
    let eventLoop = self.group.next()
    let handshake = tlsContext.map { _ in eventLoop.makePromise(of: Void.self) }
    // Likewise the HTTP/2 handler: a peer that closes at once (e.g. a TLS alert) empties the pipeline.
    let added = eventLoop.makePromise(of: NIOLoopBound<ClientConnectionHandler>.self)
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: eventLoop)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .connectTimeout(TimeAmount(configuration.connectTimeout))
      .channelInitializer { channel in
        let add: @Sendable () -> EventLoopFuture<Void> = {
          channel.eventLoop.makeCompletedFuture {
            let handler = ClientConnectionHandler(
              configuration: configuration, authority: authority, owner: owner, connectionID: connectionID,
              eventLoop: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(handler)
            added.succeed(NIOLoopBound(handler, eventLoop: channel.eventLoop))
          }
        }
        let addTLS: @Sendable () -> EventLoopFuture<Void> = {
          guard let tlsContext else { return add() }
          return channel.eventLoop.makeCompletedFuture {
            let handler = try TLSHandler(context: tlsContext, eventLoop: channel.eventLoop, peerHost: host)
            handler.handshakeCompleted.futureResult.cascade(to: handshake)
            try channel.pipeline.syncOperations.addHandler(handler)
          }.flatMap { add() }
        }
        if let setup = configuration.channelSetup {
          return setup(channel).flatMap { addTLS() }
        }
        return addTLS()
      }
      .connect(host: self.host, port: self.port).get()
    } catch {
      handshake?.fail(error)
      added.fail(error)
      throw error
    }
    if let handshake {
      // Report a failed handshake (verification, ALPN) as the reason the attempt failed.
      do {
        try await handshake.futureResult.get()
      } catch {
        channel.close(promise: nil)
        throw error
      }
    }
    let handler = try await added.futureResult.get()
    return Connection(handler: handler, id: connectionID, channel: channel)
  }

  /// Stops making connections; open RPCs finish on the existing one, then it closes.
  public func beginGracefulShutdown() {
    let (wake, backoffWaiter) = self.state.withLock { state in
      state.shuttingDown = true
      let w = (state.wake, state.shutdownWaiter)
      state.wake = nil
      state.shutdownWaiter = nil
      return w
    }
    wake?.resume()
    backoffWaiter?.resume()
  }

  /// No per-method configuration: GRPCCore's defaults apply.
  public func config(forMethod descriptor: MethodDescriptor) -> MethodConfig? { nil }

  private func readyConnection(waitForReady: Bool) async throws -> Connection {
    let key = self.state.withLock { state -> UInt64 in
      state.nextKey += 1
      return state.nextKey
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Connection, any Error>) in
        let result: Result<Connection, any Error>? = self.state.withLock { state in
          switch state.connection {
          case .ready(let connection): return .success(connection)
          case .failed(let error) where !waitForReady: return .failure(error)
          case .shutDown: return .failure(RPCError(code: .unavailable, message: "The transport is shut down."))
          case .idle, .connecting, .failed:
            if state.shuttingDown { return .failure(RPCError(code: .unavailable, message: "The transport is shutting down.")) }
            state.waiters[key] = (continuation, waitForReady)
            return nil
          }
        }
        if let result { continuation.resume(with: result) }
      }
    } onCancel: {
      let waiter = self.state.withLock { $0.waiters.removeValue(forKey: key) }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Opens a stream for one RPC and runs `closure` with it; the stream is reset if still open
  /// when `closure` returns or the task is cancelled.
  public func withStream<T: Sendable>(
    descriptor: MethodDescriptor,
    options: CallOptions,
    _ closure: (_ stream: RPCStream<Inbound, Outbound>, _ context: ClientContext) async throws -> T
  ) async throws -> T {
    let connection: Connection
    do {
      connection = try await self.readyConnection(waitForReady: options.waitForReady ?? false)
    } catch let error as RPCError {
      throw error
    } catch {
      throw RPCError(code: .unavailable, message: "No connection is available.", cause: error)
    }
    let key = self.state.withLock { state -> UInt64 in
      state.nextKey += 1
      return state.nextKey
    }
    let eventLoop = connection.handler.eventLoop
    let handler = connection.handler
    let maxReceive = options.maxResponseMessageBytes ?? self.configuration.maxReceiveMessageBytes
    let compression: CompressionAlgorithm =
      options.compression.flatMap { self.configuration.compression.contains($0) ? $0 : nil } ?? .none

    let window = self.configuration.initialStreamWindowBytes
    let (inbound, flow) = try await eventLoop.submit { () -> (InboundQueue, OutboundFlow) in
      let handlerValue = handler.value
      let queue = InboundQueue(highWater: window, wake: handlerValue.makeWake(streamKey: key))
      let flow = OutboundFlow(highWater: window)
      handlerValue.register(key: key, stream: ClientStream(inbound: queue, flow: flow, maxMessageBytes: maxReceive))
      return (queue, flow)
    }.get()

    let writer = ClientStreamWriter(
      handler: handler, eventLoop: eventLoop, key: key, descriptor: descriptor, flow: flow, compression: compression)
    let sequence = ClientInboundSequence(queue: inbound, maxMessageBytes: maxReceive)
    let stream = RPCStream(
      descriptor: descriptor,
      inbound: RPCAsyncSequence<RPCResponsePart<[UInt8]>, any Error>(wrapping: sequence),
      outbound: RPCWriter<RPCRequestPart<[UInt8]>>.Closable(wrapping: writer))
    let context = ClientContext(
      descriptor: descriptor,
      remotePeer: connection.channel.remoteAddress?.grpcPeerDescription ?? "\(self.host):\(self.port)",
      localPeer: connection.channel.localAddress?.grpcPeerDescription ?? "unknown")
    defer {
      eventLoop.execute { handler.value.cancel(key: key) }
    }
    return try await withTaskCancellationHandler {
      try await closure(stream, context)
    } onCancel: {
      eventLoop.execute { handler.value.cancel(key: key) }
    }
  }

  private struct Owner: ClientConnectionOwner {
    let transport: Nghttp2ClientTransport

    func connectionUnusable(id: UInt64, wasHealthy: Bool) {
      let wake = self.transport.state.withLock { state -> CheckedContinuation<Void, Never>? in
        state.unusable.insert(id)
        if !wasHealthy { state.unhealthy.insert(id) }
        if case .ready(let connection) = state.connection, connection.id == id {
          state.connection = .connecting
        }
        let w = state.wake
        state.wake = nil
        return w
      }
      wake?.resume()
    }
  }
}


extension Duration {
  static func * (lhs: Duration, rhs: Double) -> Duration {
    let (s, a) = lhs.components
    let seconds = (Double(s) + Double(a) / 1e18) * rhs
    return .nanoseconds(Int64(min(seconds * 1e9, 9e18)))
  }
}

/// The response parts of one client stream.
struct ClientInboundSequence: AsyncSequence, Sendable {
  typealias Element = RPCResponsePart<[UInt8]>
  typealias Failure = any Error

  let queue: InboundQueue
  let maxMessageBytes: Int

  struct AsyncIterator: AsyncIteratorProtocol {
    let queue: InboundQueue
    let maxMessageBytes: Int

    mutating func next() async throws -> RPCResponsePart<[UInt8]>? {
      guard let item = try await self.queue.next() else { return nil }
      switch item {
      case .metadata(let metadata):
        return .metadata(metadata)
      case .message(let bytes, let compression):
        guard compression != .none else { return .message(bytes) }
        return .message(try decompressMessage(bytes, compression, limit: self.maxMessageBytes))
      case .status(let status, let metadata):
        return .status(status, metadata)
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(queue: self.queue, maxMessageBytes: self.maxMessageBytes)
  }
}

/// Writes the request parts of one client stream.
struct ClientStreamWriter: ClosableRPCWriterProtocol {
  typealias Element = RPCRequestPart<[UInt8]>

  let handler: NIOLoopBound<ClientConnectionHandler>
  let eventLoop: any EventLoop
  let key: UInt64
  let descriptor: MethodDescriptor
  let flow: OutboundFlow
  let compression: CompressionAlgorithm

  func write(_ element: RPCRequestPart<[UInt8]>) async throws {
    let handler = self.handler
    let key = self.key
    switch element {
    case .metadata(let metadata):
      try self.flow.reserve(0)
      let descriptor = self.descriptor
      let compression = self.compression
      self.eventLoop.execute {
        handler.value.start(key: key, descriptor: descriptor, metadata: metadata, compression: compression)
      }
    case .message(let bytes):
      let framed: [UInt8]
      if self.compression != .none {
        framed = GRPCFraming.frame(try MessageCompression.compress(bytes, algorithm: self.compression), compressed: true)
      } else {
        framed = GRPCFraming.frame(bytes, compressed: false)
      }
      try self.flow.reserve(framed.count)
      self.eventLoop.execute { handler.value.send(key: key, framed: framed) }
      try await self.flow.waitForCapacity()
    }
  }

  func write(contentsOf elements: some Sequence<RPCRequestPart<[UInt8]>>) async throws {
    for element in elements {
      try await self.write(element)
    }
  }

  func finish() async {
    let handler = self.handler
    let key = self.key
    self.eventLoop.execute { handler.value.halfClose(key: key) }
  }

  func finish(throwing error: any Error) async {
    let handler = self.handler
    let key = self.key
    self.eventLoop.execute { handler.value.cancel(key: key) }
  }
}

import GRPCCore
@testable import GRPCNghttp2Transport
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Raw bytes both ways.
struct Raw: MessageSerializer, MessageDeserializer {
  typealias Message = [UInt8]
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}

/// Named events the test service records, with bounded waits for them.
final class Events: Sendable {
  private let state = Mutex<(seen: [String: Int], waiters: [(String, CheckedContinuation<Void, Never>)])>(([:], []))

  func record(_ name: String) {
    let ready = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.seen[name, default: 0] += 1
      let r = state.waiters.filter { $0.0 == name }.map(\.1)
      state.waiters.removeAll { $0.0 == name }
      return r
    }
    for c in ready { c.resume() }
  }

  func count(_ name: String) -> Int { self.state.withLock { $0.seen[name] ?? 0 } }

  /// True once `name` was recorded; false if `timeout` passed first.
  func wait(for name: String, timeout: Duration = .seconds(10)) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await withCheckedContinuation { c in
          let now = self.state.withLock { state -> Bool in
            if state.seen[name] != nil { return true }
            state.waiters.append((name, c))
            return false
          }
          if now { c.resume() }
        }
        return true
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return false
      }
      let first = await group.next()!
      if !first { self.record(name + ".timeout-release") }
      let leftover = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
        let r = state.waiters.filter { $0.0 == name }.map(\.1)
        state.waiters.removeAll { $0.0 == name }
        return r
      }
      for c in leftover { c.resume() }
      group.cancelAll()
      return first
    }
  }
}

/// `test.Echo`: Get (echo; x-sleep-ms waits for cancellation), Expand (x-count copies, x-interval-ms apart),
/// Collect (concatenation), Update (bidi echo). Cancellation observed is recorded as "cancelled:<x-tag>".
struct TestService: RegistrableRPCService {
  let events: Events

  static func method(_ name: String) -> MethodDescriptor {
    MethodDescriptor(fullyQualifiedService: "test.Echo", method: name)
  }

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let events = self.events
    router.registerHandler(forMethod: Self.method("Get"), deserializer: Raw(), serializer: Raw()) { request, context in
      events.record("Get")
      var first: [UInt8] = []
      let tag = request.metadata[stringValues: "x-tag"].first(where: { _ in true }) ?? ""
      do {
        for try await m in request.messages { first = m }
      } catch {
        // Under load the deadline can pass while the request is still being read: that is
        // the handler observing cancellation too.
        if context.cancellation.isCancelled { events.record("cancelled:\(tag)") }
        throw error
      }
      if let ms = request.metadata[stringValues: "x-sleep-ms"].first(where: { _ in true }).flatMap({ Int($0) }) {
        events.record("sleeping:\(tag)")
        let cancelled = await Self.sleep(ms, context)
        if cancelled {
          events.record("cancelled:\(tag)")
          throw RPCError(code: .cancelled, message: "cancelled")
        }
      }
      let reply = first
      return StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        try await writer.write(reply)
        return [:]
      }))
    }
    router.registerHandler(forMethod: Self.method("Expand"), deserializer: Raw(), serializer: Raw()) { request, context in
      var first: [UInt8] = []
      for try await m in request.messages { first = m }
      let count = request.metadata[stringValues: "x-count"].first(where: { _ in true }).flatMap { Int($0) } ?? 3
      let interval = request.metadata[stringValues: "x-interval-ms"].first(where: { _ in true }).flatMap { Int($0) } ?? 0
      let tag = request.metadata[stringValues: "x-tag"].first(where: { _ in true }) ?? ""
      let reply = first
      return StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        for i in 0..<count {
          if interval > 0, await Self.sleep(interval, context) {
            events.record("cancelled:\(tag)")
            throw RPCError(code: .cancelled, message: "cancelled")
          }
          do {
            try await writer.write(reply)
          } catch {
            events.record("cancelled:\(tag)")
            throw error
          }
          if i == 0 { events.record("first-written:\(tag)") }
        }
        events.record("finished:\(tag)")
        return [:]
      }))
    }
    router.registerHandler(forMethod: Self.method("Collect"), deserializer: Raw(), serializer: Raw()) { request, context in
      var all: [UInt8] = []
      for try await m in request.messages { all += m }
      let reply = all
      return StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        try await writer.write(reply)
        return [:]
      }))
    }
    router.registerHandler(forMethod: Self.method("Stall"), deserializer: Raw(), serializer: Raw()) { request, context in
      // Reads nothing until the test says "go", then counts the bytes.
      _ = await events.wait(for: "go", timeout: .seconds(30))
      var total = 0
      for try await m in request.messages { total += m.count }
      let reply = Array(String(total).utf8)
      return StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        try await writer.write(reply)
        return [:]
      }))
    }
    router.registerHandler(forMethod: Self.method("Update"), deserializer: Raw(), serializer: Raw()) { request, context in
      StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        for try await m in request.messages { try await writer.write(m) }
        return [:]
      }))
    }
  }

  /// Waits `ms` milliseconds; true if the RPC was cancelled first.
  static func sleep(_ ms: Int, _ context: ServerContext) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        do { try await Task.sleep(for: .milliseconds(ms)) } catch { return true }
        return false
      }
      group.addTask {
        do { try await context.cancellation.cancelled } catch { return false }
        return true
      }
      let cancelled = await group.next()!
      group.cancelAll()
      return cancelled
    }
  }
}

/// Runs a server on 127.0.0.1 port 0 for the duration of `body`.
func withServer<T: Sendable>(
  _ configuration: Nghttp2ServerTransport.Configuration = .init(),
  port: Int = 0,
  events: Events = Events(),
  _ body: (Nghttp2ServerTransport.Address, GRPCServer<Nghttp2ServerTransport>) async throws -> T
) async throws -> T {
  let transport = Nghttp2ServerTransport(host: "127.0.0.1", port: port, configuration: configuration)
  let server = GRPCServer(transport: transport, services: [TestService(events: events)])
  return try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.serve() }
    let address = try await transport.listeningAddress
    do {
      let result = try await body(address, server)
      server.beginGracefulShutdown()
      try await group.waitForAll()
      return result
    } catch {
      group.cancelAll()
      throw error
    }
  }
}

func withClient<T: Sendable>(
  _ address: Nghttp2ServerTransport.Address,
  _ configuration: Nghttp2ClientTransport.Configuration = .init(),
  _ body: (GRPCClient<Nghttp2ClientTransport>) async throws -> T
) async throws -> T {
  try await withGRPCClient(transport: Nghttp2ClientTransport(host: address.host, port: address.port, configuration: configuration)) {
    try await body($0)
  }
}

extension GRPCClient where Transport == Nghttp2ClientTransport {
  func get(_ message: [UInt8], metadata: Metadata = [:], options: CallOptions = .defaults) async throws -> [UInt8] {
    try await self.unary(
      request: ClientRequest(message: message, metadata: metadata), descriptor: TestService.method("Get"),
      serializer: Raw(), deserializer: Raw(), options: options
    ) { try $0.message }
  }
}

func rpcCode(_ body: () async throws -> Void) async -> RPCError.Code? {
  do {
    try await body()
    return nil
  } catch let error as RPCError {
    return error.code
  } catch {
    return .unknown
  }
}

@Suite(.timeLimit(.minutes(1))) struct LoopbackTests {
  @Test func reportsTheBoundPort() async throws {
    try await withServer { address, _ throws in
      #expect(address.host == "127.0.0.1")
      #expect(address.port > 0)
    }
  }

  @Test func allFourKindsOfRPC() async throws {
    try await withServer { address, _ throws in
      try await withClient(address) { client throws in
        #expect(try await client.get([1, 2, 3]) == [1, 2, 3])
        #expect(try await client.get([]) == [])

        let streamed = try await client.serverStreaming(
          request: ClientRequest(message: [7], metadata: ["x-count": "20"]), descriptor: TestService.method("Expand"),
          serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { response in
          var all: [[UInt8]] = []
          for try await m in response.messages { all.append(m) }
          return all
        }
        #expect(streamed == Array(repeating: [7], count: 20))

        let collected = try await client.clientStreaming(
          request: StreamingClientRequest(of: [UInt8].self) { writer in
            for i in 0..<10 { try await writer.write([UInt8(i)]) }
          }, descriptor: TestService.method("Collect"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { try $0.message }
        #expect(collected == Array(0..<10))

        let echoed = try await client.bidirectionalStreaming(
          request: StreamingClientRequest(of: [UInt8].self) { writer in
            for i in 0..<10 { try await writer.write(Array(repeating: UInt8(i), count: 100_000)) }
          }, descriptor: TestService.method("Update"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { response in
          var all: [[UInt8]] = []
          for try await m in response.messages { all.append(m) }
          return all
        }
        #expect(echoed == (0..<10).map { Array(repeating: UInt8($0), count: 100_000) })
      }
    }
  }

  @Test func receiveLimitIsConfigurable() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.maxReceiveMessageBytes = 1024
    try await withServer(configuration) { address, _ throws in
      try await withClient(address) { client throws in
        #expect(try await client.get(Array(repeating: 1, count: 1024)).count == 1024)
        let code = await rpcCode { _ = try await client.get(Array(repeating: 1, count: 1025)) }
        #expect(code == .resourceExhausted)
      }
    }
  }

  @Test func compressedCallsRoundTrip() async throws {
    try await withServer { address, _ throws in
      try await withClient(address) { client throws in
        for algorithm in [CompressionAlgorithm.gzip, .deflate] {
          var options = CallOptions.defaults
          options.compression = algorithm
          let payload = Array(String(repeating: "abc", count: 50_000).utf8)
          #expect(try await client.get(payload, options: options) == payload)
        }
      }
    }
  }

  @Test func deadlineCancelsTheHandler() async throws {
    let events = Events()
    try await withServer(events: events) { address, _ throws in
      try await withClient(address) { client throws in
        var options = CallOptions.defaults
        options.timeout = .seconds(1)
        let code = await rpcCode {
          _ = try await client.get([1], metadata: ["x-sleep-ms": "20000", "x-tag": "deadline"], options: options)
        }
        #expect(code == .deadlineExceeded)
        // A handler that started sees the cancellation. On a loaded machine the handler may not
        // have started before the deadline; a stream cancelled by then is never handed to one.
        if events.count("Get") > 0 {
          #expect(await events.wait(for: "cancelled:deadline"))
        }
      }
    }
  }

  @Test func clientCancelResetsTheStream() async throws {
    let events = Events()
    try await withServer(events: events) { address, _ throws in
      try await withClient(address) { client throws in
        let got = try await client.serverStreaming(
          request: ClientRequest(message: [1], metadata: ["x-count": "100000", "x-interval-ms": "20", "x-tag": "cancel"]),
          descriptor: TestService.method("Expand"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { response in
          var n = 0
          for try await _ in response.messages {
            n += 1
            if n == 3 { break }
          }
          return n
        }
        #expect(got == 3)
        #expect(await events.wait(for: "cancelled:cancel"))
        // The connection is still good.
        #expect(try await client.get([5]) == [5])
      }
    }
  }

  @Test func slowReaderMakesHandlerWritesWait() async throws {
    let events = Events()
    var serverConfiguration = Nghttp2ServerTransport.Configuration()
    serverConfiguration.initialStreamWindowBytes = 64 * 1024
    var clientConfiguration = Nghttp2ClientTransport.Configuration()
    clientConfiguration.initialStreamWindowBytes = 64 * 1024
    try await withServer(serverConfiguration, events: events) { address, _ throws in
      try await withClient(address, clientConfiguration) { client throws in
        try await client.serverStreaming(
          request: ClientRequest(message: Array(repeating: 1, count: 10_000), metadata: ["x-count": "10000", "x-tag": "slow"]),
          descriptor: TestService.method("Expand"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { response in
          var iterator = response.messages.makeAsyncIterator()
          _ = try await iterator.next()
          // 100 MB are to be written; without reading, the handler cannot finish.
          #expect(await events.wait(for: "finished:slow", timeout: .milliseconds(500)) == false)
          var n = 1
          while try await iterator.next() != nil { n += 1 }
          #expect(n == 10_000)
        }
        #expect(events.count("finished:slow") == 1)
      }
    }
  }

  @Test func handlerThatDoesNotReadPushesBackOnTheClient() async throws {
    let events = Events()
    var serverConfiguration = Nghttp2ServerTransport.Configuration()
    serverConfiguration.initialStreamWindowBytes = 64 * 1024
    serverConfiguration.connectionWindowBytes = 256 * 1024
    try await withServer(serverConfiguration, events: events) { address, _ throws in
      try await withClient(address) { client throws in
        let written = Mutex(0)
        let chunk = [UInt8](repeating: 9, count: 16 * 1024)
        let total = 16 * 1024 * 1024
        async let reply = client.clientStreaming(
          request: StreamingClientRequest(of: [UInt8].self) { writer in
            while written.withLock({ $0 }) < total {
              try await writer.write(chunk)
              let now = written.withLock { value -> Int in
                value += chunk.count
                return value
              }
              if now >= 8 * 1024 * 1024 { events.record("client-wrote-8MiB") }
            }
          }, descriptor: TestService.method("Stall"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { try $0.message }
        // While the handler reads nothing, the client cannot get 8 MiB out.
        #expect(await events.wait(for: "client-wrote-8MiB", timeout: .milliseconds(500)) == false)
        #expect(written.withLock { $0 } < 4 * 1024 * 1024)
        events.record("go")
        #expect(try await String(decoding: reply, as: UTF8.self) == String(total))
      }
    }
  }

  @Test func honoursMaxConcurrentStreams() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.maxConcurrentStreams = 2
    try await withServer(configuration) { address, _ throws in
      try await withClient(address) { client throws in
        // Wait until SETTINGS have been exchanged, then run more calls than allowed at once.
        #expect(try await client.get([0]) == [0])
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
          for i in 0..<20 {
            group.addTask { try await client.get([UInt8(i)], metadata: ["x-sleep-ms": "20"]) }
          }
          var results: [[UInt8]] = []
          for try await r in group { results.append(r) }
          #expect(results.count == 20)
        }
      }
    }
  }

  @Test func gracefulShutdownLetsOpenStreamsFinish() async throws {
    let events = Events()
    let transport = Nghttp2ServerTransport(host: "127.0.0.1", port: 0)
    let server = GRPCServer(transport: transport, services: [TestService(events: events)])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      let address = try await transport.listeningAddress
      try await withClient(address) { client throws in
        let count = try await client.serverStreaming(
          request: ClientRequest(message: [1], metadata: ["x-count": "20", "x-interval-ms": "10", "x-tag": "graceful"]),
          descriptor: TestService.method("Expand"), serializer: Raw(), deserializer: Raw(), options: .defaults
        ) { response in
          var n = 0
          for try await _ in response.messages {
            n += 1
            if n == 1 { server.beginGracefulShutdown() }
          }
          return n
        }
        #expect(count == 20)
        // serve() returns once the connection has drained.
        try await group.next()
        let code = await rpcCode { _ = try await client.get([1]) }
        #expect(code == .unavailable)
      }
    }
  }

  @Test func connectionLossIsUnavailableAndTheClientReconnects() async throws {
    let events = Events()
    let transport = Nghttp2ServerTransport(host: "127.0.0.1", port: 0)
    let server = GRPCServer(transport: transport, services: [TestService(events: events)])
    var configuration = Nghttp2ClientTransport.Configuration()
    configuration.initialBackoff = .milliseconds(20)
    configuration.maxBackoff = .milliseconds(100)
    try await withThrowingTaskGroup(of: Void.self) { serving in
      serving.addTask { try await server.serve() }
      let address = try await transport.listeningAddress
      try await withClient(address, configuration) { client throws in
        #expect(try await client.get([1]) == [1])
        // A hard stop while a call is in flight.
        async let inFlight = rpcCode { _ = try await client.get([2], metadata: ["x-sleep-ms": "20000"]) }
        #expect(await events.wait(for: "never", timeout: .milliseconds(100)) == false)
        serving.cancelAll()
        _ = try? await serving.next()
        #expect(await inFlight == .unavailable)

        // A new server on the same port: the client finds it again.
        try await withServer(port: address.port) { _, _ throws in
          var reply: [UInt8]? = nil
          for _ in 0..<100 where reply == nil {
            reply = try? await client.get([3])
            if reply == nil { _ = await events.wait(for: "never", timeout: .milliseconds(50)) }
          }
          #expect(reply == [3])
        }
      }
    }
  }

  @Test func waitForReadyWaitsForTheServer() async throws {
    // Find a free port, then start the server on it only after the call has begun.
    let port = try await withServer { address, _ in address.port }
    var configuration = Nghttp2ClientTransport.Configuration()
    configuration.initialBackoff = .milliseconds(20)
    configuration.maxBackoff = .milliseconds(50)
    try await withClient(Nghttp2ServerTransport.Address(host: "127.0.0.1", port: port), configuration) { client throws in
      let failFast = await rpcCode { _ = try await client.get([0]) }
      #expect(failFast == .unavailable)
      var options = CallOptions.defaults
      options.waitForReady = true
      try await withThrowingTaskGroup(of: [UInt8].self) { group in
        let call = options
        group.addTask { try await client.get([7], options: call) }
        #expect(await Events().wait(for: "never", timeout: .milliseconds(200)) == false)
        try await withServer(port: port) { _, _ throws in
          #expect(try await group.next() == [7])
        }
      }
    }
  }

  @Test func idleConnectionsAreClosedAndClientsReconnect() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.idleTimeout = .milliseconds(100)
    try await withServer(configuration) { address, _ throws in
      try await withClient(address) { client throws in
        // Under load the 100 ms idle timeout can close the connection before the first call
        // reaches it; that call then fails like any call on a closed connection, so retry it too.
        var first: [UInt8]? = nil
        for _ in 0..<50 where first == nil {
          first = try? await client.get([1])
        }
        #expect(first == [1])
        _ = await Events().wait(for: "idle", timeout: .milliseconds(400))
        var reply: [UInt8]? = nil
        for _ in 0..<50 where reply == nil {
          reply = try? await client.get([2])
        }
        #expect(reply == [2])
      }
    }
  }

  @Test func fullServerDisplacesTheLongestIdleConnectionAndRefusesWhenNoneIsIdle() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.maxConnections = 1
    configuration.displaceIdleAfter = .milliseconds(100)
    let events = Events()
    try await withServer(configuration, events: events) { address, _ throws in
      try await withClient(address) { first throws in
        try await withThrowingTaskGroup(of: Void.self) { group in
          // The only slot is busy with a call in progress: a new connection is refused.
          group.addTask {
            _ = try? await first.get([1], metadata: ["x-sleep-ms": "60000", "x-tag": "busy"])
          }
          #expect(await events.wait(for: "sleeping:busy", timeout: .seconds(20)))
          var clientConfiguration = Nghttp2ClientTransport.Configuration()
          clientConfiguration.initialBackoff = .seconds(30)
          let start = ContinuousClock.now
          try await withClient(address, clientConfiguration) { second throws in
            let code = await rpcCode { _ = try await second.get([2]) }
            #expect(code == .unavailable)
          }
          // Shutting the client down does not wait out its reconnection backoff.
          #expect(ContinuousClock.now - start < .seconds(10))
          group.cancelAll()
          #expect(await events.wait(for: "cancelled:busy", timeout: .seconds(20)))
        }
        // Now the first connection is idle: a newcomer displaces it (once it has been idle
        // for displaceIdleAfter; refused until then) and is served ...
        var quick = Nghttp2ClientTransport.Configuration()
        quick.initialBackoff = .milliseconds(20)
        quick.maxBackoff = .milliseconds(50)
        try await withClient(address, quick) { third throws in
          // Refused connections fail the call that was waiting for them: try again (bounded).
          var options = CallOptions.defaults
          options.waitForReady = true
          options.timeout = .seconds(20)
          var reply: [UInt8]? = nil
          for _ in 0..<500 where reply == nil { reply = try? await third.get([3], options: options) }
          #expect(reply == [3])
        }
        // ... and the displaced client reconnects on its next call.
        var options = CallOptions.defaults
        options.waitForReady = true
        options.timeout = .seconds(20)
        var reply: [UInt8]? = nil
        for _ in 0..<500 where reply == nil { reply = try? await first.get([4], options: options) }
        #expect(reply == [4])
      }
    }
  }

  @Test func slowClientsAreDisconnected() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.slowClientTimeout = .milliseconds(300)
    try await withServer(configuration) { address, _ throws in
      let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
      // Nothing at all; half a preface; the preface but no SETTINGS: each is closed by the server.
      for bytes in [[], Array(preface.prefix(10)), preface] {
        let connection = try await RawConnection.open(address, from: "127.0.0.1")
        if !bytes.isEmpty {
          try await connection.channel.writeAndFlush(connection.channel.allocator.buffer(bytes: bytes)).get()
        }
        #expect(await connection.closed(within: .seconds(20)), "the server closed a connection that sent \(bytes.count) bytes")
      }
      // A well-behaved client is unaffected.
      try await withClient(address) { client throws in
        #expect(try await client.get([9]) == [9])
      }
    }
  }


  /// Whether `condition` (state of another thread, with no event to wait on) holds within
  /// `limit`, checked every few milliseconds.
  static func becomesTrue(within limit: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while !condition() {
      if ContinuousClock.now > deadline { return false }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return true
  }

  @Test func clientThatStopsReadingHoldsTheServerOutputNotItsMemory() async throws {
    // The client grants the largest windows HTTP/2 allows and then does not read: only the
    // socket pushes back. The response is 64 MB; the server must stop taking it from the
    // handler once the socket stops draining, not queue it all for a client that may never read.
    let events = Events()
    try await withServer(events: events) { address, server throws in
      let raw = try await RawConnection.open(address, reading: false)
      let message = [UInt8](repeating: 7, count: 16_000)
      let request = RawH2.preface + RawH2.largestWindows
        + RawH2.headers(streamID: 1, path: "/test.Echo/Expand", metadata: [("x-count", "4000"), ("x-tag", "held")])
        + RawH2.lastMessage(streamID: 1, message)
      try await raw.channel.writeAndFlush(raw.channel.allocator.buffer(bytes: request)).get()
      #expect(await events.wait(for: "first-written:held"))
      // Once the socket stops draining (the kernel's buffers full: a few MB, later on a busy
      // machine), the connection's output is held...
      #expect(await Self.becomesTrue(within: .seconds(30)) { server.transport.heldOutputs >= 1 })
      // ...and the handler waits instead of handing over the rest of the 64 MB.
      #expect(await events.wait(for: "finished:held", timeout: .seconds(1)) == false)
      // Reading again, the client gets every message.
      try await raw.channel.setOption(.autoRead, value: true).get()
      raw.channel.read()
      #expect(try await raw.stream1DataBytes.get() == 4000 * (5 + message.count))
      #expect(events.count("finished:held") == 1)
      try await raw.channel.close().get()
    }
  }

  @Test func responseBytesQueuedPerStreamAreBoundedByTheOutboundBuffer() async throws {
    // A stream window of 0: nothing can be sent, so the handler's writes queue in the stream's
    // buffer. 200 KB do not fit in the default 64 KiB: the handler must wait, not queue them all.
    let events = Events()
    try await withServer(events: events) { address, _ throws in
      let raw = try await RawConnection.open(address)
      let message = [UInt8](repeating: 3, count: 1_000)
      let request = RawH2.preface + RawH2.initialWindow(0) + RawH2.windowUpdate(streamID: 0, .max - 65_535)
        + RawH2.headers(streamID: 1, path: "/test.Echo/Expand", metadata: [("x-count", "200"), ("x-tag", "shut")])
        + RawH2.lastMessage(streamID: 1, message)
      try await raw.channel.writeAndFlush(raw.channel.allocator.buffer(bytes: request)).get()
      #expect(await events.wait(for: "first-written:shut"))
      #expect(await events.wait(for: "finished:shut", timeout: .seconds(1)) == false)
      // The window opens: every message arrives.
      try await raw.channel.writeAndFlush(raw.channel.allocator.buffer(bytes: RawH2.windowUpdate(streamID: 1, .max))).get()
      #expect(try await raw.stream1DataBytes.get() == 200 * (5 + message.count))
      #expect(events.count("finished:shut") == 1)
      try await raw.channel.close().get()
    }
  }

  @Test func resetFloodingPeerIsRefusedForTheCooldownAndOtherPeersAreNot() async throws {
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.resetFloodCooldown = .seconds(60)
    let events = Events()
    configuration.onResetFlood = { peer, _ in events.record("flood:\(peer)") }
    try await withServer(configuration, events: events) { address, server throws in
      // 300 requests each reset in the same write: nghttp2 ends the connection after 200.
      var flood = RawH2.preface
      for i in 0..<300 {
        let id = UInt32(2 * i + 1)
        flood += RawH2.headers(streamID: id, path: "/test.Echo/Get") + RawH2.reset(streamID: id)
      }
      let attacker = try await RawConnection.open(address, from: "127.0.0.1")
      try? await attacker.channel.writeAndFlush(attacker.channel.allocator.buffer(bytes: flood)).get()
      #expect(await attacker.closed(within: .seconds(20)), "the server ended the flooding connection")
      #expect(await events.wait(for: "flood:127.0.0.1"), "the peer was reported as a reset flooder")
      #expect(events.count("Get") == 0, "no reset stream reached a handler")

      // Its next connection is closed on accept, before the server says anything.
      let again = try await RawConnection.open(address, from: "127.0.0.1")
      try? await again.channel.writeAndFlush(again.channel.allocator.buffer(bytes: RawH2.preface)).get()
      #expect(await again.closed(within: .seconds(20)))
      #expect(try await again.bytesBeforeClose.get() == 0, "refused without a SETTINGS frame")
      #expect(server.transport.refusedFlooderConnections == 1)
      #expect(server.transport.refusedPeers.map(\.address) == ["127.0.0.1"])

      // Another address is served as usual: the server's SETTINGS arrives.
      let other = try await RawConnection.open(address, from: "127.0.0.2")
      try await other.channel.writeAndFlush(other.channel.allocator.buffer(bytes: RawH2.preface)).get()
      #expect(try await other.firstRead.get() > 0)
      try await other.channel.close().get()
    }
  }

  @Test func serverSaysNothingUntilTheClientSpeaks() async throws {
    // The session (and the server's SETTINGS) starts with the client's first bytes, so a
    // connection that sends nothing costs no HTTP/2 session while it waits to be timed out.
    try await withServer { address, _ throws in
      let quiet = try await RawConnection.open(address)
      let seen = Events()
      quiet.firstRead.whenSuccess { _ in seen.record("first-read") }
      #expect(await seen.wait(for: "first-read", timeout: .milliseconds(300)) == false, "nothing before the client's preface")
      try await quiet.channel.writeAndFlush(quiet.channel.allocator.buffer(bytes: RawH2.preface)).get()
      #expect(try await quiet.firstRead.get() > 0, "the server's SETTINGS once the preface arrived")
      try await quiet.channel.close().get()
    }
  }

  @Test func closedConnectionsAreFreed() async throws {
    let channels = Channels()
    let handlers = WeakRefs()
    var configuration = Nghttp2ServerTransport.Configuration()
    configuration.channelSetup = { channel in
      channels.add(channel)
      return channel.eventLoop.makeSucceededVoidFuture()
    }
    try await withServer(configuration) { address, server throws in
      for i in 0..<3 {
        try await withClient(address) { client throws in
          #expect(try await client.get([UInt8(i)]) == [UInt8(i)])
          let channel = channels.all[i]
          try await channel.eventLoop.submit {
            handlers.add(try channel.pipeline.syncOperations.handler(type: ServerConnectionHandler.self))
          }.get()
        }
      }
      #expect(handlers.count == 3)
      for channel in channels.all { try await channel.closeFuture.get() }
      // The handlers go once the event loops have run the pipelines' teardown; a reference cycle
      // (a handler keeping its context) would keep each connection's objects forever.
      var hops = 0
      while handlers.alive > 0 && hops < 1000 {
        for channel in channels.all { try await channel.eventLoop.submit {}.get() }
        await Task.yield()
        hops += 1
      }
      #expect(handlers.alive == 0, "\(handlers.alive) closed connection(s) still allocated")
    }
  }

}

/// The server's accepted channels.
final class Channels: Sendable {
  private let channels = Mutex<[any Channel]>([])
  func add(_ channel: any Channel) { channels.withLock { $0.append(channel) } }
  var all: [any Channel] { channels.withLock { $0 } }
}

/// Weak references, to see objects go.
final class WeakRefs: Sendable {
  private final class Ref: @unchecked Sendable {
    weak var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
  }
  private let refs = Mutex<[Ref]>([])
  func add(_ object: AnyObject) { refs.withLock { $0.append(Ref(object)) } }
  var count: Int { refs.withLock { $0.count } }
  var alive: Int { refs.withLock { $0.filter { $0.object != nil }.count } }
}

/// HTTP/2 frames written by hand, for clients that misbehave.
enum RawH2 {
  static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + frame(type: 4, flags: 0, streamID: 0, [])

  static func frame(type: UInt8, flags: UInt8, streamID: UInt32, _ payload: [UInt8]) -> [UInt8] {
    let n = payload.count
    return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type, flags]
      + withUnsafeBytes(of: streamID.bigEndian, Array.init) + payload
  }

  /// A gRPC request's HEADERS (END_HEADERS), HPACK without Huffman or indexing.
  static func headers(streamID: UInt32, path: String, metadata: [(String, String)] = []) -> [UInt8] {
    func literal(_ name: String, _ value: String) -> [UInt8] {
      [0x00, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
    }
    var block: [UInt8] = [0x83, 0x86]  // :method POST, :scheme http
      + [0x04, UInt8(path.utf8.count)] + Array(path.utf8)  // :path
      + [0x01, 9] + Array("localhost".utf8)  // :authority (nghttp2 resets a request without one)
      + literal("content-type", "application/grpc") + literal("te", "trailers")
    for (name, value) in metadata { block += literal(name, value) }
    return frame(type: 1, flags: 0x4, streamID: streamID, block)
  }

  /// One gRPC message (uncompressed) in a DATA frame, ending the stream.
  static func lastMessage(streamID: UInt32, _ message: [UInt8]) -> [UInt8] {
    frame(type: 0, flags: 0x1, streamID: streamID, [0] + withUnsafeBytes(of: UInt32(message.count).bigEndian, Array.init) + message)
  }

  static func initialWindow(_ bytes: Int32) -> [UInt8] {
    frame(type: 4, flags: 0, streamID: 0, [0, 4] + withUnsafeBytes(of: UInt32(bytes).bigEndian, Array.init))
  }

  static func windowUpdate(streamID: UInt32, _ increment: Int32) -> [UInt8] {
    frame(type: 8, flags: 0, streamID: streamID, withUnsafeBytes(of: UInt32(increment).bigEndian, Array.init))
  }

  /// SETTINGS_INITIAL_WINDOW_SIZE and a connection WINDOW_UPDATE, both to the most HTTP/2 allows.
  static let largestWindows = initialWindow(.max) + windowUpdate(streamID: 0, .max - 65_535)

  static func reset(streamID: UInt32, code: UInt32 = 8) -> [UInt8] {
    frame(type: 3, flags: 0, streamID: streamID, withUnsafeBytes(of: code.bigEndian, Array.init))
  }
}

/// A TCP connection that records the first bytes it reads and how many arrived before the close,
/// and the DATA bytes of stream 1 once its trailers (HEADERS with END_STREAM) arrive.
struct RawConnection {
  let channel: any Channel
  let firstRead: EventLoopFuture<Int>
  let bytesBeforeClose: EventLoopFuture<Int>
  let stream1DataBytes: EventLoopFuture<Int>

  private final class Recorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let first: EventLoopPromise<Int>
    let total: EventLoopPromise<Int>
    let stream1: EventLoopPromise<Int>
    var count = 0
    var frames = ByteBuffer()
    var stream1Data = 0
    init(first: EventLoopPromise<Int>, total: EventLoopPromise<Int>, stream1: EventLoopPromise<Int>) {
      self.first = first
      self.total = total
      self.stream1 = stream1
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      var bytes = self.unwrapInboundIn(data)
      let n = bytes.readableBytes
      if self.count == 0 { self.first.succeed(n) }
      self.count += n
      self.frames.writeBuffer(&bytes)
      while self.frames.readableBytes >= 9, let header = self.frames.getBytes(at: self.frames.readerIndex, length: 9) {
        let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
        guard self.frames.readableBytes >= 9 + length else { break }
        self.frames.moveReaderIndex(forwardBy: 9 + length)
        let streamID = (UInt32(header[5]) << 24 | UInt32(header[6]) << 16 | UInt32(header[7]) << 8 | UInt32(header[8])) & 0x7fff_ffff
        guard streamID == 1 else { continue }
        if header[3] == 0 { self.stream1Data += length }
        if header[3] == 1 && header[4] & 0x1 != 0 { self.stream1.succeed(self.stream1Data) }
      }
      self.frames.discardReadBytes()
    }
    func channelInactive(context: ChannelHandlerContext) {
      if self.count == 0 { self.first.succeed(0) }
      self.total.succeed(self.count)
      self.stream1.fail(ChannelError.eof)
      context.fireChannelInactive()
    }
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
      context.close(promise: nil)
    }
  }

  /// `reading: false` never reads the socket (until `autoRead` is turned on), so its buffers fill.
  static func open(
    _ address: Nghttp2ServerTransport.Address, from source: String = "127.0.0.1", reading: Bool = true
  ) async throws -> RawConnection {
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let first = loop.makePromise(of: Int.self)
    let total = loop.makePromise(of: Int.self)
    let stream1 = loop.makePromise(of: Int.self)
    let channel = try await ClientBootstrap(group: loop)
      .bind(to: try SocketAddress(ipAddress: source, port: 0))
      .channelOption(.autoRead, value: reading)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(Recorder(first: first, total: total, stream1: stream1))
        }
      }
      .connect(host: address.host, port: address.port).get()
    return RawConnection(
      channel: channel, firstRead: first.futureResult, bytesBeforeClose: total.futureResult,
      stream1DataBytes: stream1.futureResult)
  }

  /// True once the connection has closed; false (and it is closed here) if `timeout` passed first.
  func closed(within timeout: Duration) async -> Bool {
    let channel = self.channel
    let closed = await withTaskGroup(of: Bool.self) { group in
      group.addTask { (try? await channel.closeFuture.get()) != nil }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return false
      }
      let first = await group.next()!
      group.cancelAll()
      return first
    }
    if !closed { try? await channel.close().get() }
    return closed
  }
}

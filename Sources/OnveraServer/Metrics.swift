import GRPCCore
import GRPCNghttp2Transport
import NIOCore
import NIOHTTP1
import NIOPosix
import OnveraProto
import OnveraStore
import Orchestrator
import Prometheus
import Synchronization

/// The server's Prometheus metrics: RPCs by method and code with latency
/// histograms, in-flight RPCs (open streams), open connections, operations by
/// type and status, watchers, and the store's append and fdatasync latency.
final class ServerMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let rpcDuration: Mutex<[String: DurationHistogram]> = Mutex([:])
  let rpcCounters: Mutex<[String: Counter]> = Mutex([:])
  let inflight: Gauge
  let connections: Gauge
  let refusedFlooders: TotalCounter
  let heldOutputs: TotalCounter
  let heapInUse: Gauge
  let heapFree: Gauge
  let heapTrims: TotalCounter
  let heapLookTime: DurationHistogram
  let heapTrimTime: DurationHistogram
  private let inflightCount = Atomic<Int>(0)
  let watchers: Gauge
  let deploymentWatchers: Gauge
  let appendLatency: DurationHistogram
  let syncLatency: DurationHistogram
  let writeLatency: DurationHistogram
  let batchRecords: ValueHistogram
  static let latencyBuckets: [Duration] = [
    .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
    .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    .seconds(5),
  ]

  init() {
    inflight = registry.makeGauge(descriptor: d("onvera_rpcs_in_flight", "RPCs being handled now (open streams)"))
    connections = registry.makeGauge(descriptor: d("onvera_open_connections", "Client connections open now"))
    refusedFlooders = TotalCounter(registry.makeCounter(
      descriptor: d("onvera_connections_refused_total", "Connections closed on accept, by reason"),
      labels: [("reason", "reset_flood")]))
    heldOutputs = TotalCounter(registry.makeCounter(
      descriptor: d("onvera_connection_output_held_total",
        "Times a connection's output was held because its socket stopped draining (a client not reading)")))
    let heap = d("onvera_heap_bytes",
      "Allocator memory: in use, or freed and kept by the allocator, as of the heap trimmer's last look")
    heapInUse = registry.makeGauge(descriptor: heap, labels: [("state", "in_use")])
    heapFree = registry.makeGauge(descriptor: heap, labels: [("state", "free")])
    heapTrims = TotalCounter(registry.makeCounter(
      descriptor: d("onvera_heap_trims_total", "Times the allocator's free memory was given back to the system")))
    let walk = d("onvera_heap_walk_seconds",
      "How long the heap trimmer walked the allocator's free lists, each arena locked meanwhile: to measure (look) or to trim")
    heapLookTime = registry.makeDurationHistogram(descriptor: walk, labels: [("kind", "look")], buckets: Self.latencyBuckets)
    heapTrimTime = registry.makeDurationHistogram(descriptor: walk, labels: [("kind", "trim")], buckets: Self.latencyBuckets)
    watchers = registry.makeGauge(descriptor: d("onvera_watchers", "Open watch streams"), labels: [("kind", "operation")])
    deploymentWatchers = registry.makeGauge(descriptor: d("onvera_watchers", "Open watch streams"), labels: [("kind", "deployments")])
    appendLatency = registry.makeDurationHistogram(descriptor: d("onvera_store_append_seconds", "Time from a store append to its acknowledgement (durable)"), buckets: Self.latencyBuckets)
    syncLatency = registry.makeDurationHistogram(descriptor: d("onvera_store_fdatasync_seconds", "Duration of each batch's fdatasync"), buckets: Self.latencyBuckets)
    writeLatency = registry.makeDurationHistogram(descriptor: d("onvera_store_write_seconds", "Duration of each batch's write"), buckets: Self.latencyBuckets)
    batchRecords = registry.makeValueHistogram(descriptor: d("onvera_store_batch_records", "Records per group-commit batch"), buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024])
  }

  /// Hooks for the store's configuration.
  func observe(_ store: inout Store.Configuration) {
    store.onAppendAcknowledged = { [appendLatency] latency in appendLatency.recordNanoseconds(latency.nanoseconds) }
    store.onBatchDurable = { [syncLatency, writeLatency, batchRecords] records, _, write, sync in
      writeLatency.recordNanoseconds(write.nanoseconds)
      syncLatency.recordNanoseconds(sync.nanoseconds)
      batchRecords.record(Double(records))
    }
  }

  func heapWalked(_ walk: HeapTrimmer.Walk, _ duration: Duration) {
    (walk == .look ? heapLookTime : heapTrimTime).recordNanoseconds(duration.nanoseconds)
  }

  /// Calls being handled now (the `onvera_rpcs_in_flight` gauge, set from it at scrape time).
  var callsInFlight: Int { inflightCount.load(ordering: .relaxed) }

  func callStarted() { inflightCount.add(1, ordering: .relaxed) }

  func callEnded() { inflightCount.subtract(1, ordering: .relaxed) }

  func recordRPC(method: String, code: String, duration: Duration) {
    let key = method + "|" + code
    let counter = rpcCounters.withLock { counters in
      if let c = counters[key] { return c }
      let c = registry.makeCounter(descriptor: d("onvera_rpcs_total", "RPCs handled, by method and status"), labels: [("method", method), ("code", code)])
      counters[key] = c
      return c
    }
    counter.increment()
    let histogram = rpcDuration.withLock { histograms in
      if let h = histograms[method] { return h }
      let h = registry.makeDurationHistogram(descriptor: d("onvera_rpc_duration_seconds", "RPC latency by method"), labels: [("method", method)], buckets: Self.latencyBuckets)
      histograms[method] = h
      return h
    }
    histogram.recordNanoseconds(duration.nanoseconds)
  }

  /// The exposition text, with the gauges read from the orchestrator and transport now.
  func scrape(orchestrator: Orchestrator, transport: Nghttp2ServerTransport, heap: HeapTrimmer) async -> [UInt8] {
    connections.set(Double(transport.openConnections))
    inflight.set(Double(callsInFlight))
    refusedFlooders.catchUp(to: transport.refusedFlooderConnections)
    heldOutputs.catchUp(to: transport.heldOutputs)
    // The trimmer's figures, not mallinfo2 now: measuring walks the allocator's free lists
    // with its arenas locked, which after a burst stalls every allocating thread for tens of
    // milliseconds; a scrape must not do that.
    if let usage = heap.lastUsage {
      heapInUse.set(Double(usage.inUse))
      heapFree.set(Double(usage.free))
    }
    heapTrims.catchUp(to: heap.trims)
    let counts = orchestrator.watcherCounts
    watchers.set(Double(counts.operations))
    deploymentWatchers.set(Double(counts.deployments))
    for (type, statuses) in await orchestrator.operationCounts() {
      for (status, count) in statuses {
        registry.makeGauge(descriptor: d("onvera_operations", "Operations by type and status"),
          labels: [("type", type.protoName ?? String(type.rawValue)), ("status", status.protoName ?? String(status.rawValue))]).set(Double(count))
      }
    }
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return buffer
  }
}

/// A Prometheus counter that follows a running total kept elsewhere (the transport's), brought
/// up to date at each scrape.
final class TotalCounter: Sendable {
  private let counter: Counter
  private let seen = Mutex(0)

  init(_ counter: Counter) { self.counter = counter }

  func catchUp(to total: Int) {
    let added = seen.withLock { seen in
      defer { seen = max(seen, total) }
      return max(total - seen, 0)
    }
    if added > 0 { counter.increment(by: Int64(added)) }
  }
}

extension Duration {
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}

/// Counts RPCs by method and final status, times them, and tracks how many are in flight.
struct MetricsInterceptor: ServerInterceptor {
  let metrics: ServerMetrics

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>, context: ServerContext,
    next: (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    let method = "/" + context.descriptor.fullyQualifiedMethod
    let start = ContinuousClock.now
    let metrics = self.metrics
    metrics.callStarted()
    // Counted once, when the response ends or, if the transport drops the call before its
    // producer runs (a client reset, a connection lost), when GRPCCore lets go of it.
    let call = InflightCall { code in
      metrics.callEnded()
      metrics.recordRPC(method: method, code: code, duration: ContinuousClock.now - start)
    }
    let response: StreamingServerResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      call.finish(Self.code(of: error))
      throw error
    }
    switch response.accepted {
    case .failure(let error):
      call.finish(String(describing: error.code))
      return response
    case .success(var contents):
      let producer = contents.producer
      contents.producer = { writer in
        do {
          let trailers = try await producer(writer)
          call.finish("ok")
          return trailers
        } catch {
          call.finish(Self.code(of: error))
          throw error
        }
      }
      return StreamingServerResponse(accepted: .success(contents))
    }
  }

  static func code(of error: any Error) -> String {
    if let rpc = error as? RPCError { return String(describing: rpc.code) }
    if let convertible = error as? any RPCErrorConvertible { return String(describing: convertible.rpcErrorCode) }
    return "unknown"
  }
}

/// One RPC in flight: reports its end exactly once, as "cancelled" if it is dropped unreported.
final class InflightCall: Sendable {
  private let done = Atomic<Bool>(false)
  private let report: @Sendable (String) -> Void

  init(_ report: @escaping @Sendable (String) -> Void) { self.report = report }

  func finish(_ code: String) {
    if !done.exchange(true, ordering: .acquiringAndReleasing) { report(code) }
  }

  deinit { finish("cancelled") }
}

/// Serves `GET /metrics` over plain HTTP/1.1.
final class MetricsEndpoint: Sendable {
  let channel: any Channel

  /// Binds `host:port` (0 picks a free port); `scrape` produces the body of each response.
  static func start(
    host: String, port: Int, scrape: @escaping @Sendable () async -> [UInt8]
  ) async throws -> MetricsEndpoint {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline().flatMap {
          channel.pipeline.addHandler(MetricsHandler(scrape: scrape))
        }
      }
      .bind(host: host, port: port).get()
    return MetricsEndpoint(channel: channel)
  }

  init(channel: any Channel) { self.channel = channel }

  /// The bound port.
  var port: Int { channel.localAddress?.port ?? 0 }

  func close() async {
    try? await channel.close()
  }
}

final class MetricsHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart
  let scrape: @Sendable () async -> [UInt8]

  init(scrape: @escaping @Sendable () async -> [UInt8]) { self.scrape = scrape }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else { return }
    let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
    let keepAlive = head.isKeepAlive
    let found = head.method == .GET && (head.uri == "/metrics" || head.uri.hasPrefix("/metrics?"))
    let promise = context.eventLoop.makePromise(of: [UInt8].self)
    if found {
      promise.completeWithTask { await self.scrape() }
    } else {
      promise.succeed(Array("not found: GET /metrics\n".utf8))
    }
    promise.futureResult.whenSuccess { body in
      let context = loopBound.value
      var headers = HTTPHeaders()
      headers.add(name: "content-type", value: found ? "text/plain; version=0.0.4" : "text/plain")
      headers.add(name: "content-length", value: String(body.count))
      if !keepAlive { headers.add(name: "connection", value: "close") }
      context.write(
        NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: found ? .ok : .notFound, headers: headers))),
        promise: nil)
      context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
      let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
      if !keepAlive { done.whenComplete { _ in loopBound.value.close(promise: nil) } }
    }
  }
}

func d(_ name: String, _ help: String) -> MetricNameDescriptor {
  // An empty unit adds nothing to the name: the unit is already part of each name here.
  MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
}

import GRPCCore
import Synchronization

/// Raw bytes in, raw bytes out: the echo messages are encoded by hand.
struct RawCoder: MessageSerializer, MessageDeserializer {
  typealias Message = [UInt8]
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
    serializedMessageBytes.withUnsafeBytes { Array($0) }
  }
}

/// `message EchoRequest { bytes payload = 1; }` / `message EchoResponse { bytes payload = 1; }`.
enum EchoMessage {
  static func encode(_ payload: [UInt8]) -> [UInt8] {
    if payload.isEmpty { return [] }
    var out: [UInt8] = [0x0A]
    var n = UInt64(payload.count)
    while n >= 0x80 {
      out.append(UInt8(n & 0x7F) | 0x80)
      n >>= 7
    }
    out.append(UInt8(n))
    out.append(contentsOf: payload)
    return out
  }

  /// The payload field; other fields are skipped.
  static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
    var i = 0
    var payload: [UInt8] = []
    func varint() throws -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard i < bytes.count, shift < 64 else { throw RPCError(code: .invalidArgument, message: "Truncated varint.") }
        let b = bytes[i]
        i += 1
        result |= UInt64(b & 0x7F) << shift
        if b & 0x80 == 0 { return result }
        shift += 7
      }
    }
    while i < bytes.count {
      let key = try varint()
      switch key & 7 {
      case 0: _ = try varint()
      case 1: i += 8
      case 5: i += 4
      case 2:
        let len = Int(try varint())
        guard i + len <= bytes.count else { throw RPCError(code: .invalidArgument, message: "Truncated field.") }
        if key >> 3 == 1 { payload = Array(bytes[i..<i + len]) }
        i += len
      default: throw RPCError(code: .invalidArgument, message: "Bad wire type.")
      }
    }
    return payload
  }
}

/// Tags of RPCs whose handler observed cancellation, for tests to query.
final class CancellationLog: Sendable {
  private let state = Mutex<(tags: Set<String>, waiters: [(String, CheckedContinuation<Bool, Never>)])>(([], []))

  func record(_ tag: String) {
    guard !tag.isEmpty else { return }
    let ready = self.state.withLock { state -> [CheckedContinuation<Bool, Never>] in
      state.tags.insert(tag)
      let matching = state.waiters.filter { $0.0 == tag }.map { $0.1 }
      state.waiters.removeAll { $0.0 == tag }
      return matching
    }
    for c in ready { c.resume(returning: true) }
  }

  /// Waits for `tag` to be recorded, at most `timeout`.
  func wait(for tag: String, timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        await withCheckedContinuation { continuation in
          let done = self.state.withLock { state -> Bool in
            if state.tags.contains(tag) { return true }
            state.waiters.append((tag, continuation))
            return false
          }
          if done { continuation.resume(returning: true) }
        }
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return false
      }
      let first = await group.next() ?? false
      if !first {
        // Release the waiter left behind.
        let left = self.state.withLock { state -> [CheckedContinuation<Bool, Never>] in
          let matching = state.waiters.filter { $0.0 == tag }.map { $0.1 }
          state.waiters.removeAll { $0.0 == tag }
          return matching
        }
        for c in left { c.resume(returning: false) }
      } else {
        group.cancelAll()
      }
      while await group.next() != nil {}
      return first
    }
  }
}

/// The echo test service `onvera.echo.Echo`, controlled through request metadata:
/// `x-echo-status` / `x-echo-message-bin` make it fail with that status (with `x-echo-details-bin`
/// as `grpc-status-details-bin`), `x-echo-sleep-ms` makes it
/// wait first, `x-echo-count` / `x-echo-interval-ms` shape server streams, and `x-echo-tag` names
/// the call in the cancellation log. Metadata starting with `x-` is echoed in headers and trailers.
struct EchoService: RegistrableRPCService {
  static let service = "onvera.echo.Echo"
  let log = CancellationLog()

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let coder = RawCoder()
    let log = self.log
    router.registerHandler(
      forMethod: MethodDescriptor(fullyQualifiedService: Self.service, method: "Get"),
      deserializer: coder, serializer: coder
    ) { request, context in
      var messages: [[UInt8]] = []
      for try await m in request.messages { messages.append(m) }
      try await Self.prelude(request.metadata, context: context, log: log)
      let message = messages.first ?? []
      return Self.respond(request.metadata) { writer in try await writer.write(message) }
    }
    router.registerHandler(
      forMethod: MethodDescriptor(fullyQualifiedService: Self.service, method: "Expand"),
      deserializer: coder, serializer: coder
    ) { request, context in
      var messages: [[UInt8]] = []
      for try await m in request.messages { messages.append(m) }
      try await Self.prelude(request.metadata, context: context, log: log)
      let count = Int(request.metadata[stringValues: "x-echo-count"].first(where: { _ in true }) ?? "") ?? 3
      let interval = Int(request.metadata[stringValues: "x-echo-interval-ms"].first(where: { _ in true }) ?? "") ?? 0
      let tag = request.metadata[stringValues: "x-echo-tag"].first(where: { _ in true }) ?? ""
      let message = messages.first ?? []
      return Self.respond(request.metadata) { writer in
        for _ in 0..<count {
          if interval > 0 {
            do {
              try await Self.sleep(milliseconds: interval, context: context)
            } catch {
              log.record(tag)
              throw error
            }
          }
          try await writer.write(message)
        }
      }
    }
    router.registerHandler(
      forMethod: MethodDescriptor(fullyQualifiedService: Self.service, method: "Collect"),
      deserializer: coder, serializer: coder
    ) { request, context in
      var payload: [UInt8] = []
      for try await m in request.messages { payload += try EchoMessage.decode(m) }
      try await Self.prelude(request.metadata, context: context, log: log)
      let response = EchoMessage.encode(payload)
      return Self.respond(request.metadata) { writer in try await writer.write(response) }
    }
    router.registerHandler(
      forMethod: MethodDescriptor(fullyQualifiedService: Self.service, method: "Update"),
      deserializer: coder, serializer: coder
    ) { request, context in
      try await Self.prelude(request.metadata, context: context, log: log)
      let tag = request.metadata[stringValues: "x-echo-tag"].first(where: { _ in true }) ?? ""
      return Self.respond(request.metadata) { writer in
        do {
          for try await m in request.messages {
            try await writer.write(m)
          }
        } catch {
          log.record(tag)
          throw error
        }
        if context.cancellation.isCancelled { log.record(tag) }
      }
    }
    router.registerHandler(
      forMethod: MethodDescriptor(fullyQualifiedService: Self.service, method: "WasCancelled"),
      deserializer: coder, serializer: coder
    ) { request, context in
      var tag: [UInt8] = []
      for try await m in request.messages { tag = try EchoMessage.decode(m) }
      let seen = await log.wait(for: String(decoding: tag, as: UTF8.self), timeout: .seconds(5))
      let answer = EchoMessage.encode(Array((seen ? "yes" : "no").utf8))
      return StreamingServerResponse(accepted: .success(.init(metadata: [:]) { writer in
        try await writer.write(answer)
        return [:]
      }))
    }
  }

  /// Metadata starting with `x-` goes back in headers and trailers.
  static func echoed(_ metadata: Metadata) -> Metadata {
    var out = Metadata()
    for (key, value) in metadata where key.hasPrefix("x-") && !key.hasPrefix("x-echo-") {
      switch value {
      case .string(let s): out.addString(s, forKey: key)
      case .binary(let b): out.addBinary(b, forKey: key)
      }
    }
    return out
  }

  static func respond(
    _ metadata: Metadata, _ body: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void
  ) -> StreamingServerResponse<[UInt8]> {
    let echoed = Self.echoed(metadata)
    return StreamingServerResponse(accepted: .success(.init(metadata: echoed) { writer in
      try await body(writer)
      return echoed
    }))
  }

  /// Sleeps, then fails, as the metadata asks.
  static func prelude(_ metadata: Metadata, context: ServerContext, log: CancellationLog) async throws {
    let tag = metadata[stringValues: "x-echo-tag"].first(where: { _ in true }) ?? ""
    if let ms = Int(metadata[stringValues: "x-echo-sleep-ms"].first(where: { _ in true }) ?? "") {
      do {
        try await Self.sleep(milliseconds: ms, context: context)
      } catch {
        log.record(tag)
        throw error
      }
    }
    if let code = Int(metadata[stringValues: "x-echo-status"].first(where: { _ in true }) ?? ""),
      let rpcCode = RPCError.Code(Status.Code(rawValue: code) ?? .unknown)
    {
      let message = metadata[binaryValues: "x-echo-message-bin"].first(where: { _ in true }).map {
        String(decoding: $0, as: UTF8.self)
      } ?? ""
      var trailers = Self.echoed(metadata)
      // A serialized google.rpc.Status to return as the rich error details.
      for details in metadata[binaryValues: "x-echo-details-bin"] {
        trailers.addBinary(details, forKey: "grpc-status-details-bin")
      }
      throw RPCError(code: rpcCode, message: message, metadata: trailers)
    }
  }

  /// Sleeps unless the RPC is cancelled first (then throws CANCELLED).
  static func sleep(milliseconds: Int, context: ServerContext) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
      group.addTask {
        try await Task.sleep(for: .milliseconds(milliseconds))
        return true
      }
      group.addTask {
        try await context.cancellation.cancelled
        return false
      }
      let finished = try await group.next() ?? false
      group.cancelAll()
      if !finished {
        throw RPCError(code: .cancelled, message: "The RPC was cancelled.")
      }
    }
  }
}

import GRPCCore

/// The interop cases a client runs against an echo server (ours, grpcio's or grpc-swift's NIO one).
struct ClientCases<Transport: ClientTransport> {
  let client: GRPCClient<Transport>
  static var MiB: Int { 1024 * 1024 }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw Failure(description: what()) }
  }

  static func method(_ name: String) -> MethodDescriptor {
    MethodDescriptor(fullyQualifiedService: EchoService.service, method: name)
  }

  func get(
    _ payload: [UInt8], metadata: Metadata = [:], options: CallOptions = .defaults, method: MethodDescriptor = method("Get")
  ) async throws -> ClientResponse<[UInt8]> {
    try await self.client.unary(
      request: ClientRequest(message: EchoMessage.encode(payload), metadata: metadata),
      descriptor: method, serializer: RawCoder(), deserializer: RawCoder(), options: options
    ) { $0 }
  }

  func code(_ response: ClientResponse<[UInt8]>) -> RPCError.Code? {
    switch response.accepted {
    case .success(let contents):
      if case .failure(let error) = contents.message { return error.code }
      return nil
    case .failure(let error):
      return error.code
    }
  }

  func wasCancelled(_ tag: String) async throws -> Bool {
    let response = try await self.get(Array(tag.utf8), method: Self.method("WasCancelled"))
    return try EchoMessage.decode(response.message) == Array("yes".utf8)
  }

  static func tag() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 16)
  }

  /// Every case by name.
  var all: [(String, () async throws -> Void)] {
    [
      ("unary_empty", self.unaryEmpty),
      ("unary_large", self.unaryLarge),
      ("unary_over_limit", self.unaryOverLimit),
      ("metadata_echo", self.metadataEcho),
      ("status_and_non_ascii_message", self.statusMessage),
      ("unknown_method_and_service", self.unknownMethod),
      ("deadline_exceeded", self.deadline),
      ("client_cancel_mid_stream", self.cancelMidStream),
      ("streaming", self.streaming),
      ("gzip_and_deflate", self.compression),
      ("concurrent_200", self.concurrent),
    ]
  }

  func unaryEmpty() async throws {
    let r = try await self.get([])
    try Self.expect(try EchoMessage.decode(r.message) == [], "empty round trip")
  }

  func unaryLarge() async throws {
    let payload = (0..<(Self.MiB * 39 / 10)).map { UInt8(truncatingIfNeeded: $0) }
    let r = try await self.get(payload)
    try Self.expect(try EchoMessage.decode(r.message) == payload, "3.9 MiB round trip")
  }

  func unaryOverLimit() async throws {
    let r = try await self.get([UInt8](repeating: 7, count: 5 * Self.MiB))
    try Self.expect(self.code(r) == .resourceExhausted, "over limit: \(String(describing: self.code(r)))")
    let after = try await self.get(Array("after".utf8))
    try Self.expect(try EchoMessage.decode(after.message) == Array("after".utf8), "call after over-limit")
  }

  func metadataEcho() async throws {
    let binary: [UInt8] = [0, 1, 2, 0xFE, 0xFF]
    var metadata = Metadata()
    metadata.addString("text value", forKey: "x-custom")
    metadata.addBinary(binary, forKey: "x-data-bin")
    let r = try await self.get(Array("m".utf8), metadata: metadata)
    _ = try r.message
    try Self.expect(Array(r.metadata[stringValues: "x-custom"]) == ["text value"], "text in headers: \(r.metadata)")
    try Self.expect(Array(r.metadata[binaryValues: "x-data-bin"]) == [binary], "binary in headers: \(r.metadata)")
    try Self.expect(Array(r.trailingMetadata[stringValues: "x-custom"]) == ["text value"], "text in trailers: \(r.trailingMetadata)")
    try Self.expect(Array(r.trailingMetadata[binaryValues: "x-data-bin"]) == [binary], "binary in trailers: \(r.trailingMetadata)")
  }

  func statusMessage() async throws {
    let message = "Précondition échouée: 100% ✓ 日本語 \t end"
    // Opaque to the transport: any bytes stand in for a serialized google.rpc.Status.
    let details: [UInt8] = [0x08, 0x09, 0x12, 0x02, 0x68, 0x69, 0xFF, 0x00]
    var metadata = Metadata()
    metadata.addString("9", forKey: "x-echo-status")
    metadata.addBinary(Array(message.utf8), forKey: "x-echo-message-bin")
    metadata.addBinary(details, forKey: "x-echo-details-bin")
    let r = try await self.get(Array("s".utf8), metadata: metadata)
    // The error arrives as a rejection (Trailers-Only) or after headers, depending on the server.
    let error: RPCError
    switch r.accepted {
    case .failure(let e): error = e
    case .success(let contents):
      guard case .failure(let e) = contents.message else { throw Failure(description: "expected an error") }
      error = e
    }
    try Self.expect(error.code == .failedPrecondition, "code \(error.code)")
    try Self.expect(error.message == message, "message \(error.message)")
    try Self.expect(
      Array(error.metadata[binaryValues: "grpc-status-details-bin"]) == [details], "details: \(error.metadata)")
  }

  func unknownMethod() async throws {
    let r = try await self.get([], method: Self.method("NoSuchMethod"))
    try Self.expect(self.code(r) == .unimplemented, "unknown method: \(String(describing: self.code(r)))")
    let s = try await self.get([], method: MethodDescriptor(fullyQualifiedService: "no.such.Service", method: "Get"))
    try Self.expect(self.code(s) == .unimplemented, "unknown service: \(String(describing: self.code(s)))")
  }

  func deadline() async throws {
    let tag = Self.tag()
    var options = CallOptions.defaults
    options.timeout = .milliseconds(500)
    let code: RPCError.Code?
    do {
      let r = try await self.get(Array("d".utf8), metadata: ["x-echo-sleep-ms": "10000", "x-echo-tag": .string(tag)], options: options)
      code = self.code(r)
    } catch let error as RPCError {
      code = error.code
    }
    try Self.expect(code == .deadlineExceeded, "deadline: \(String(describing: code))")
    try Self.expect(try await self.wasCancelled(tag), "handler observed the deadline")
  }

  func cancelMidStream() async throws {
    let tag = Self.tag()
    let got = try await self.client.serverStreaming(
      request: ClientRequest(
        message: EchoMessage.encode(Array("c".utf8)),
        metadata: ["x-echo-count": "1000", "x-echo-interval-ms": "50", "x-echo-tag": .string(tag)]),
      descriptor: Self.method("Expand"), serializer: RawCoder(), deserializer: RawCoder(), options: .defaults
    ) { response in
      var count = 0
      for try await _ in response.messages {
        count += 1
        if count == 2 { break }
      }
      return count
    }
    try Self.expect(got == 2, "two messages before cancelling")
    try Self.expect(try await self.wasCancelled(tag), "handler observed the client's cancel")
  }

  func streaming() async throws {
    let expanded = try await self.client.serverStreaming(
      request: ClientRequest(message: EchoMessage.encode(Array("s".utf8)), metadata: ["x-echo-count": "50"]),
      descriptor: Self.method("Expand"), serializer: RawCoder(), deserializer: RawCoder(), options: .defaults
    ) { response in
      var all: [[UInt8]] = []
      for try await m in response.messages { all.append(try EchoMessage.decode(m)) }
      return all
    }
    try Self.expect(expanded.count == 50 && expanded.allSatisfy { $0 == Array("s".utf8) }, "50 streamed messages")

    let collected = try await self.client.clientStreaming(
      request: StreamingClientRequest(of: [UInt8].self) { writer in
        for i in 0..<100 { try await writer.write(EchoMessage.encode([UInt8(i)])) }
      },
      descriptor: Self.method("Collect"), serializer: RawCoder(), deserializer: RawCoder(), options: .defaults
    ) { try EchoMessage.decode($0.message) }
    try Self.expect(collected == (0..<100).map { UInt8($0) }, "client stream concatenated")

    let echoed = try await self.client.bidirectionalStreaming(
      request: StreamingClientRequest(of: [UInt8].self) { writer in
        for i in 0..<100 { try await writer.write(EchoMessage.encode(Array(repeating: UInt8(i), count: 1000))) }
      },
      descriptor: Self.method("Update"), serializer: RawCoder(), deserializer: RawCoder(), options: .defaults
    ) { response in
      var all: [[UInt8]] = []
      for try await m in response.messages { all.append(try EchoMessage.decode(m)) }
      return all
    }
    try Self.expect(echoed == (0..<100).map { Array(repeating: UInt8($0), count: 1000) }, "bidi echoed in order")
  }

  func compression() async throws {
    for algorithm in [CompressionAlgorithm.gzip, .deflate] {
      var options = CallOptions.defaults
      options.compression = algorithm
      let payload = Array(String(repeating: "compress me ", count: 100_000).utf8)
      let r = try await self.get(payload, metadata: ["x-echo-compress": "gzip"], options: options)
      try Self.expect(try EchoMessage.decode(r.message) == payload, "\(algorithm) round trip")
    }
  }

  func concurrent() async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for i in 0..<200 {
        group.addTask {
          let r = try await self.get(Array(String(i).utf8))
          try Self.expect(try EchoMessage.decode(r.message) == Array(String(i).utf8), "call \(i)")
        }
      }
      try await group.waitForAll()
    }
  }

  /// Runs the cases (all, or those whose name contains `only`); returns the number that failed.
  /// Cases named in `skip` are reported as skipped (for peers with known deviations).
  static func run(transport: Transport, only: String?, skip: Set<String> = []) async throws -> Int {
    try await withGRPCClient(transport: transport) { client in
      let cases = ClientCases(client: client)
      var failed = 0
      var passed = 0
      for (name, body) in cases.all where only == nil || name.contains(only!) {
        if skip.contains(name) {
          print("skip \(name)")
          continue
        }
        do {
          try await body()
          passed += 1
          print("ok   \(name)")
        } catch {
          failed += 1
          print("FAIL \(name): \(error)")
        }
      }
      print("\(passed) passed, \(failed) failed")
      return failed
    }
  }
}

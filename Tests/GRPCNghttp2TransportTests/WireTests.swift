import GRPCCore
import Testing
import TestSupport

@testable import GRPCNghttp2Transport

@Suite struct WireTests {
  static func framed(_ messages: [[UInt8]]) -> [UInt8] {
    messages.flatMap { GRPCFraming.frame($0, compressed: false) }
  }

  static let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 300), (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }, [9, 9]]

  static func deframe(_ bytes: [UInt8], splits: [Int]) throws -> [[UInt8]] {
    var deframer = GRPCMessageDeframer(maxMessageBytes: 1 << 20)
    var out: [GRPCMessageDeframer.Message] = []
    var start = 0
    for end in splits + [bytes.count] where end >= start {
      try bytes[start..<end].withUnsafeBytes { try deframer.append($0, into: &out) }
      start = end
    }
    #expect(!deframer.hasPartialMessage)
    return out.map(\.bytes)
  }

  @Test func deframesAllAtOnce() throws {
    let bytes = Self.framed(Self.messages)
    #expect(try Self.deframe(bytes, splits: []) == Self.messages)
  }

  @Test func deframesOneByteAtATime() throws {
    let bytes = Self.framed(Array(Self.messages.prefix(3)))
    #expect(try Self.deframe(bytes, splits: Array(1..<bytes.count)) == Array(Self.messages.prefix(3)))
  }

  @Test(arguments: [1, 2, 3, 42]) func deframesRandomSplits(seed: UInt64) throws {
    var random = SeededRandom(seed: seed)
    let bytes = Self.framed(Self.messages)
    let splits = (0..<50).map { _ in Int.random(in: 0...bytes.count, using: &random) }.sorted()
    #expect(try Self.deframe(bytes, splits: splits) == Self.messages)
  }

  @Test func checksTheLimitOnThePrefix() {
    var deframer = GRPCMessageDeframer(maxMessageBytes: 100)
    var out: [GRPCMessageDeframer.Message] = []
    // Only the prefix: the limit must trip before any payload arrives.
    let prefix: [UInt8] = [0, 0, 0, 0, 101]
    #expect(throws: GRPCMessageDeframer.DeframeError.tooLarge(length: 101, limit: 100)) {
      try prefix.withUnsafeBytes { try deframer.append($0, into: &out) }
    }
  }

  @Test func rejectsAnInvalidFlag() {
    var deframer = GRPCMessageDeframer(maxMessageBytes: 100)
    var out: [GRPCMessageDeframer.Message] = []
    #expect(throws: GRPCMessageDeframer.DeframeError.invalidFlag(2)) {
      try [UInt8]([2, 0, 0, 0, 0]).withUnsafeBytes { try deframer.append($0, into: &out) }
    }
  }

  @Test func percentEncodesGrpcMessage() {
    #expect(GRPCHeaders.percentEncode("plain text") == "plain text")
    #expect(GRPCHeaders.percentEncode("100%") == "100%25")
    #expect(GRPCHeaders.percentEncode("é\n") == "%C3%A9%0A")
    for s in ["", "a%b", "日本語 ✓", "tab\tnew\nline", "%%%zz"] {
      #expect(GRPCHeaders.percentDecode(GRPCHeaders.percentEncode(s)) == s)
    }
    #expect(GRPCHeaders.percentDecode("bad%zzescape%") == "bad%zzescape%")
  }

  @Test func base64PaddedAndUnpadded() {
    for bytes: [UInt8] in [[], [0], [0, 1], [0, 1, 2], [0xFF, 0xFE, 0xFD, 0xFC]] {
      let encoded = GRPCHeaders.base64Encode(bytes)
      #expect(!encoded.contains("="))
      #expect(GRPCHeaders.base64Decode(encoded) == bytes)
    }
    #expect(GRPCHeaders.base64Decode("AAE=") == [0, 1])
    #expect(GRPCHeaders.base64Decode("AAE") == [0, 1])
    #expect(GRPCHeaders.base64Decode("A*E") == nil)
  }

  @Test func parsesGrpcTimeout() {
    #expect(GRPCHeaders.parseTimeout("1H") == .seconds(3600))
    #expect(GRPCHeaders.parseTimeout("2M") == .seconds(120))
    #expect(GRPCHeaders.parseTimeout("3S") == .seconds(3))
    #expect(GRPCHeaders.parseTimeout("500m") == .milliseconds(500))
    #expect(GRPCHeaders.parseTimeout("7u") == .microseconds(7))
    #expect(GRPCHeaders.parseTimeout("99999999n") == .nanoseconds(99_999_999))
    #expect(GRPCHeaders.parseTimeout("123456789S") == nil)
    #expect(GRPCHeaders.parseTimeout("S") == nil)
    #expect(GRPCHeaders.parseTimeout("10x") == nil)
    #expect(GRPCHeaders.parseTimeout("-1S") == nil)
  }

  @Test func encodesGrpcTimeoutWithinEightDigits() {
    for d: Duration in [.nanoseconds(1), .milliseconds(500), .seconds(30), .seconds(86400 * 365)] {
      let s = GRPCHeaders.encodeTimeout(d)
      #expect(s.count <= 9)
      let parsed = GRPCHeaders.parseTimeout(s)
      #expect(parsed != nil && parsed! >= d)
    }
  }

  @Test func parsesPaths() {
    #expect(GRPCHeaders.parsePath("/pkg.Service/Method") == MethodDescriptor(fullyQualifiedService: "pkg.Service", method: "Method"))
    #expect(GRPCHeaders.parsePath("pkg.Service/Method") == nil)
    #expect(GRPCHeaders.parsePath("/pkg.Service") == nil)
    #expect(GRPCHeaders.parsePath("/a/b/c") == nil)
  }

  @Test(arguments: [CompressionAlgorithm.gzip, .deflate]) func compressionRoundTrips(algorithm: CompressionAlgorithm) throws {
    let input = Array(String(repeating: "onvera ", count: 10_000).utf8)
    let compressed = try MessageCompression.compress(input, algorithm: algorithm)
    #expect(compressed.count < input.count / 10)
    #expect(try MessageCompression.decompress(compressed, algorithm: algorithm, limit: input.count) == input)
    #expect(throws: (any Error).self) {
      try MessageCompression.decompress(compressed, algorithm: algorithm, limit: input.count - 1)
    }
    #expect(throws: (any Error).self) {
      try MessageCompression.decompress([1, 2, 3, 4], algorithm: algorithm, limit: 100)
    }
  }
}

@Suite struct ServerResponseStateTests {
  @Test func metadataThenMessagesThenStatus() {
    var s = ServerResponseState()
    #expect(s.onMetadata() == .submitHeaders)
    #expect(s.onMetadata() == .ignore)
    #expect(s.onMessage() == .resumeData)
    #expect(s.onStatus() == .queueTrailers)
    #expect(s.state == .trailersQueued)
    #expect(s.onMessage() == .ignore)
    #expect(s.onStatus() == .ignore)
    #expect(s.onFinish() == .ignore)
    s.onTrailersSent()
    #expect(s.state == .done)
  }

  @Test func statusFirstIsTrailersOnly() {
    var s = ServerResponseState()
    #expect(s.onStatus() == .submitTrailersOnly)
    #expect(s.state == .done)
    #expect(s.onMetadata() == .ignore)
    #expect(s.onMessage() == .ignore)
    #expect(s.onFinish() == .ignore)
  }

  @Test func messageFirstImpliesHeaders() {
    var s = ServerResponseState()
    #expect(s.onMessage() == .submitHeadersAndResumeData)
    #expect(s.state == .streaming)
  }

  @Test func finishWithoutStatusResets() {
    var idle = ServerResponseState()
    #expect(idle.onFinish() == .reset)
    var streaming = ServerResponseState()
    _ = streaming.onMetadata()
    #expect(streaming.onFinish() == .reset)
    #expect(streaming.state == .done)
  }

  @Test func abortEndsEveryState() {
    for prepare in [{ (s: inout ServerResponseState) in }, { s in _ = s.onMetadata() }, { s in _ = s.onMetadata(); _ = s.onStatus() }] {
      var s = ServerResponseState()
      prepare(&s)
      s.onAbort()
      #expect(s.state == .done)
      #expect(s.onMessage() == .ignore)
      #expect(s.onStatus() == .ignore)
    }
  }
}

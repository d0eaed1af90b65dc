internal import GRPCCore
internal import NIOCore

/// The request parts of one server stream, read by the handler task.
struct ServerInboundSequence: AsyncSequence, Sendable {
  typealias Element = RPCRequestPart<[UInt8]>
  typealias Failure = any Error

  let queue: InboundQueue
  let compression: CompressionAlgorithm
  let maxMessageBytes: Int

  struct AsyncIterator: AsyncIteratorProtocol {
    let queue: InboundQueue
    let compression: CompressionAlgorithm
    let maxMessageBytes: Int

    mutating func next() async throws -> RPCRequestPart<[UInt8]>? {
      guard let item = try await self.queue.next() else { return nil }
      switch item {
      case .metadata(let metadata):
        return .metadata(metadata)
      case .message(let bytes, let compression):
        guard compression != .none else { return .message(bytes) }
        return .message(try decompressMessage(bytes, compression, limit: self.maxMessageBytes))
      case .status:
        throw RPCError(code: .internalError, message: "A status was received on a request stream.")
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(queue: self.queue, compression: self.compression, maxMessageBytes: self.maxMessageBytes)
  }
}

/// Decompression happens on the consuming task, not on the event loop.
func decompressMessage(_ bytes: [UInt8], _ algorithm: CompressionAlgorithm, limit: Int) throws -> [UInt8] {
  do {
    return try MessageCompression.decompress(bytes, algorithm: algorithm, limit: limit)
  } catch MessageCompression.Failure.tooLarge {
    throw RPCError(code: .resourceExhausted, message: "Decompressed message is over the receive limit of \(limit) bytes.")
  } catch {
    throw RPCError(code: .internalError, message: "Message could not be decompressed.", cause: error)
  }
}

/// Writes the response parts of one server stream; messages wait while the peer is not reading.
struct ServerStreamWriter: ClosableRPCWriterProtocol {
  typealias Element = RPCResponsePart<[UInt8]>

  let handler: NIOLoopBound<ServerConnectionHandler>
  let eventLoop: any EventLoop
  let streamID: Int32
  let flow: OutboundFlow
  let compression: CompressionAlgorithm

  func write(_ element: RPCResponsePart<[UInt8]>) async throws {
    let handler = self.handler
    let streamID = self.streamID
    let compression = self.compression
    switch element {
    case .metadata(let metadata):
      try self.flow.reserve(0)
      self.eventLoop.execute { handler.value.writeMetadata(streamID: streamID, metadata: metadata, encoding: compression) }
    case .message(let bytes):
      let framed: [UInt8]
      if compression != .none {
        framed = GRPCFraming.frame(try MessageCompression.compress(bytes, algorithm: compression), compressed: true)
      } else {
        framed = GRPCFraming.frame(bytes, compressed: false)
      }
      try self.flow.reserve(framed.count)
      self.eventLoop.execute { handler.value.writeMessage(streamID: streamID, framed: framed, encoding: compression) }
      try await self.flow.waitForCapacity()
    case .status(let status, let metadata):
      try self.flow.reserve(0)
      self.eventLoop.execute { handler.value.writeStatus(streamID: streamID, status: status, metadata: metadata) }
    }
  }

  func write(contentsOf elements: some Sequence<RPCResponsePart<[UInt8]>>) async throws {
    for element in elements {
      try await self.write(element)
    }
  }

  func finish() async {
    let handler = self.handler
    let streamID = self.streamID
    self.eventLoop.execute { handler.value.finishWriter(streamID: streamID) }
  }

  func finish(throwing error: any Error) async {
    await self.finish()
  }
}

public import GRPCCore
public import ProtoWire

/// Serializes a hand-written protobuf message (`ProtoMessage`) for GRPCCore.
///
/// The message is encoded straight into the transport's byte type, sized
/// first so the bytes are written once with no intermediate array.
public struct ProtoMessageSerializer<Message: ProtoMessage>: MessageSerializer {
  /// Creates a serializer.
  public init() {}

  /// Encodes `message` into a new bag of bytes of the transport's choosing.
  @inlinable
  public func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
    let size = message.serializedSize
    var bytes = Bytes(repeating: 0, count: size)
    let written = bytes.withUnsafeMutableBytes { message.serialize(into: $0) }
    // serialize(into:) measures again; the two sizes can only differ if the
    // message changed in between, which a value type rules out.
    precondition(written == size, "\(Message.protoMessageName): wrote \(written) bytes of \(size)")
    return bytes
  }
}

/// Deserializes a hand-written protobuf message (`ProtoMessage`) for GRPCCore.
///
/// Malformed bytes become `RPCError(code: .invalidArgument)` whose message
/// names the message type and says what was wrong and at which byte, so a
/// client sending a bad body learns why it was refused.
public struct ProtoMessageDeserializer<Message: ProtoMessage>: MessageDeserializer {
  /// Creates a deserializer.
  public init() {}

  /// Decodes a `Message` from the bytes of one gRPC message.
  @inlinable
  public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
    do {
      return try serializedMessageBytes.withUnsafeBytes { try Message(unsafeSerializedBytes: $0) }
    } catch {
      throw RPCError(
        code: .invalidArgument,
        message: "not a valid \(Message.protoMessageName): \(error)",
        cause: error
      )
    }
  }
}

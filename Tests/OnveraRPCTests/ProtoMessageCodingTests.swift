import GRPCCore
import OnveraProto
import OnveraRPC
import Testing

@Suite("ProtoMessage coders")
struct ProtoMessageCodingTests {
  @Test("serialize writes exactly the message's bytes, and deserialize reads them back")
  func roundTrip() throws {
    var request = Onvera_V1_CreateDeploymentRequest()
    request.appType = .superset
    request.name = "My Superset"
    request.requestID = "7d3c2f9e-8b1a-4c5d-9e0f-112233445566"
    let bytes: [UInt8] = try ProtoMessageSerializer<Onvera_V1_CreateDeploymentRequest>().serialize(request)
    #expect(bytes == request.serializedBytes())
    let decoded = try ProtoMessageDeserializer<Onvera_V1_CreateDeploymentRequest>().deserialize(bytes)
    #expect(decoded == request)
  }

  @Test("an empty message is zero bytes")
  func empty() throws {
    let bytes: [UInt8] = try ProtoMessageSerializer<Onvera_V1_GetDeploymentRequest>().serialize(.init())
    #expect(bytes.isEmpty)
    #expect(try ProtoMessageDeserializer<Onvera_V1_GetDeploymentRequest>().deserialize(bytes) == .init())
  }

  @Test(
    "malformed bytes are INVALID_ARGUMENT naming the type and the problem",
    arguments: [
      ([0x0A, 0x05, 0x61] as [UInt8], "length"),  // field 1 claims 5 bytes, 1 follows
      ([0x0A, 0x02, 0xC3, 0x28], "UTF-8"),  // field 1 (string) holds invalid UTF-8
      ([0x28, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "varint"),  // unknown field 5, an 11-byte varint
      ([0x0F], "wire type"),  // wire type 7
    ]
  )
  func malformed(bytes: [UInt8], mentions: String) throws {
    let error = #expect(throws: RPCError.self) {
      try ProtoMessageDeserializer<Onvera_V1_GetDeploymentRequest>().deserialize(bytes)
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("onvera.v1.GetDeploymentRequest") == true)
    #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "")")
  }
}

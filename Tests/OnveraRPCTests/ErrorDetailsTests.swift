import GRPCCore
import OnveraProto
import OnveraRPC
import Testing

@Suite("google.rpc error details")
struct ErrorDetailsTests {
  // The golden bytes below are what googleapis-common-protos (Python) writes for the same messages.
  @Test("ErrorInfo encodes as google.rpc.ErrorInfo does (golden bytes)")
  func errorInfoGolden() {
    let info = Google_Rpc_ErrorInfo(reason: "R", domain: "d", metadata: ["k": "v"])
    // reason=1 "R", domain=2 "d", metadata=3 {key=1 "k", value=2 "v"}
    #expect(info.serializedBytes() == [0x0A, 0x01, 0x52, 0x12, 0x01, 0x64, 0x1A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76])
  }

  @Test("Status with a packed ErrorInfo encodes field by field (golden bytes)")
  func statusGolden() {
    let info = Google_Rpc_ErrorInfo(reason: "R", domain: "d")
    let status = Google_Rpc_Status(code: 5, message: "m", details: [Google_Protobuf_Any(packing: info)])
    let url = Array("type.googleapis.com/google.rpc.ErrorInfo".utf8)
    let any: [UInt8] = [0x0A, UInt8(url.count)] + url + [0x12, 0x06, 0x0A, 0x01, 0x52, 0x12, 0x01, 0x64]
    #expect(status.serializedBytes() == [0x08, 0x05, 0x12, 0x01, 0x6D, 0x1A, UInt8(any.count)] + any)
  }

  @Test("Any unpacks only the type its URL names")
  func anyUnpack() throws {
    let info = Google_Rpc_ErrorInfo(reason: "DEPLOYMENT_NOT_FOUND", metadata: ["deployment_id": "dep_1"])
    let any = Google_Protobuf_Any(packing: info)
    #expect(any.typeURL == "type.googleapis.com/google.rpc.ErrorInfo")
    #expect(try any.unpack(Google_Rpc_ErrorInfo.self) == info)
    #expect(try any.unpack(Google_Rpc_Status.self) == nil)
    var otherHost = any
    otherHost.typeURL = "example.com/types/google.rpc.ErrorInfo"
    #expect(try otherHost.unpack(Google_Rpc_ErrorInfo.self) == info)
  }

  @Test("RPCError(errorInfo:) puts a matching Status in grpc-status-details-bin and reads it back")
  func rpcErrorRoundTrip() throws {
    let error = RPCError(
      code: .permissionDenied,
      message: "this call needs the scope deployments:write",
      errorInfo: Google_Rpc_ErrorInfo(reason: "INSUFFICIENT_SCOPE", metadata: ["scope": "deployments:write"]),
      metadata: ["x-request-id": "abc"]
    )
    let values = Array(error.metadata[Metadata.statusDetailsKey])
    #expect(values.count == 1)
    guard case .binary(let bytes) = values.first else {
      Issue.record("grpc-status-details-bin must be a binary value, got \(values)")
      return
    }
    let status = try Google_Rpc_Status(serializedBytes: bytes)
    #expect(status.code == 7)
    #expect(status.message == "this call needs the scope deployments:write")
    #expect(error.statusDetails == status)
    #expect(error.errorInfo?.reason == "INSUFFICIENT_SCOPE")
    #expect(error.errorInfo?.domain == "onvera.io")
    #expect(error.errorInfo?.metadata == ["scope": "deployments:write"])
    #expect(Array(error.metadata[stringValues: "x-request-id"]) == ["abc"])
  }

  @Test("a same-code RPCError cause: the status repeats the merged message, and only the new ErrorInfo is kept")
  func sameCodeCause() throws {
    let inner = RPCError(code: .notFound, message: "inner", errorInfo: .init(reason: "INNER"))
    let outer = RPCError(code: .notFound, message: "outer", errorInfo: .init(reason: "OUTER"), cause: inner)
    #expect(outer.message == "outer inner")
    #expect(Array(outer.metadata[binaryValues: Metadata.statusDetailsKey]).count == 1)
    #expect(outer.statusDetails?.message == "outer inner")
    #expect(outer.errorInfo?.reason == "OUTER")
  }

  @Test("details arriving base64-encoded (as a transport hands them over) are read too")
  func base64Details() throws {
    let original = RPCError(code: .notFound, message: "gone", errorInfo: .init(reason: "OPERATION_NOT_FOUND"))
    guard case .binary(let bytes) = Array(original.metadata[Metadata.statusDetailsKey]).first else {
      Issue.record("no binary details")
      return
    }
    // Unpadded, as the gRPC spec asks senders to write it.
    let base64 = String(Self.base64(bytes).filter { $0 != "=" })
    let received = RPCError(code: .notFound, message: "gone", metadata: [Metadata.statusDetailsKey: .string(base64)])
    #expect(received.errorInfo?.reason == "OPERATION_NOT_FOUND")
  }

  @Test("no details, or undecodable details, read as nil rather than failing")
  func missingOrBroken() {
    #expect(RPCError(code: .internalError, message: "x").errorInfo == nil)
    let broken = RPCError(code: .internalError, message: "x", metadata: [Metadata.statusDetailsKey: .binary([0x0A, 0x09])])
    #expect(broken.statusDetails == nil)
    #expect(broken.errorInfo == nil)
  }

  static func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var out = ""
    var i = 0
    while i < bytes.count {
      let chunk = bytes[i..<min(i + 3, bytes.count)]
      var n = 0
      for (j, b) in chunk.enumerated() { n |= Int(b) << (16 - 8 * j) }
      for j in 0..<4 {
        out.append(j <= chunk.count ? alphabet[(n >> (18 - 6 * j)) & 63] : "=")
      }
      i += 3
    }
    return out
  }
}

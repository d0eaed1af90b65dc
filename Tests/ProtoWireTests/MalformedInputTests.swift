import ProtoWire
import TestSupport
import Testing

/// Every kind of malformed input ends in a typed error, never a trap.
@Suite struct MalformedInputTests {
  static let cases: [(String, [UInt8], ProtoWireError.Code)] = [
    ("truncated varint", [0x08, 0x80], .truncated),
    ("truncated tag", [0x80], .truncated),
    ("truncated fixed32", [0x3D, 0x01, 0x02], .truncated),
    ("truncated fixed64", [0x41, 0x01], .truncated),
    ("varint of 11 bytes", [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], .malformedVarint),
    ("varint overflowing 64 bits", [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x02], .malformedVarint),
    ("wrong wire type for a known field", [0x0D, 0, 0, 0, 0], .wrongWireType),
    ("string sent as varint", [0x70, 0x01], .wrongWireType),
    ("message sent as fixed64", [0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], .wrongWireType),
    ("packed field with a fixed32 wire type", [0xFD, 0x01, 0, 0, 0, 0], .wrongWireType),
    ("invalid UTF-8", [0x72, 0x02, 0xC3, 0x28], .invalidUTF8),
    ("lone surrogate in UTF-8", [0x72, 0x03, 0xED, 0xA0, 0x80], .invalidUTF8),
    ("length past the end", [0x72, 0x05, 0x61], .lengthOutOfBounds),
    ("huge length", [0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F], .lengthOutOfBounds),
    ("packed length past the end", [0xFA, 0x01, 0x10, 0x01], .lengthOutOfBounds),
    ("embedded length past the end", [0x8A, 0x01, 0x04, 0x08], .lengthOutOfBounds),
    ("packed element cut by its length", [0xFA, 0x01, 0x01, 0x80, 0x01], .truncated),
    ("field number 0", [0x00, 0x01], .invalidFieldNumber),
    ("field number 2^29", [0x80, 0x80, 0x80, 0x80, 0x10, 0x01], .invalidFieldNumber),
    ("tag above 32 bits", [0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01], .invalidFieldNumber),
    ("wire type 6", [0x0E], .invalidWireType),
    ("wire type 7", [0x0F], .invalidWireType),
    ("unmatched end group", [0x0C], .unmatchedEndGroup),
    ("group closed by another field", [0xCB, 0x3E, 0x0C], .unmatchedEndGroup),
    ("unterminated group", [0xCB, 0x3E, 0x08, 0x01], .truncated),
  ]

  @Test(arguments: cases)
  func rejected(name: String, bytes: [UInt8], code: ProtoWireError.Code) {
    do {
      _ = try Onvera_Test_Scalars(serializedBytes: bytes)
      Issue.record("\(name): decoded without error")
    } catch {
      #expect(error.code == code, "\(name): \(error)")
      #expect(error.offset >= 0 && error.offset <= bytes.count)
    }
  }

  @Test func deeplyNestedGroupsInUnknownFieldsStopAtTheLimit() {
    let open: [UInt8] = [0xCB, 0x3E]  // start group 1001
    let bytes = [UInt8]((0..<200).flatMap { _ in open })
    #expect(throws: ProtoWireError.self) { try Onvera_Test_Scalars(serializedBytes: bytes) }
  }

  @Test func everyPrefixOfAValidMessageDecodesOrThrows() throws {
    var generator = WireGenerator(seed: 42, profile: .full)
    let bytes = generator.message("onvera.test.Scalars")
    var failures = 0
    for cut in 0...bytes.count {
      do {
        _ = try Onvera_Test_Scalars(serializedBytes: Array(bytes[..<cut]))
      } catch {
        failures += 1
      }
    }
    // Cuts inside a field must fail; the whole message must not.
    #expect(failures > 0)
    #expect(try Onvera_Test_Scalars(serializedBytes: bytes).serializedSize > 0)
  }
}

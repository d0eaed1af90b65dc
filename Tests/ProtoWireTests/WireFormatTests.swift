import ProtoWire
import TestSupport
import Testing

/// Golden bytes for the primitive encodings.
@Suite struct WireFormatTests {
  func encode(_ m: Onvera_Test_Scalars) -> [UInt8] { m.serializedBytes() }

  static let varints: [(UInt64, [UInt8])] = [
    (0, [0x00]),
    (1, [0x01]),
    (127, [0x7F]),
    (128, [0x80, 0x01]),
    (300, [0xAC, 0x02]),
    (16_383, [0xFF, 0x7F]),
    (16_384, [0x80, 0x80, 0x01]),
    (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
  ]

  @Test(arguments: varints)
  func varint(value: UInt64, bytes: [UInt8]) throws {
    var m = Onvera_Test_Scalars()
    m.fUint64 = value
    let expected: [UInt8] = value == 0 ? [] : [0x20] + bytes
    #expect(encode(m) == expected)
    #expect(Wire.varintSize(value) == bytes.count)
    #expect(try Onvera_Test_Scalars(serializedBytes: [0x20] + bytes).fUint64 == value)
  }

  @Test func negativeInt32TakesTenBytes() throws {
    var m = Onvera_Test_Scalars()
    m.fInt32 = -1
    #expect(encode(m) == [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    m.fInt32 = .min
    #expect(encode(m) == [0x08, 0x80, 0x80, 0x80, 0x80, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    // A negative enum value too.
    var e = Onvera_Test_Scalars()
    e.fEnum = .negative
    #expect(encode(e) == [0x80, 0x01, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    #expect(try Onvera_Test_Scalars(serializedBytes: encode(e)).fEnum == .negative)
    // An int32 sent as a 5-byte (truncated-to-32-bit) varint reads the same.
    #expect(try Onvera_Test_Scalars(serializedBytes: [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).fInt32 == -1)
  }

  static let zigZags: [(Int64, UInt64)] = [
    (0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294),
    (-2_147_483_648, 4_294_967_295), (.max, .max - 1), (.min, .max),
  ]

  @Test(arguments: zigZags)
  func zigZag64(value: Int64, encoded: UInt64) {
    #expect(Wire.zigZag(value) == encoded)
    #expect(Wire.unZigZag(encoded) == value)
  }

  @Test func zigZag32() {
    #expect(Wire.zigZag(Int32(-1)) == 1)
    #expect(Wire.zigZag(Int32.min) == UInt32.max)
    #expect(Wire.unZigZag(UInt32.max) == Int32.min)
    var m = Onvera_Test_Scalars()
    m.fSint32 = -2
    #expect(encode(m) == [0x28, 0x03])
  }

  @Test func fixedWidthAndFloatingPoint() throws {
    var m = Onvera_Test_Scalars()
    m.fFixed32 = 0x0102_0304
    m.fSfixed64 = -2
    m.fFloat = 1.5
    m.fDouble = -0.0
    #expect(encode(m) == [
      0x3D, 0x04, 0x03, 0x02, 0x01,
      0x51, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0x5D, 0x00, 0x00, 0xC0, 0x3F,
      // -0.0 is not the default (only +0.0 is), so it is written.
      0x61, 0, 0, 0, 0, 0, 0, 0, 0x80,
    ])
    let back = try Onvera_Test_Scalars(serializedBytes: encode(m))
    #expect(back.fDouble.sign == .minus && back.fDouble == 0)
    #expect(back == m)
  }

  @Test func stringsBytesAndLargeFieldNumbers() throws {
    var m = Onvera_Test_Scalars()
    m.fString = "é"
    m.fBytes = [0, 255]
    m.fMaxNumber = 1
    #expect(encode(m) == [0x72, 0x02, 0xC3, 0xA9, 0x7A, 0x02, 0x00, 0xFF, 0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x01])
    #expect(try Onvera_Test_Scalars(serializedBytes: encode(m)) == m)
  }

  @Test func defaultsAreNotWritten() {
    var m = Onvera_Test_Scalars()
    m.fString = ""
    m.fBool = false
    m.fEnum = .unspecified
    #expect(encode(m).isEmpty)
    #expect(m.serializedSize == 0)
  }

  @Test func repeatedNumbersArePacked() throws {
    var m = Onvera_Test_Scalars()
    m.rInt32 = [1, 150, -1]
    m.rFixed32 = [7]
    m.rInt64Unpacked = [1, 2]
    #expect(encode(m) == [
      0xFA, 0x01, 0x0D, 0x01, 0x96, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
      0x8A, 0x02, 0x04, 0x07, 0x00, 0x00, 0x00,
      // [packed = false] in the .proto: one tag per element.
      0xB8, 0x02, 0x01, 0xB8, 0x02, 0x02,
    ])
  }

  @Test func bothRepeatedFormsDecodeWhateverTheDeclaration() throws {
    // r_int32 (declared packed) sent unpacked, then packed; r_int64_unpacked sent packed.
    let bytes: [UInt8] = [0xF8, 0x01, 0x05, 0xFA, 0x01, 0x02, 0x06, 0x07, 0xBA, 0x02, 0x02, 0x08, 0x09]
    let m = try Onvera_Test_Scalars(serializedBytes: bytes)
    #expect(m.rInt32 == [5, 6, 7])
    #expect(m.rInt64Unpacked == [8, 9])
  }
}

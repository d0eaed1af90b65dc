import ProtoWire
import TestSupport
import Testing

/// proto3 decoding semantics: last value wins, messages merge, maps, unknown fields.
@Suite struct SemanticsTests {
  @Test func lastScalarWins() throws {
    let m = try Onvera_Test_Scalars(serializedBytes: [0x08, 0x01, 0x72, 0x01, 0x61, 0x08, 0x02, 0x72, 0x01, 0x62])
    #expect(m.fInt32 == 2)
    #expect(m.fString == "b")
  }

  @Test func embeddedMessageSeenTwiceIsMerged() throws {
    var first = Onvera_Test_Scalars()
    first.fInt32 = 1
    first.fString = "kept"
    first.rInt32 = [1]
    var second = Onvera_Test_Scalars()
    second.fInt32 = 2
    second.rInt32 = [2]
    var a = Onvera_Test_Scalars()
    a.child = first
    var b = Onvera_Test_Scalars()
    b.child = second
    let merged = try Onvera_Test_Scalars(serializedBytes: a.serializedBytes() + b.serializedBytes())
    #expect(merged.child.fInt32 == 2)
    #expect(merged.child.fString == "kept")
    #expect(merged.child.rInt32 == [1, 2])
  }

  @Test func concatenationIsMergeAtEverySplit() throws {
    var rng = SeededRandom(seed: 99)
    var generator = WireGenerator(seed: 5, profile: .full)
    for _ in 0..<20 {
      let bytes = generator.message("onvera.test.Scalars")
      let whole = try Onvera_Test_Scalars(serializedBytes: bytes)
      // Split at field boundaries: decode the parts one after the other into one value.
      var boundaries: [Int] = [0]
      bytes.withUnsafeBytes { raw in
        var reader = ProtoReader(buffer: raw)
        while let tag = try? reader.nextTag() {
          try? reader.skipField(tag)
          boundaries.append(reader.offset)
        }
      }
      let cuts = boundaries.filter { _ in rng.chance(0.3) } + [bytes.count]
      var parts = Onvera_Test_Scalars()
      var start = 0
      for cut in cuts.sorted() where cut >= start {
        try parts.merge(serializedBytes: Array(bytes[start..<cut]))
        start = cut
      }
      #expect(parts == whole)
      #expect(boundaries.last == bytes.count)
    }
  }

  @Test func mapEntriesWithMissingKeyOrValueUseTheDefaults() throws {
    // m_string: {key only "k"}, {value only "v"}, {}, then "k" again with a value.
    let bytes: [UInt8] = [
      0x92, 0x03, 0x03, 0x0A, 0x01, 0x6B,
      0x92, 0x03, 0x03, 0x12, 0x01, 0x76,
      0x92, 0x03, 0x00,
      0x92, 0x03, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x77,
    ]
    let m = try Onvera_Test_Scalars(serializedBytes: bytes)
    #expect(m.mString == ["k": "w", "": ""])
  }

  @Test func mapsEncodeSortedSoEqualMapsGiveEqualBytes() {
    var a = Onvera_Test_Scalars()
    var b = Onvera_Test_Scalars()
    for i in 0..<50 {
      a.mString["key\(i)"] = "v\(i)"
      b.mString["key\(49 - i)"] = "v\(49 - i)"
    }
    a.mBool = [true: 1, false: 2]
    b.mBool = [false: 2, true: 1]
    #expect(a.serializedBytes() == b.serializedBytes())
  }

  @Test func unknownFieldsArePreservedByteExact() throws {
    var unknown: [UInt8] = []
    WireGenerator.appendVarint(1000 << 3 | 0, to: &unknown)
    WireGenerator.appendVarint(UInt64.max, to: &unknown)  // varint
    unknown += [0xC5, 0x3E, 1, 2, 3, 4]  // field 1000, fixed32
    unknown += [0xC9, 0x3E, 1, 2, 3, 4, 5, 6, 7, 8]  // fixed64
    unknown += [0xC2, 0x3E, 0x03, 0x61, 0x62, 0x63]  // length-delimited
    unknown += [0xCB, 0x3E, 0x08, 0x01, 0xCC, 0x3E]  // a group holding field 1
    let known: [UInt8] = [0x08, 0x05]
    let m = try Onvera_Test_Scalars(serializedBytes: unknown + known)
    #expect(m.fInt32 == 5)
    #expect(m.unknownFields.bytes == unknown)
    // Re-emitted after the known fields, unchanged.
    #expect(m.serializedBytes() == known + unknown)
    #expect(try Onvera_Test_Scalars(serializedBytes: m.serializedBytes()) == m)
  }

  @Test func unknownEnumValuesArePreservedAsNumbers() throws {
    let m = try Onvera_Test_Scalars(serializedBytes: [0x80, 0x01, 0x63])
    #expect(m.fEnum == .UNRECOGNIZED(99))
    #expect(m.serializedBytes() == [0x80, 0x01, 0x63])
    #expect(ProtoTextFormat.string(for: m) == "f_enum: 99\n")
  }

  @Test func nestingUpToTheLimitDecodes() throws {
    func nested(_ depth: Int) -> [UInt8] {
      var bytes: [UInt8] = [0x08, 0x01]
      for _ in 0..<depth {
        var wrapped: [UInt8] = [0x8A, 0x01]
        WireGenerator.appendVarint(UInt64(bytes.count), to: &wrapped)
        bytes = wrapped + bytes
      }
      return bytes
    }
    var m = try Onvera_Test_Scalars(serializedBytes: nested(100))
    var depth = 0
    while m.hasChild {
      m = m.child
      depth += 1
    }
    #expect(depth == 100)
    #expect(m.fInt32 == 1)
    #expect(throws: ProtoWireError.self) { try Onvera_Test_Scalars(serializedBytes: nested(101)) }
  }
}

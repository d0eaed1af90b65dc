import ProtoWire
import TestSupport
import Testing

@Suite struct TextFormatTests {
  @Test func escapesLikeCEscape() {
    #expect(ProtoTextFormat.escape(Array("a\"b'c\\d\ne\rf\tg".utf8)) == #"a\"b\'c\\d\ne\rf\tg"#)
    #expect(ProtoTextFormat.escape(Array("é".utf8)) == #"\303\251"#)
    #expect(ProtoTextFormat.escape([0, 0x7F, 0x20, 0x7E]) == #"\000\177 ~"#)
  }

  @Test func numbersFormatLikeProtobuf() {
    #expect(ProtoTextFormat.format(0.1 as Double) == "0.1")
    #expect(ProtoTextFormat.format(1e21 as Double) == "1e+21")
    #expect(ProtoTextFormat.format(-Double.infinity) == "-inf")
    #expect(ProtoTextFormat.format(Double.nan) == "nan")
    #expect(ProtoTextFormat.format(0.1 as Float) == "0.1")
    #expect(ProtoTextFormat.format(Float.leastNonzeroMagnitude) == "1.40129846e-45")
  }

  @Test func nestedMessagesAndMapsAreIndented() {
    var m = Onvera_Test_Scalars()
    m.fInt32 = -3
    m.child.fString = "x"
    m.mBool = [true: 5]
    #expect(ProtoTextFormat.string(for: m) == """
      f_int32: -3
      child {
        f_string: "x"
      }
      m_bool {
        key: true
        value: 5
      }

      """)
  }
}

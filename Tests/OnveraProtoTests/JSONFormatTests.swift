import OnveraProto
import ProtoWire
import TestSupport
import Testing

/// The proto3 JSON mapping, as the CLI's `--output json` prints it.
@Suite struct JSONFormatTests {
  static let timestamps: [(Int64, Int32, String)] = [
    (0, 0, "1970-01-01T00:00:00Z"),
    (1_709_164_800, 0, "2024-02-29T00:00:00Z"),
    (1_795_771_845, 250_000_000, "2026-11-27T09:30:45.250Z"),
    (1_795_771_845, 1_000, "2026-11-27T09:30:45.000001Z"),
    (1_795_771_845, 7, "2026-11-27T09:30:45.000000007Z"),
    (-1, 0, "1969-12-31T23:59:59Z"),
    (253_402_300_799, 999_999_999, "9999-12-31T23:59:59.999999999Z"),
    (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
  ]

  @Test(arguments: timestamps)
  func timestampsAreRFC3339(seconds: Int64, nanos: Int32, text: String) {
    #expect(Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos).rfc3339 == text)
  }

  @Test func outOfRangeTimestampsAndDurationsPrintWithoutTrapping() {
    for seconds in [Int64.min, Int64.max, 253_402_300_800, -62_135_596_801] {
      let t = Google_Protobuf_Timestamp(seconds: seconds, nanos: 0)
      #expect(!t.isValid)
      #expect(t.rfc3339 == "<invalid timestamp: seconds \(seconds), nanos 0>")
    }
    #expect(!Google_Protobuf_Timestamp(seconds: 0, nanos: -1).isValid)
    #expect(ProtoJSONFormat.string(for: Google_Protobuf_Duration(seconds: .min)) == "\"-9223372036854775808s\"")
    #expect(ProtoJSONFormat.string(for: Google_Protobuf_Duration(seconds: 0, nanos: .min)).hasPrefix("\"-0."))
  }

  @Test func durations() {
    #expect(ProtoJSONFormat.string(for: Google_Protobuf_Duration(seconds: 1, nanos: 500_000_000)) == "\"1.500s\"")
    #expect(ProtoJSONFormat.string(for: Google_Protobuf_Duration(seconds: -3)) == "\"-3s\"")
    #expect(ProtoJSONFormat.string(for: Google_Protobuf_Duration(seconds: 0, nanos: -1_000)) == "\"-0.000001s\"")
  }

  @Test func messageFieldsEnumsAndDefaults() {
    var d = Onvera_V1_Deployment()
    d.id = "dep_1"
    d.appType = .superset
    d.createTime = Google_Protobuf_Timestamp(seconds: 0, nanos: 0)
    d.revision = 42
    var failure = Onvera_V1_Failure()
    failure.reason = "X"
    failure.metadata = ["b": "2", "a": "1 \"quoted\""]
    d.failure = failure
    #expect(ProtoJSONFormat.string(for: d) == """
      {"id":"dep_1","appType":"APP_TYPE_SUPERSET","createTime":"1970-01-01T00:00:00Z",\
      "failure":{"reason":"X","metadata":{"a":"1 \\"quoted\\"","b":"2"}},"revision":"42"}
      """)
    #expect(ProtoJSONFormat.string(for: Onvera_V1_Deployment()) == "{}")
  }

  @Test func scalarsOfEveryKind() {
    var m = Onvera_Test_Scalars()
    m.fInt32 = -5
    m.fSint64 = -6
    m.fBytes = [0xFB, 0xFF]
    m.fDouble = .infinity
    m.fEnum = .UNRECOGNIZED(77)
    m.rBool = [true, false]
    m.mBool = [true: 1]
    m.fString = "tab\there\u{1}"
    #expect(ProtoJSONFormat.string(for: m) == """
      {"fInt32":-5,"fSint64":"-6","fDouble":"Infinity","fString":"tab\\there\\u0001","fBytes":"+/8=",\
      "fEnum":77,"rBool":[true,false],"mBool":{"true":"1"}}
      """)
  }

  @Test func base64MatchesTheStandardAlphabetAndPadding() {
    #expect(ProtoJSONFormat.base64([]) == "")
    #expect(ProtoJSONFormat.base64(Array("f".utf8)) == "Zg==")
    #expect(ProtoJSONFormat.base64(Array("fo".utf8)) == "Zm8=")
    #expect(ProtoJSONFormat.base64(Array("foo".utf8)) == "Zm9v")
    #expect(ProtoJSONFormat.base64(Array("foobar".utf8)) == "Zm9vYmFy")
  }
}

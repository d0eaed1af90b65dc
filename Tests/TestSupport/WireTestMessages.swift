public import ProtoWire

/// `onvera.test.Color`: an enum with a negative value.
public enum Onvera_Test_Color: ProtoEnum {
  case unspecified
  case red
  case green
  case negative
  case UNRECOGNIZED(Int)

  public init() { self = .unspecified }
  public init(rawValue: Int) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .red
    case 2: self = .green
    case -3: self = .negative
    default: self = .UNRECOGNIZED(rawValue)
    }
  }
  public var rawValue: Int {
    switch self {
    case .unspecified: 0
    case .red: 1
    case .green: 2
    case .negative: -3
    case .UNRECOGNIZED(let n): n
    }
  }
  public var protoName: String? {
    switch self {
    case .unspecified: "COLOR_UNSPECIFIED"
    case .red: "COLOR_RED"
    case .green: "COLOR_GREEN"
    case .negative: "COLOR_NEGATIVE"
    case .UNRECOGNIZED: nil
    }
  }
  public static let allCases: [Self] = [.unspecified, .red, .green, .negative]
}

/// `onvera.test.Scalars` (Tests/Protos/onvera/test/wire_test.proto): every proto3 field kind.
public struct Onvera_Test_Scalars: ProtoMessage {
  public static let protoMessageName = "onvera.test.Scalars"
  public var fInt32: Int32 = 0
  public var fInt64: Int64 = 0
  public var fUint32: UInt32 = 0
  public var fUint64: UInt64 = 0
  public var fSint32: Int32 = 0
  public var fSint64: Int64 = 0
  public var fFixed32: UInt32 = 0
  public var fFixed64: UInt64 = 0
  public var fSfixed32: Int32 = 0
  public var fSfixed64: Int64 = 0
  public var fFloat: Float = 0
  public var fDouble: Double = 0
  public var fBool: Bool = false
  public var fString: String = ""
  public var fBytes: [UInt8] = []
  public var fEnum: Onvera_Test_Color = .unspecified
  public var child: Onvera_Test_Scalars {
    get { _child?.value ?? Onvera_Test_Scalars() }
    set { _child = Box(newValue) }
  }
  public var hasChild: Bool { _child != nil }
  public mutating func clearChild() { _child = nil }
  public var rInt32: [Int32] = []
  public var rSint64: [Int64] = []
  public var rFixed32: [UInt32] = []
  public var rDouble: [Double] = []
  public var rBool: [Bool] = []
  public var rEnum: [Onvera_Test_Color] = []
  public var rString: [String] = []
  public var rBytes: [[UInt8]] = []
  public var rInt64Unpacked: [Int64] = []
  public var children: [Onvera_Test_Scalars] = []
  public var rUint64: [UInt64] = []
  public var rFloat: [Float] = []
  public var rSfixed64: [Int64] = []
  public var mString: [String: String] = [:]
  public var mMessage: [Int32: Onvera_Test_Scalars] = [:]
  public var mBool: [Bool: Int64] = [:]
  public var mSint: [Int64: [UInt8]] = [:]
  public var mEnum: [UInt32: Onvera_Test_Color] = [:]
  public var fMaxNumber: UInt32 = 0
  public var unknownFields = UnknownFields()

  /// A recursive field needs indirection in a value type.
  final class Box: Hashable, @unchecked Sendable {
    // Immutable after init: safe to share across threads.
    let value: Onvera_Test_Scalars
    init(_ value: Onvera_Test_Scalars) { self.value = value }
    static func == (a: Box, b: Box) -> Bool { a.value == b.value }
    func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
  }
  var _child: Box? = nil

  public init() {}

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: fInt32 = try reader.decode(ProtoInt32.self, tag)
    case 2: fInt64 = try reader.decode(ProtoInt64.self, tag)
    case 3: fUint32 = try reader.decode(ProtoUInt32.self, tag)
    case 4: fUint64 = try reader.decode(ProtoUInt64.self, tag)
    case 5: fSint32 = try reader.decode(ProtoSInt32.self, tag)
    case 6: fSint64 = try reader.decode(ProtoSInt64.self, tag)
    case 7: fFixed32 = try reader.decode(ProtoFixed32.self, tag)
    case 8: fFixed64 = try reader.decode(ProtoFixed64.self, tag)
    case 9: fSfixed32 = try reader.decode(ProtoSFixed32.self, tag)
    case 10: fSfixed64 = try reader.decode(ProtoSFixed64.self, tag)
    case 11: fFloat = try reader.decode(ProtoFloat.self, tag)
    case 12: fDouble = try reader.decode(ProtoDouble.self, tag)
    case 13: fBool = try reader.decode(ProtoBool.self, tag)
    case 14: fString = try reader.decode(ProtoString.self, tag)
    case 15: fBytes = try reader.decode(ProtoBytes.self, tag)
    case 16: fEnum = try reader.decode(ProtoEnumField<Onvera_Test_Color>.self, tag)
    case 17:
      var value = _child?.value
      try reader.decodeMessage(tag, into: &value)
      _child = value.map(Box.init)
    case 31: try reader.decodeRepeated(ProtoInt32.self, tag, into: &rInt32)
    case 32: try reader.decodeRepeated(ProtoSInt64.self, tag, into: &rSint64)
    case 33: try reader.decodeRepeated(ProtoFixed32.self, tag, into: &rFixed32)
    case 34: try reader.decodeRepeated(ProtoDouble.self, tag, into: &rDouble)
    case 35: try reader.decodeRepeated(ProtoBool.self, tag, into: &rBool)
    case 36: try reader.decodeRepeated(ProtoEnumField<Onvera_Test_Color>.self, tag, into: &rEnum)
    case 37: try reader.decodeRepeatedElement(ProtoString.self, tag, into: &rString)
    case 38: try reader.decodeRepeatedElement(ProtoBytes.self, tag, into: &rBytes)
    case 39: try reader.decodeRepeated(ProtoInt64.self, tag, into: &rInt64Unpacked)
    case 40: try reader.decodeRepeatedMessage(tag, into: &children)
    case 41: try reader.decodeRepeated(ProtoUInt64.self, tag, into: &rUint64)
    case 42: try reader.decodeRepeated(ProtoFloat.self, tag, into: &rFloat)
    case 43: try reader.decodeRepeated(ProtoSFixed64.self, tag, into: &rSfixed64)
    case 50: try reader.decodeMapEntry(ProtoString.self, ProtoString.self, tag, into: &mString)
    case 51: try reader.decodeMapEntry(ProtoInt32.self, tag, into: &mMessage)
    case 52: try reader.decodeMapEntry(ProtoBool.self, ProtoInt64.self, tag, into: &mBool)
    case 53: try reader.decodeMapEntry(ProtoSInt64.self, ProtoBytes.self, tag, into: &mSint)
    case 54: try reader.decodeMapEntry(ProtoUInt32.self, ProtoEnumField<Onvera_Test_Color>.self, tag, into: &mEnum)
    case 536_870_911: fMaxNumber = try reader.decode(ProtoUInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.int32(1, "f_int32", fInt32)
    sink.int64(2, "f_int64", fInt64)
    sink.uint32(3, "f_uint32", fUint32)
    sink.uint64(4, "f_uint64", fUint64)
    sink.field(ProtoSInt32.self, 5, "f_sint32", fSint32)
    sink.field(ProtoSInt64.self, 6, "f_sint64", fSint64)
    sink.field(ProtoFixed32.self, 7, "f_fixed32", fFixed32)
    sink.field(ProtoFixed64.self, 8, "f_fixed64", fFixed64)
    sink.field(ProtoSFixed32.self, 9, "f_sfixed32", fSfixed32)
    sink.field(ProtoSFixed64.self, 10, "f_sfixed64", fSfixed64)
    sink.field(ProtoFloat.self, 11, "f_float", fFloat)
    sink.field(ProtoDouble.self, 12, "f_double", fDouble)
    sink.bool(13, "f_bool", fBool)
    sink.string(14, "f_string", fString)
    sink.bytes(15, "f_bytes", fBytes)
    sink.enumeration(16, "f_enum", fEnum)
    sink.message(17, "child", _child?.value)
    sink.repeated(ProtoInt32.self, 31, "r_int32", rInt32)
    sink.repeated(ProtoSInt64.self, 32, "r_sint64", rSint64)
    sink.repeated(ProtoFixed32.self, 33, "r_fixed32", rFixed32)
    sink.repeated(ProtoDouble.self, 34, "r_double", rDouble)
    sink.repeated(ProtoBool.self, 35, "r_bool", rBool)
    sink.repeated(ProtoEnumField<Onvera_Test_Color>.self, 36, "r_enum", rEnum)
    sink.repeatedElements(ProtoString.self, 37, "r_string", rString)
    sink.repeatedElements(ProtoBytes.self, 38, "r_bytes", rBytes)
    if !rInt64Unpacked.isEmpty { sink.repeated(ProtoInt64.self, 39, "r_int64_unpacked", rInt64Unpacked, packed: false) }
    sink.repeatedMessages(40, "children", children)
    sink.repeated(ProtoUInt64.self, 41, "r_uint64", rUint64)
    sink.repeated(ProtoFloat.self, 42, "r_float", rFloat)
    sink.repeated(ProtoSFixed64.self, 43, "r_sfixed64", rSfixed64)
    sink.mapField(ProtoString.self, ProtoString.self, 50, "m_string", mString)
    sink.messageMapField(ProtoInt32.self, 51, "m_message", mMessage)
    sink.mapField(ProtoBool.self, ProtoInt64.self, 52, "m_bool", mBool)
    sink.mapField(ProtoSInt64.self, ProtoBytes.self, 53, "m_sint", mSint)
    sink.mapField(ProtoUInt32.self, ProtoEnumField<Onvera_Test_Color>.self, 54, "m_enum", mEnum)
    sink.uint32(536_870_911, "f_max_number", fMaxNumber)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Protobuf text format, printed exactly as `protoc --decode` prints it
/// (field order, escaping, number formatting, unknown fields), so a message
/// can be compared with what the reference implementation makes of its bytes.
public enum ProtoTextFormat {
  /// The text format of `message`.
  public static func string<M: ProtoMessage>(for message: M) -> String {
    var printer = TextPrinter()
    message.traverse(&printer)
    return printer.output
  }

  /// Escapes bytes the way protobuf's `CEscape` does: C escapes for control
  /// characters and quotes, three-digit octal for every other byte outside 0x20...0x7E.
  public static func escape<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out = ""
    out.reserveCapacity(bytes.count)
    for b in bytes {
      switch b {
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0x22: out += "\\\""
      case 0x27: out += "\\'"
      case 0x5C: out += "\\\\"
      case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        out += "\\"
        out.unicodeScalars.append(Unicode.Scalar(0x30 + (b >> 6)))
        out.unicodeScalars.append(Unicode.Scalar(0x30 + ((b >> 3) & 7)))
        out.unicodeScalars.append(Unicode.Scalar(0x30 + (b & 7)))
      }
    }
    return out
  }

  /// A double as protobuf's `SimpleDtoa` formats it: the shortest of `%.15g`
  /// and `%.17g` that reads back to the same value.
  public static func format(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let short = cFormat(value, digits: 15)
    if let back = Double(short), back == value { return short }
    return cFormat(value, digits: 17)
  }

  /// A float as protobuf's `SimpleFtoa` formats it: `%.6g`, or `%.9g` when that does not read back.
  public static func format(_ value: Float) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let short = cFormat(Double(value), digits: 6)
    // protobuf reads back with strtof and treats ERANGE (underflow to a subnormal) as a miss.
    errno = 0
    let back = short.withCString { strtof($0, nil) }
    if errno == 0 && back == value { return short }
    return cFormat(Double(value), digits: 9)
  }

  private static func cFormat(_ value: Double, digits: Int32) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
      let n = withVaList([digits, value]) { vsnprintf(buffer.baseAddress!, 64, "%.*g", $0) }
      let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(n))
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  static func scalarText(_ value: ProtoScalarValue) -> String {
    switch value {
    case .int32(let v): String(v)
    case .int64(let v): String(v)
    case .uint32(let v): String(v)
    case .uint64(let v): String(v)
    case .float(let v): format(v)
    case .double(let v): format(v)
    case .bool(let v): v ? "true" : "false"
    case .string(let v): "\"" + escape(Array(v.utf8)) + "\""
    case .bytes(let v): "\"" + escape(v) + "\""
    case .enumeration(let number, let name): name ?? String(number)
    }
  }
}

struct TextPrinter: ProtoSink {
  var output = ""
  var indent = 0

  mutating func line(_ text: String) {
    output += String(repeating: " ", count: indent * 2)
    output += text
    output += "\n"
  }

  mutating func nested(_ name: String, _ body: (inout TextPrinter) -> Void) {
    line(name + " {")
    indent += 1
    body(&self)
    indent -= 1
    line("}")
  }

  mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {
    line("\(name): " + ProtoTextFormat.scalarText(T.scalarValue(value)))
  }

  mutating func repeated<T: ProtoFieldType>(
    _ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool
  ) {
    for v in values { scalar(type, number, name, v) }
  }

  mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M) {
    nested("\(name)") { value.traverse(&$0) }
  }

  mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    for v in values { message(number, name, v) }
  }

  mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) {
    for (key, value) in sortedEntries(values, K.self) {
      nested("\(name)") {
        $0.line("key: " + ProtoTextFormat.scalarText(K.scalarValue(key)))
        $0.line("value: " + ProtoTextFormat.scalarText(V.scalarValue(value)))
      }
    }
  }

  mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) {
    for (key, value) in sortedEntries(values, K.self) {
      nested("\(name)") {
        $0.line("key: " + ProtoTextFormat.scalarText(K.scalarValue(key)))
        $0.nested("value") { value.traverse(&$0) }
      }
    }
  }

  mutating func unknown(_ fields: UnknownFields) {
    fields.bytes.withUnsafeBytes { raw in
      var reader = ProtoReader(buffer: raw)
      printUnknown(&reader, groupNumber: nil)
    }
  }

  /// Prints unknown fields as protoc does: varints in decimal, fixed values in
  /// hex, length-delimited values as a nested block when they parse as fields, else as a string.
  mutating func printUnknown(_ reader: inout ProtoReader, groupNumber: Int?) {
    while let tag = try? reader.nextTag() {
      let n = tag.fieldNumber
      switch tag.wireType {
      case .varint:
        guard let v = try? reader.readVarint() else { return }
        line("\(n): \(v)")
      case .fixed32:
        guard let v = try? reader.readFixed32() else { return }
        line("\(n): 0x" + hex(UInt64(v), width: 8))
      case .fixed64:
        guard let v = try? reader.readFixed64() else { return }
        line("\(n): 0x" + hex(v, width: 16))
      case .lengthDelimited:
        guard let bytes = try? reader.readBytes() else { return }
        if !bytes.isEmpty, Self.parsesAsFields(bytes) {
          nested("\(n)") { printer in
            bytes.withUnsafeBytes { raw in
              var inner = ProtoReader(buffer: raw)
              printer.printUnknown(&inner, groupNumber: nil)
            }
          }
        } else {
          line("\(n): \"" + ProtoTextFormat.escape(bytes) + "\"")
        }
      case .startGroup:
        nested("\(n)") { $0.printUnknown(&reader, groupNumber: n) }
      case .endGroup:
        return
      }
    }
  }

  static func parsesAsFields(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var reader = ProtoReader(buffer: raw)
      var ignored = UnknownFields()
      do {
        while let tag = try reader.nextTag() {
          if tag.wireType == .endGroup { return false }
          try reader.skipField(tag, into: &ignored)
        }
        return true
      } catch {
        return false
      }
    }
  }

  func hex(_ v: UInt64, width: Int) -> String {
    let digits = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

/// A message whose proto3 JSON form is not an object (the well-known types
/// such as `google.protobuf.Timestamp`, which is an RFC 3339 string).
public protocol ProtoJSONCustomEncoding {
  /// The JSON text of the value (already quoted when it is a string).
  var protoJSONText: String { get }
}

/// The proto3 JSON mapping: lowerCamelCase field names, enums by name,
/// 64-bit integers as strings, bytes as base64, default values left out.
public enum ProtoJSONFormat {
  /// The JSON of `message`, on one line.
  public static func string<M: ProtoMessage>(for message: M) -> String {
    if let custom = message as? any ProtoJSONCustomEncoding { return custom.protoJSONText }
    var printer = JSONPrinter()
    message.traverse(&printer)
    return printer.finish()
  }

  /// `snake_case` to `lowerCamelCase`, as protoc derives `json_name`.
  public static func jsonName(_ name: StaticString) -> String {
    var out = ""
    var upper = false
    for scalar in name.description.unicodeScalars {
      if scalar == "_" {
        upper = true
      } else if upper {
        out += String(scalar).uppercased()
        upper = false
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A JSON string literal.
  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// Standard base64 with padding, as proto3 JSON writes bytes.
  public static func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
      i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
      let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
      out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
      out += rest == 2 ? [alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func scalarJSON(_ value: ProtoScalarValue) -> String {
    switch value {
    case .int32(let v): String(v)
    case .uint32(let v): String(v)
    case .int64(let v): "\"\(v)\""
    case .uint64(let v): "\"\(v)\""
    case .float(let v): floating(Double(v), text: "\(v)")
    case .double(let v): floating(v, text: "\(v)")
    case .bool(let v): v ? "true" : "false"
    case .string(let v): quote(v)
    case .bytes(let v): "\"" + base64(v) + "\""
    case .enumeration(let number, let name): name.map { "\"\($0)\"" } ?? String(number)
    }
  }

  static func floating(_ v: Double, text: String) -> String {
    if v.isNaN { return "\"NaN\"" }
    if v.isInfinite { return v < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
    return text
  }

  /// Map keys are always JSON strings.
  static func keyJSON(_ value: ProtoScalarValue) -> String {
    if case .string(let s) = value { return quote(s) }
    let text = scalarJSON(value)
    return text.hasPrefix("\"") ? text : "\"" + text + "\""
  }
}

struct JSONPrinter: ProtoSink {
  var members: [String] = []

  func finish() -> String { "{" + members.joined(separator: ",") + "}" }

  mutating func add(_ name: StaticString, _ json: String) {
    members.append(ProtoJSONFormat.quote(ProtoJSONFormat.jsonName(name)) + ":" + json)
  }

  mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {
    add(name, ProtoJSONFormat.scalarJSON(T.scalarValue(value)))
  }

  mutating func repeated<T: ProtoFieldType>(
    _ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool
  ) {
    add(name, "[" + values.map { ProtoJSONFormat.scalarJSON(T.scalarValue($0)) }.joined(separator: ",") + "]")
  }

  mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M) {
    add(name, ProtoJSONFormat.string(for: value))
  }

  mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    add(name, "[" + values.map { ProtoJSONFormat.string(for: $0) }.joined(separator: ",") + "]")
  }

  mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) {
    let entries = sortedEntries(values, K.self).map {
      ProtoJSONFormat.keyJSON(K.scalarValue($0.key)) + ":" + ProtoJSONFormat.scalarJSON(V.scalarValue($0.value))
    }
    add(name, "{" + entries.joined(separator: ",") + "}")
  }

  mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) {
    let entries = sortedEntries(values, K.self).map {
      ProtoJSONFormat.keyJSON(K.scalarValue($0.key)) + ":" + ProtoJSONFormat.string(for: $0.value)
    }
    add(name, "{" + entries.joined(separator: ",") + "}")
  }

  // Unknown fields have no JSON form; proto3 JSON drops them.
  mutating func unknown(_ fields: UnknownFields) {}
}

public import COnveraProtobufC

/// Generates random, valid wire-format bytes for any message of the contract
/// (or the wire-test proto), driven by the schema libprotobuf-c compiled from
/// the .proto files: every field of every type is exercised without
/// restating the schema in Swift. The encoder here is deliberately separate
/// from ProtoWire's, so the two check each other.
public struct WireGenerator {
  /// How much to put in a message.
  public struct Profile: Sendable {
    /// Chance that a singular field is present.
    public var fill: Double
    /// Most elements in a repeated field.
    public var maxRepeated: Int
    /// Chance of adding unknown fields to a message.
    public var unknownFields: Double
    /// Chance of odd but valid encodings: unpacked repeated numbers, a field sent twice, shuffled order.
    public var oddities: Double
    /// Deepest nesting of messages.
    public var maxDepth: Int

    public init(fill: Double, maxRepeated: Int, unknownFields: Double, oddities: Double, maxDepth: Int) {
      self.fill = fill
      self.maxRepeated = maxRepeated
      self.unknownFields = unknownFields
      self.oddities = oddities
      self.maxDepth = maxDepth
    }

    /// Every field set, small repeated fields.
    public static let full = Profile(fill: 1, maxRepeated: 3, unknownFields: 0, oddities: 0, maxDepth: 3)
    /// Some fields set, unknown fields and odd encodings mixed in.
    public static let mixed = Profile(fill: 0.6, maxRepeated: 4, unknownFields: 0.3, oddities: 0.3, maxDepth: 3)
    /// Large repeated fields.
    public static let large = Profile(fill: 0.8, maxRepeated: 300, unknownFields: 0, oddities: 0, maxDepth: 2)
    /// Nothing set.
    public static let empty = Profile(fill: 0, maxRepeated: 0, unknownFields: 0, oddities: 0, maxDepth: 0)
  }

  public var rng: SeededRandom
  public var profile: Profile

  public init(seed: UInt64, profile: Profile) {
    rng = SeededRandom(seed: seed)
    self.profile = profile
  }

  /// The libprotobuf-c descriptor of a message type, by full name.
  public static func descriptor(_ fullName: String) -> UnsafePointer<ProtobufCMessageDescriptor>? {
    onvera_pbc_find(fullName)
  }

  /// Every message type the reference knows, by full name (map entry types excluded).
  public static var allMessageNames: [String] {
    var names: [String] = []
    var i = 0
    while let d = onvera_pbc_descriptor_at(i) {
      let name = String(cString: d.pointee.name)
      if !name.hasSuffix("Entry") { names.append(name) }
      i += 1
    }
    return names
  }

  /// Random bytes of a valid message of type `fullName`.
  public mutating func message(_ fullName: String) -> [UInt8] {
    guard let d = Self.descriptor(fullName) else { fatalError("no descriptor for \(fullName)") }
    return message(d, depth: 0)
  }

  mutating func message(_ d: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int) -> [UInt8] {
    var fields: [[UInt8]] = []
    let count = Int(d.pointee.n_fields)
    let isMapEntry = String(cString: d.pointee.name).hasSuffix("Entry")
    for i in 0..<count {
      let field = d.pointee.fields.advanced(by: i)
      if field.pointee.type == PROTOBUF_C_TYPE_MESSAGE && depth >= profile.maxDepth { continue }
      if field.pointee.label == PROTOBUF_C_LABEL_REPEATED {
        // Large repeated fields only at the top, so nesting cannot multiply them.
        let most = depth == 0 ? profile.maxRepeated : min(profile.maxRepeated, 3)
        let n = most == 0 ? 0 : Int.random(in: 0...most, using: &rng)
        if n > 0 { fields.append(repeated(field, count: n, depth: depth)) }
      } else {
        // Map entries sometimes leave out key or value: both must read as the default.
        let fill = isMapEntry ? 0.85 : profile.fill
        guard rng.chance(fill) else { continue }
        var bytes = singular(field, depth: depth)
        if rng.chance(profile.oddities * 0.3) {
          // The same field twice: last value wins, messages merge.
          bytes += singular(field, depth: depth)
        }
        fields.append(bytes)
      }
    }
    if !isMapEntry && rng.chance(profile.unknownFields) {
      for _ in 0..<Int.random(in: 1...3, using: &rng) { fields.append(unknownField(d)) }
    }
    if rng.chance(profile.oddities * 0.3) { fields.shuffle(using: &rng) }
    return fields.flatMap { $0 }
  }

  mutating func singular(_ field: UnsafePointer<ProtobufCFieldDescriptor>, depth: Int) -> [UInt8] {
    var out: [UInt8] = []
    let number = UInt64(field.pointee.id)
    if field.pointee.type == PROTOBUF_C_TYPE_MESSAGE {
      let child = field.pointee.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
      let body = message(child, depth: depth + 1)
      Self.appendVarint(number << 3 | 2, to: &out)
      Self.appendVarint(UInt64(body.count), to: &out)
      out += body
      return out
    }
    let (wireType, payload) = scalar(field)
    Self.appendVarint(number << 3 | wireType, to: &out)
    out += payload
    return out
  }

  mutating func repeated(_ field: UnsafePointer<ProtobufCFieldDescriptor>, count: Int, depth: Int) -> [UInt8] {
    let type = field.pointee.type
    let packable = type != PROTOBUF_C_TYPE_STRING && type != PROTOBUF_C_TYPE_BYTES && type != PROTOBUF_C_TYPE_MESSAGE
    let declaredPacked = field.pointee.flags & UInt32(PROTOBUF_C_FIELD_FLAG_PACKED.rawValue) != 0
    var out: [UInt8] = []
    if packable && (declaredPacked != rng.chance(profile.oddities)) {
      // Packed, sometimes in more than one chunk.
      var remaining = count
      while remaining > 0 {
        let chunk = rng.chance(profile.oddities) ? Int.random(in: 1...remaining, using: &rng) : remaining
        var payload: [UInt8] = []
        for _ in 0..<chunk { payload += scalar(field).1 }
        Self.appendVarint(UInt64(field.pointee.id) << 3 | 2, to: &out)
        Self.appendVarint(UInt64(payload.count), to: &out)
        out += payload
        remaining -= chunk
      }
    } else {
      for _ in 0..<count { out += singular(field, depth: depth) }
    }
    return out
  }

  mutating func scalar(_ field: UnsafePointer<ProtobufCFieldDescriptor>) -> (UInt64, [UInt8]) {
    var out: [UInt8] = []
    switch field.pointee.type {
    case PROTOBUF_C_TYPE_INT32:
      Self.appendVarint(UInt64(bitPattern: Int64(int32())), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_SINT32:
      let v = int32()
      Self.appendVarint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_SFIXED32:
      return (5, Self.littleEndian(UInt64(UInt32(bitPattern: int32())), bytes: 4))
    case PROTOBUF_C_TYPE_INT64:
      Self.appendVarint(UInt64(bitPattern: int64()), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_SINT64:
      let v = int64()
      Self.appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_SFIXED64:
      return (1, Self.littleEndian(UInt64(bitPattern: int64()), bytes: 8))
    case PROTOBUF_C_TYPE_UINT32:
      Self.appendVarint(UInt64(UInt32(truncatingIfNeeded: int64())), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_FIXED32:
      return (5, Self.littleEndian(UInt64(UInt32(truncatingIfNeeded: int64())), bytes: 4))
    case PROTOBUF_C_TYPE_UINT64:
      Self.appendVarint(UInt64(bitPattern: int64()), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_FIXED64:
      return (1, Self.littleEndian(UInt64(bitPattern: int64()), bytes: 8))
    case PROTOBUF_C_TYPE_FLOAT:
      let choices: [Float] = [0, -0.0, 1, -1.5, 0.1, 3.4028235e38, .leastNonzeroMagnitude, .infinity, -.infinity, 123456.79, 1e-7]
      let v = rng.chance(0.5) ? choices.randomElement(using: &rng)! : Float.random(in: -1e6...1e6, using: &rng)
      return (5, Self.littleEndian(UInt64(v.bitPattern), bytes: 4))
    case PROTOBUF_C_TYPE_DOUBLE:
      let choices: [Double] = [0, -0.0, 1, -1.5, 0.1, 1.7976931348623157e308, .leastNonzeroMagnitude, .infinity, -.infinity, 1e21, 1e-7]
      let v = rng.chance(0.5) ? choices.randomElement(using: &rng)! : Double.random(in: -1e12...1e12, using: &rng)
      return (1, Self.littleEndian(v.bitPattern, bytes: 8))
    case PROTOBUF_C_TYPE_BOOL:
      Self.appendVarint(rng.chance(0.1) ? 0 : (rng.chance(0.1) ? 2 : 1), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_ENUM:
      let e = field.pointee.descriptor.assumingMemoryBound(to: ProtobufCEnumDescriptor.self)
      let v: Int32
      if rng.chance(0.15) {
        v = [99, -7, 1000, Int32.max].randomElement(using: &rng)!
      } else {
        let index = Int.random(in: 0..<Int(e.pointee.n_values), using: &rng)
        v = Int32(e.pointee.values[index].value)
      }
      Self.appendVarint(UInt64(bitPattern: Int64(v)), to: &out)
      return (0, out)
    case PROTOBUF_C_TYPE_STRING:
      let utf8 = Array(string().utf8)
      Self.appendVarint(UInt64(utf8.count), to: &out)
      return (2, out + utf8)
    case PROTOBUF_C_TYPE_BYTES:
      let bytes = rng.bytes(Int.random(in: 0...24, using: &rng))
      Self.appendVarint(UInt64(bytes.count), to: &out)
      return (2, out + bytes)
    default:
      fatalError("unexpected field type \(field.pointee.type)")
    }
  }

  /// A field the message does not declare (varint, fixed or length-delimited).
  mutating func unknownField(_ d: UnsafePointer<ProtobufCMessageDescriptor>) -> [UInt8] {
    var number: UInt64
    repeat {
      number = [UInt64.random(in: 1...200, using: &rng), UInt64.random(in: 1000...70000, using: &rng), 536_870_911]
        .randomElement(using: &rng)!
    } while onvera_pbc_has_field(d, UInt32(number)) != 0
    var out: [UInt8] = []
    switch Int.random(in: 0..<5, using: &rng) {
    case 0:
      Self.appendVarint(number << 3, to: &out)
      Self.appendVarint(UInt64(bitPattern: int64()), to: &out)
    case 1:
      Self.appendVarint(number << 3 | 5, to: &out)
      out += rng.bytes(4)
    case 2:
      Self.appendVarint(number << 3 | 1, to: &out)
      out += rng.bytes(8)
    case 3:
      let body = rng.bytes(Int.random(in: 0...16, using: &rng))
      Self.appendVarint(number << 3 | 2, to: &out)
      Self.appendVarint(UInt64(body.count), to: &out)
      out += body
    default:
      // Something that parses as fields: printers show it as a nested block.
      var body: [UInt8] = []
      Self.appendVarint(3 << 3, to: &body)
      Self.appendVarint(UInt64.random(in: 0...1000, using: &rng), to: &body)
      Self.appendVarint(UInt64(bitPattern: Int64(number) << 3 | 2), to: &out)
      Self.appendVarint(UInt64(body.count), to: &out)
      out += body
    }
    return out
  }

  mutating func int32() -> Int32 {
    rng.chance(0.5) ? [0, 1, -1, 127, 128, -128, .max, .min, 300].randomElement(using: &rng)! : Int32.random(in: .min ... .max, using: &rng)
  }

  mutating func int64() -> Int64 {
    rng.chance(0.5)
      ? [0, 1, -1, .max, .min, Int64(Int32.max) + 1, 1 << 35].randomElement(using: &rng)!
      : Int64.random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng)
  }

  mutating func string() -> String {
    let samples = [
      "", "a", "My Superset", "héllo wörld", "日本語のテキスト", "emoji 🚀✨", "quote \" and \\ backslash",
      "new\nline\ttab", "control \u{1}\u{7F}", "it's", "dep_3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f7a8b",
      String(repeating: "long text ", count: 120),
    ]
    return samples.randomElement(using: &rng)!
  }

  /// Appends a varint.
  public static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  static func littleEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
    (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
  }
}

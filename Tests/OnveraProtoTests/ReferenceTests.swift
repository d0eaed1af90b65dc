import COnveraProtobufC
import OnveraProto
import ProtoWire
import TestSupport
import Testing

/// OnveraProto checked against the reference implementations: protoc (text
/// format in both directions) and libprotobuf-c (unpack and pack).
@Suite struct ReferenceTests {
  @Test func everyContractTypeIsCovered() {
    let reference = Set(WireGenerator.allMessageNames)
    let swift = Set(messageTypesByName.keys)
    #expect(reference == swift, "types only in the .proto files: \(reference.subtracting(swift)); only in Swift: \(swift.subtracting(reference))")
  }

  static let profiles: [(String, WireGenerator.Profile)] = [
    ("empty", .empty), ("full", .full), ("mixed", .mixed), ("large", .large),
  ]

  /// Random valid bytes for every type, in four profiles and several seeds:
  /// Swift decodes them, encodes them, and protoc prints the Swift encoding
  /// exactly as Swift's text format prints the Swift value.
  @Test(arguments: WireGenerator.allMessageNames)
  func protocPrintsWhatSwiftHolds(typeName: String) throws {
    let type = try #require(messageTypesByName[typeName])
    for (profileName, profile) in Self.profiles {
      let seeds: [UInt64] = profileName == "empty" ? [1] : [1, 2, 3]
      for seed in seeds {
        var generator = WireGenerator(seed: seed &* 7919 &+ UInt64(typeName.utf8.count), profile: profile)
        let input = generator.message(typeName)
        try checkAgainstProtoc(type, input: input, context: "\(typeName) \(profileName) seed \(seed)")
      }
    }
  }

  func checkAgainstProtoc<M: ProtoMessage>(_ type: M.Type, input: [UInt8], context: String) throws {
    let value = try M(serializedBytes: input)
    let encoded = value.serializedBytes()
    #expect(encoded.count == value.serializedSize)
    let protocText = try Protoc.decode(encoded, as: M.protoMessageName)
    let swiftText = ProtoTextFormat.string(for: value)
    #expect(protocText == swiftText, "\(context): \(firstDifference(protocText, swiftText))")
    // Decoding our own encoding gives the same value back.
    #expect(try M(serializedBytes: encoded) == value, "\(context)")
  }

  /// The other way: protoc encodes the text format of a value; Swift decodes
  /// protoc's bytes into the same value.
  @Test(arguments: WireGenerator.allMessageNames)
  func swiftDecodesWhatProtocEncodes(typeName: String) throws {
    let type = try #require(messageTypesByName[typeName])
    for seed: UInt64 in [11, 12] {
      var profile = WireGenerator.Profile.full
      profile.unknownFields = 0  // text format has no syntax for unknown fields protoc would accept
      var generator = WireGenerator(seed: seed, profile: profile)
      try checkProtocEncoding(type, input: generator.message(typeName), context: "\(typeName) seed \(seed)")
    }
  }

  func checkProtocEncoding<M: ProtoMessage>(_ type: M.Type, input: [UInt8], context: String) throws {
    let value = try M(serializedBytes: input)
    let text = ProtoTextFormat.string(for: value)
    let bytes = try Protoc.encode(text, as: M.protoMessageName)
    #expect(try M(serializedBytes: bytes) == value, "\(context)")
    #expect(bytes.count == value.serializedSize, "\(context): protoc and Swift disagree on the size")
  }

  /// libprotobuf-c unpacks what Swift encoded and packs it again; Swift decodes
  /// that back to the same value. Without maps the bytes are identical too.
  @Test(arguments: WireGenerator.allMessageNames)
  func libprotobufCRoundTrip(typeName: String) throws {
    let type = try #require(messageTypesByName[typeName])
    for (profileName, profile) in Self.profiles {
      for seed: UInt64 in [21, 22, 23, 24] {
        var generator = WireGenerator(seed: seed, profile: profile)
        try checkProtobufC(type, input: generator.message(typeName), context: "\(typeName) \(profileName) seed \(seed)")
      }
    }
  }

  func checkProtobufC<M: ProtoMessage>(_ type: M.Type, input: [UInt8], context: String) throws {
    let value = try M(serializedBytes: input)
    let encoded = value.serializedBytes()
    let unpacked = encoded.withUnsafeBufferPointer { onvera_pbc_unpack(M.protoMessageName, $0.baseAddress, $0.count) }
    let message = try #require(unpacked, "libprotobuf-c could not unpack \(context)")
    defer { onvera_pbc_free(message) }
    let size = onvera_pbc_packed_size(message)
    var repacked = [UInt8](repeating: 0, count: size)
    let written = repacked.withUnsafeMutableBufferPointer { onvera_pbc_pack(message, $0.baseAddress!) }
    #expect(written == size)
    #expect(try M(serializedBytes: repacked) == value, "\(context)")
    if !ProtoTextFormat.string(for: value).contains(" {\n  key:") && !containsMap(value) {
      #expect(repacked == encoded, "\(context): libprotobuf-c packs different bytes")
    }
  }

  func containsMap<M: ProtoMessage>(_ value: M) -> Bool {
    var detector = MapDetector()
    value.traverse(&detector)
    return detector.found
  }
}

/// Finds whether a message (or any message inside it) holds a non-empty map,
/// whose entry encoding legitimately differs between implementations.
struct MapDetector: ProtoSink {
  var found = false
  mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {}
  mutating func repeated<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool) {}
  mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M) { value.traverse(&self) }
  mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    for v in values { v.traverse(&self) }
  }
  mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) { found = true }
  mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) { found = true }
  mutating func unknown(_ fields: UnknownFields) {}
}

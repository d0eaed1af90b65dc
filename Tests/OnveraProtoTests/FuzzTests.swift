import OnveraProto
import ProtoWire
import TestSupport
import Testing

/// Untrusted bytes through every decoder: random bytes, and valid messages
/// mutated (bits flipped, bytes inserted, deleted, truncated, varints
/// stretched). Each input either decodes, and then re-encodes to bytes that
/// decode and re-encode to the same bytes, or throws ProtoWireError. Seeded, so a
/// failure reproduces.
@Suite struct FuzzTests {
  static let iterationsPerType = 3_000

  @Test(arguments: WireGenerator.allMessageNames)
  func decoderSurvivesHostileInput(typeName: String) throws {
    let type = try #require(messageTypesByName[typeName])
    try fuzz(type, seed: UInt64(typeName.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
  }

  func fuzz<M: ProtoMessage>(_ type: M.Type, seed: UInt64) throws {
    var rng = SeededRandom(seed: seed)
    var generator = WireGenerator(seed: seed, profile: .mixed)
    var corpus: [[UInt8]] = (0..<8).map { _ in generator.message(M.protoMessageName) }
    var decoded = 0
    for i in 0..<Self.iterationsPerType {
      let input: [UInt8]
      if i % 10 == 0 {
        input = rng.bytes(Int.random(in: 0...64, using: &rng))
      } else {
        input = mutate(corpus.randomElement(using: &rng)!, &rng)
      }
      do {
        let value = try M(serializedBytes: input)
        decoded += 1
        // Bytes, not values: a mutated float can be NaN, which is not equal to itself.
        let encoded = value.serializedBytes()
        let again = try M(serializedBytes: encoded).serializedBytes()
        #expect(again == encoded, "seed \(seed) iteration \(i): a decoded value does not survive re-encoding")
        if corpus.count < 64 && rng.chance(0.1) { corpus.append(input) }
      } catch {
        // A typed error is the right answer for bad input.
      }
    }
    // The mutations must also produce inputs that decode, or the test proves little.
    #expect(decoded > Self.iterationsPerType / 20, "only \(decoded) of \(Self.iterationsPerType) inputs decoded")
  }

  func mutate(_ input: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      switch Int.random(in: 0..<7, using: &rng) {
      case 0 where !bytes.isEmpty:
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
      case 1:
        bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
      case 2 where !bytes.isEmpty:
        bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng))
      case 3 where !bytes.isEmpty:
        bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
      case 4 where !bytes.isEmpty:
        // An interesting byte: continuation bits, huge lengths, bad wire types.
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        bytes[i] = [0x80, 0xFF, 0x7F, 0x00, 0x0E, 0x0F, 0x0C, 0x0B].randomElement(using: &rng)!
      case 5 where !bytes.isEmpty:
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        bytes.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], at: i)
      default:
        // Splice in a slice of itself.
        if bytes.count > 2 {
          let a = Int.random(in: 0..<bytes.count, using: &rng)
          let b = Int.random(in: a...bytes.count, using: &rng)
          bytes.insert(contentsOf: bytes[a..<b], at: Int.random(in: 0...bytes.count, using: &rng))
        }
      }
    }
    return bytes
  }
}

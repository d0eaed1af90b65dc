@testable import OnveraStandardServices
import Testing

@Suite("Base64")
struct Base64Tests {
  @Test(
    "decodes RFC 4648 test vectors, padded, unpadded and across lines",
    arguments: [
      ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"),
      ("Zm9vYmE=", "fooba"), ("Zm9vYmFy", "foobar"), ("Zm9vYg", "foob"), ("Zm9v\n  YmFy\n", "foobar"),
    ]
  )
  func vectors(encoded: String, decoded: String) {
    #expect(Base64.decode(encoded) == Array(decoded.utf8))
  }

  @Test("refuses characters outside the alphabet, data after padding and a dangling sextet", arguments: ["Zm9v!", "Zg==Zg==", "Z"])
  func invalid(encoded: String) {
    #expect(Base64.decode(encoded) == nil)
  }
}

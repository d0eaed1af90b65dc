public import Foundation

/// Runs the reference protobuf compiler (`protoc-c`, i.e. libprotoc) on the
/// contract and the wire-test protos, for differential tests.
public enum Protoc {
  /// The repository root, found from this file's path.
  public static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  static let protoFiles = [
    "onvera/v1/resources.proto", "onvera/v1/deployments.proto", "onvera/v1/environments.proto",
    "onvera/v1/operations.proto", "onvera/v1/organizations.proto", "onvera/test/wire_test.proto",
  ]

  /// The errors a protoc run ends with.
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// `protoc-c --decode=<type>`: the text format of `bytes`, as protoc prints it.
  public static func decode(_ bytes: [UInt8], as type: String) throws -> String {
    let out = try run(["--decode=\(type)"], input: Data(bytes))
    return String(decoding: out, as: UTF8.self)
  }

  /// `protoc-c --encode=<type>`: the bytes of a text-format message.
  public static func encode(_ text: String, as type: String) throws -> [UInt8] {
    [UInt8](try run(["--encode=\(type)"], input: Data(text.utf8)))
  }

  static func run(_ arguments: [String], input: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/protoc-c")
    process.currentDirectoryURL = repositoryRoot
    process.arguments = arguments + ["-I", "proto", "-I", "Tests/Protos", "-I", "/usr/include"] + protoFiles
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Write and read concurrently so neither pipe can fill up and block.
    let writer = Thread {
      stdin.fileHandleForWriting.write(input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "protoc-c \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return output
  }
}

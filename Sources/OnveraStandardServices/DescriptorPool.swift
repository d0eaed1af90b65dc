import ProtoWire

/// Serialized `FileDescriptorProto`s indexed by file name and by every symbol they define.
struct DescriptorPool: Sendable {
  private struct File: Sendable {
    var bytes: [UInt8]
    var dependencies: [String]
  }

  private var files: [String: File] = [:]
  /// Fully-qualified symbol (no leading dot) to the name of the file defining it.
  private(set) var symbols: [String: String] = [:]
  /// Every service's fully-qualified name, sorted.
  private(set) var services: [String] = []

  /// Indexes `files`, each a serialized `FileDescriptorProto`.
  init(files serializedFiles: [[UInt8]]) throws(StandardServicesError) {
    var services: Set<String> = []
    for bytes in serializedFiles {
      let file: Google_Protobuf_FileDescriptorProto
      do {
        file = try Google_Protobuf_FileDescriptorProto(serializedBytes: bytes)
      } catch {
        throw StandardServicesError(code: .invalidDescriptorSet, message: "a file descriptor does not decode", cause: error)
      }
      guard files[file.name] == nil else {
        throw StandardServicesError(code: .invalidDescriptorSet, message: "two files are named '\(file.name)'")
      }
      files[file.name] = File(bytes: bytes, dependencies: file.dependency)
      index(file, services: &services)
    }
    self.services = services.sorted()
  }

  private mutating func index(_ file: Google_Protobuf_FileDescriptorProto, services: inout Set<String>) {
    let scope = file.package
    // A package spans files: the first one declaring it answers for it.
    var package = ""
    for part in scope.split(separator: ".") {
      package = package.isEmpty ? String(part) : package + "." + part
      if symbols[package] == nil { symbols[package] = file.name }
    }
    for message in file.messageType { index(message, in: scope, file: file.name) }
    for enumeration in file.enumType { index(enumeration, in: scope, file: file.name) }
    for field in file.extension { symbols[Self.join(scope, field.name)] = file.name }
    for service in file.service {
      let name = Self.join(scope, service.name)
      symbols[name] = file.name
      services.insert(name)
      for method in service.method { symbols[Self.join(name, method.name)] = file.name }
    }
  }

  private mutating func index(_ message: Google_Protobuf_DescriptorProto, in scope: String, file: String) {
    let name = Self.join(scope, message.name)
    symbols[name] = file
    for field in message.field { symbols[Self.join(name, field.name)] = file }
    for oneof in message.oneofDecl { symbols[Self.join(name, oneof.name)] = file }
    for field in message.extension { symbols[Self.join(name, field.name)] = file }
    for nested in message.nestedType { index(nested, in: name, file: file) }
    for enumeration in message.enumType { index(enumeration, in: name, file: file) }
  }

  private mutating func index(_ enumeration: Google_Protobuf_EnumDescriptorProto, in scope: String, file: String) {
    let name = Self.join(scope, enumeration.name)
    symbols[name] = file
    // protobuf scopes enum values next to their enum (C++ rules), not inside it;
    // both spellings are accepted.
    for value in enumeration.value {
      symbols[Self.join(scope, value.name)] = file
      symbols[Self.join(name, value.name)] = file
    }
  }

  private static func join(_ scope: String, _ name: String) -> String {
    scope.isEmpty ? name : scope + "." + name
  }

  /// The file named `name` first, then every file it depends on, directly or not,
  /// each once; nil when there is no such file.
  func fileWithDependencies(named name: String) -> [[UInt8]]? {
    guard files[name] != nil else { return nil }
    var result: [[UInt8]] = []
    var seen: Set<String> = [name]
    var queue = [name]
    var next = 0
    while next < queue.count {
      let current = queue[next]
      next += 1
      guard let file = files[current] else { continue }  // a dependency missing from the set
      result.append(file.bytes)
      for dependency in file.dependencies where seen.insert(dependency).inserted {
        queue.append(dependency)
      }
    }
    return result
  }

  /// The file defining `symbol` (a leading dot is ignored) and its dependencies; nil when unknown.
  func fileWithDependencies(containing symbol: String) -> [[UInt8]]? {
    let name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
    guard let file = symbols[name] else { return nil }
    return fileWithDependencies(named: file)
  }
}

import Foundation
import GRPCCore
import OnveraProto
import OnveraRPC
import Testing

// The service files are kept in step with proto/ by hand: these tests compare
// them with the contract's compiled descriptor set (OnveraDescriptorSet), so a
// method added, renamed or retyped in a .proto fails here until the Swift follows.

/// One method as the contract's descriptor set describes it.
private struct ContractMethod: Hashable, CustomStringConvertible {
  var path: String
  var input: String
  var output: String
  var clientStreaming: Bool
  var serverStreaming: Bool
  var description: String { "\(path)(\(clientStreaming ? "stream " : "")\(input)) -> \(serverStreaming ? "stream " : "")\(output)" }
}

/// Just the fields of google.protobuf.FileDescriptorSet ... MethodDescriptorProto these tests read.
private struct DescriptorNode: ProtoMessage {
  static let protoMessageName = "test.DescriptorNode"
  var strings: [Int: String] = [:]
  var bools: [Int: Bool] = [:]
  var children: [Int: [DescriptorNode]] = [:]
  var unknownFields = UnknownFields()
  /// Which length-delimited fields are nested messages to descend into.
  static let nested: Set<Int> = [1, 6, 2]

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.wireType {
    case .lengthDelimited where Self.nested.contains(tag.fieldNumber):
      // Strings and messages share a wire type: try the field as a message,
      // fall back to a string (names, types) when it does not parse as one.
      let bytes = try reader.decode(ProtoBytes.self, tag)
      if let child = try? DescriptorNode(serializedBytes: bytes), !child.isEmpty {
        children[tag.fieldNumber, default: []].append(child)
      }
      strings[tag.fieldNumber] = String(decoding: bytes, as: UTF8.self)
    case .lengthDelimited: strings[tag.fieldNumber] = try reader.decode(ProtoString.self, tag)
    case .varint: bools[tag.fieldNumber] = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  var isEmpty: Bool { strings.isEmpty && children.isEmpty && bools.isEmpty }
  func traverse<S: ProtoSink>(_ sink: inout S) {}
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

private func contractMethods() throws -> Set<ContractMethod> {
  let data = try #require(Data(base64Encoded: OnveraDescriptorSet.base64, options: .ignoreUnknownCharacters))
  let set = try DescriptorNode(serializedBytes: [UInt8](data))
  var methods: Set<ContractMethod> = []
  for file in set.children[1] ?? [] {  // FileDescriptorSet.file
    let package = file.strings[2] ?? ""  // FileDescriptorProto.package
    for service in file.children[6] ?? [] {  // FileDescriptorProto.service
      let serviceName = package + "." + (service.strings[1] ?? "")
      for method in service.children[2] ?? [] {  // ServiceDescriptorProto.method
        methods.insert(
          ContractMethod(
            path: serviceName + "/" + (method.strings[1] ?? ""),
            input: String((method.strings[2] ?? "").dropFirst()),  // ".onvera.v1.X" -> "onvera.v1.X"
            output: String((method.strings[3] ?? "").dropFirst()),
            clientStreaming: method.bools[5] ?? false,
            serverStreaming: method.bools[6] ?? false
          ))
      }
    }
  }
  return methods
}

private func method<Input: ProtoMessage, Output: ProtoMessage>(
  _ descriptor: MethodDescriptor, _ input: Input.Type, _ output: Output.Type
) -> ContractMethod {
  ContractMethod(
    path: descriptor.fullyQualifiedMethod,
    input: Input.protoMessageName,
    output: Output.protoMessageName,
    clientStreaming: descriptor.type?.isRequestStreaming ?? false,
    serverStreaming: descriptor.type?.isResponseStreaming ?? false
  )
}

private typealias D = Onvera_V1_DeploymentService.Method
private typealias O = Onvera_V1_OperationService.Method
private typealias E = Onvera_V1_EnvironmentService.Method
private typealias G = Onvera_V1_OrganizationService.Method

private let swiftMethods: [ContractMethod] = [
  method(D.CreateDeployment.descriptor, D.CreateDeployment.Input.self, D.CreateDeployment.Output.self),
  method(D.GetDeployment.descriptor, D.GetDeployment.Input.self, D.GetDeployment.Output.self),
  method(D.ListDeployments.descriptor, D.ListDeployments.Input.self, D.ListDeployments.Output.self),
  method(D.DestroyDeployment.descriptor, D.DestroyDeployment.Input.self, D.DestroyDeployment.Output.self),
  method(D.WatchDeployments.descriptor, D.WatchDeployments.Input.self, D.WatchDeployments.Output.self),
  method(O.GetOperation.descriptor, O.GetOperation.Input.self, O.GetOperation.Output.self),
  method(O.ListOperations.descriptor, O.ListOperations.Input.self, O.ListOperations.Output.self),
  method(O.WatchOperation.descriptor, O.WatchOperation.Input.self, O.WatchOperation.Output.self),
  method(O.WaitOperation.descriptor, O.WaitOperation.Input.self, O.WaitOperation.Output.self),
  method(O.CancelOperation.descriptor, O.CancelOperation.Input.self, O.CancelOperation.Output.self),
  method(E.ListEnvironments.descriptor, E.ListEnvironments.Input.self, E.ListEnvironments.Output.self),
  method(E.GetEnvironment.descriptor, E.GetEnvironment.Input.self, E.GetEnvironment.Output.self),
  method(E.CreateEnvironment.descriptor, E.CreateEnvironment.Input.self, E.CreateEnvironment.Output.self),
  method(G.CreateOrganization.descriptor, G.CreateOrganization.Input.self, G.CreateOrganization.Output.self),
  method(G.GetOrganization.descriptor, G.GetOrganization.Input.self, G.GetOrganization.Output.self),
  method(G.ListMembers.descriptor, G.ListMembers.Input.self, G.ListMembers.Output.self),
  method(G.AddMember.descriptor, G.AddMember.Input.self, G.AddMember.Output.self),
  method(G.RemoveMember.descriptor, G.RemoveMember.Input.self, G.RemoveMember.Output.self),
  method(G.CreateApiKey.descriptor, G.CreateApiKey.Input.self, G.CreateApiKey.Output.self),
  method(G.ListApiKeys.descriptor, G.ListApiKeys.Input.self, G.ListApiKeys.Output.self),
  method(G.RevokeApiKey.descriptor, G.RevokeApiKey.Input.self, G.RevokeApiKey.Output.self),
]

@Suite("Service files against the contract")
struct ContractConsistencyTests {
  @Test("every method of the contract, with its path, streaming kind and message types, and no other")
  func methodsMatchContract() throws {
    let contract = try contractMethods()
    #expect(contract.count == 21)
    let ours = Set(swiftMethods)
    #expect(ours.count == swiftMethods.count)
    #expect(contract.subtracting(ours).sorted { $0.path < $1.path }.map(\.description) == [], "in the contract, not in Swift")
    #expect(ours.subtracting(contract).sorted { $0.path < $1.path }.map(\.description) == [], "in Swift, not in the contract")
  }

  @Test("each namespace's descriptors list exactly its methods, under its service descriptor")
  func namespaceDescriptors() {
    let namespaces: [(ServiceDescriptor, [MethodDescriptor])] = [
      (Onvera_V1_DeploymentService.descriptor, Onvera_V1_DeploymentService.Method.descriptors),
      (Onvera_V1_OperationService.descriptor, Onvera_V1_OperationService.Method.descriptors),
      (Onvera_V1_EnvironmentService.descriptor, Onvera_V1_EnvironmentService.Method.descriptors),
      (Onvera_V1_OrganizationService.descriptor, Onvera_V1_OrganizationService.Method.descriptors),
    ]
    var listed: [String] = []
    for (service, methods) in namespaces {
      for method in methods {
        #expect(method.service == service)
        listed.append(method.fullyQualifiedMethod)
      }
    }
    #expect(listed.sorted() == swiftMethods.map(\.path).sorted())
  }
}

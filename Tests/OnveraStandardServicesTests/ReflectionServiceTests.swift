import GRPCCore
import OnveraRPC
@testable import OnveraStandardServices
import ProtoWire
import Testing

@Suite("Server reflection", .timeLimit(.minutes(1)))
struct ReflectionServiceTests {
  typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
  typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

  static let expectedServices = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "onvera.v1.DeploymentService",
    "onvera.v1.EnvironmentService",
    "onvera.v1.OperationService",
    "onvera.v1.OrganizationService",
  ]

  static func request(_ question: Request.MessageRequest) -> Request {
    var request = Request()
    request.messageRequest = question
    return request
  }

  /// The names of the files in a file descriptor response, in order.
  static func fileNames(_ response: Response) throws -> [String] {
    guard case .fileDescriptorResponse(let files) = response.messageResponse else {
      Issue.record("expected files, got \(String(describing: response.messageResponse))")
      return []
    }
    return try files.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0).name }
  }

  static func errorCode(_ response: Response) -> Int32? {
    guard case .errorResponse(let error) = response.messageResponse else { return nil }
    return error.errorCode
  }

  /// Sends `requests` on one ServerReflectionInfo stream of `version` and collects the responses.
  static func exchange(_ requests: [Request], v1alpha: Bool = false) async throws -> [Response] {
    try await withInProcessServer(serving: [try ReflectionService()]) { grpc async throws in
      let streaming = StreamingClientRequest(of: Request.self) { writer in
        try await writer.write(contentsOf: requests)
      }
      let collect: @Sendable (StreamingClientResponse<Response>) async throws -> [Response] = { response in
        try await response.messages.reduce(into: []) { $0.append($1) }
      }
      if v1alpha {
        return try await Grpc_Reflection_V1alpha_ServerReflection.Client(wrapping: grpc)
          .serverReflectionInfo(request: streaming, onResponse: collect)
      }
      return try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: grpc)
        .serverReflectionInfo(request: streaming, onResponse: collect)
    }
  }

  @Test("list_services names the contract's services and the standard ones, on v1 and v1alpha", arguments: [false, true])
  func listServices(v1alpha: Bool) async throws {
    var request = Self.request(.listServices(""))
    request.host = "localhost:50051"
    let responses = try await Self.exchange([request], v1alpha: v1alpha)
    try #require(responses.count == 1)
    guard case .listServicesResponse(let list) = responses[0].messageResponse else {
      Issue.record("expected a service list, got \(responses[0])")
      return
    }
    #expect(list.service.map(\.name) == Self.expectedServices)
    #expect(responses[0].validHost == "localhost:50051")
    #expect(responses[0].originalRequest == request)
  }

  @Test("one stream answers many questions in order, errors included, and goes on after an error")
  func manyOnOneStream() async throws {
    let responses = try await Self.exchange([
      Self.request(.fileContainingSymbol("onvera.v1.DeploymentService")),
      Self.request(.fileContainingSymbol("onvera.v1.NoSuchThing")),
      Self.request(.fileByFilename("onvera/v1/operations.proto")),
      Self.request(.fileByFilename("nope.proto")),
      Self.request(.fileContainingExtension(.init())),
      Self.request(.allExtensionNumbersOfType("onvera.v1.Deployment")),
      Request(),
      Self.request(.listServices("*")),
    ])
    try #require(responses.count == 8)
    #expect(try Self.fileNames(responses[0]) == [
      "onvera/v1/deployments.proto", "onvera/v1/resources.proto", "google/protobuf/timestamp.proto",
    ])
    #expect(Self.errorCode(responses[1]) == 5)
    #expect(try Self.fileNames(responses[2]).first == "onvera/v1/operations.proto")
    #expect(Set(try Self.fileNames(responses[2])) == [
      "onvera/v1/operations.proto", "google/protobuf/duration.proto", "onvera/v1/resources.proto",
      "google/protobuf/timestamp.proto",
    ])
    #expect(Self.errorCode(responses[3]) == 5)
    #expect(Self.errorCode(responses[4]) == 5)
    #expect(Self.errorCode(responses[5]) == 5)
    #expect(Self.errorCode(responses[6]) == 3)
    guard case .listServicesResponse = responses[7].messageResponse else {
      Issue.record("the stream did not go on after errors")
      return
    }
  }

  @Test(
    "file_containing_symbol finds every kind of symbol",
    arguments: [
      ("onvera.v1", "onvera/v1/resources.proto"),  // a package: the first file declaring it
      ("onvera.v1.Deployment", "onvera/v1/resources.proto"),
      (".onvera.v1.Deployment", "onvera/v1/resources.proto"),
      ("onvera.v1.Deployment.etag", "onvera/v1/resources.proto"),
      ("onvera.v1.DeploymentEvent.Kind", "onvera/v1/resources.proto"),
      ("onvera.v1.AppType", "onvera/v1/resources.proto"),
      ("onvera.v1.APP_TYPE_SUPERSET", "onvera/v1/resources.proto"),
      ("onvera.v1.CreateDeploymentRequest", "onvera/v1/deployments.proto"),
      ("onvera.v1.DeploymentService.WatchDeployments", "onvera/v1/deployments.proto"),
      ("onvera.v1.OrganizationService", "onvera/v1/organizations.proto"),
      ("google.protobuf.Timestamp", "google/protobuf/timestamp.proto"),
      ("grpc.health.v1.Health", "grpc/health/v1/health.proto"),
      ("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"),
      ("grpc.reflection.v1.ServerReflection.ServerReflectionInfo", "grpc/reflection/v1/reflection.proto"),
      ("grpc.reflection.v1alpha.ServerReflectionResponse", "grpc/reflection/v1alpha/reflection.proto"),
    ]
  )
  func symbols(symbol: String, file: String) throws {
    let response = try ReflectionService().answer(Self.request(.fileContainingSymbol(symbol)))
    #expect(try Self.fileNames(response).first == file)
  }

  @Test("the package is indexed from the first file that declares it, whatever the set's order")
  func packageIsAnyFileDeclaringIt() throws {
    // Sanity of the fixture the argument above relies on.
    let pool = try DescriptorPool(files: StandardFileDescriptors.all)
    #expect(pool.symbols["grpc.reflection"] == "grpc/reflection/v1/reflection.proto")
    #expect(pool.symbols["grpc.reflection.v1alpha"] == "grpc/reflection/v1alpha/reflection.proto")
    #expect(pool.services == ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"])
  }

  @Test("the standard files describe the messages this module encodes")
  func standardFilesMatchMessages() throws {
    let health = StandardFileDescriptors.health()
    #expect(health.messageType.map(\.name) == ["HealthCheckRequest", "HealthCheckResponse"])
    #expect(health.messageType[1].enumType[0].value.map(\.name) == Grpc_Health_V1_HealthCheckResponse.ServingStatus.allCases.map(\.protoName))
    #expect(health.messageType[1].enumType[0].value.map { Int($0.number) } == Grpc_Health_V1_HealthCheckResponse.ServingStatus.allCases.map(\.rawValue))
    let reflection = StandardFileDescriptors.reflection(file: "r.proto", package: "p")
    let request = try #require(reflection.messageType.first { $0.name == "ServerReflectionRequest" })
    #expect(request.field.map(\.number) == [1, 3, 4, 5, 6, 7])
    #expect(request.field.map(\.jsonName) == ["host", "fileByFilename", "fileContainingSymbol", "fileContainingExtension", "allExtensionNumbersOfType", "listServices"])
    #expect(request.field.map(\.oneofIndex) == [nil, 0, 0, 0, 0, 0])
    // Round trip through the wire, oneof_index 0 included.
    #expect(try Google_Protobuf_FileDescriptorProto(serializedBytes: reflection.serializedBytes()) == reflection)
  }

  @Test("invalid descriptor sets are refused with invalidDescriptorSet")
  func invalidSets() throws {
    #expect(throws: StandardServicesError.self) { try ReflectionService(serializedFileDescriptorSet: [0x0A, 0x05, 0x01]) }
    // The standard files a second time: duplicate names.
    var set = Google_Protobuf_FileDescriptorSet()
    set.file = StandardFileDescriptors.all
    let error = #expect(throws: StandardServicesError.self) {
      try ReflectionService(serializedFileDescriptorSet: set.serializedBytes())
    }
    #expect(error?.code == .invalidDescriptorSet)
    #expect(error?.message.contains("grpc/health/v1/health.proto") == true)
  }

  @Test("reflection messages round-trip, oneof members at their default included")
  func messagesRoundTrip() throws {
    let list = Self.request(.listServices(""))
    #expect(list.serializedBytes() == [0x3A, 0x00])
    #expect(try Request(serializedBytes: list.serializedBytes()) == list)
    var response = Response()
    response.originalRequest = list
    var files = Grpc_Reflection_V1_FileDescriptorResponse()
    files.fileDescriptorProto = [[1, 2], []]
    response.messageResponse = .fileDescriptorResponse(files)
    #expect(try Response(serializedBytes: response.serializedBytes()) == response)
  }
}

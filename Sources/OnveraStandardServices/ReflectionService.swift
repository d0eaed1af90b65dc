public import GRPCCore
import OnveraRPC
import ProtoWire

/// Server reflection, `grpc.reflection.v1` and `grpc.reflection.v1alpha`: lets
/// tools such as grpcurl and Python's reflection client list the services and
/// fetch the descriptors of the files defining them.
///
/// It answers from serialized `FileDescriptorProto`s, the contract's embedded
/// set by default, plus the descriptors of health.proto and reflection.proto,
/// so the standard services are listed and resolvable too:
///
/// ```swift
/// let server = GRPCServer(transport: transport, services: [try ReflectionService(), ...])
/// ```
///
/// Answers: `list_services` (every service of the files), `file_by_filename`
/// and `file_containing_symbol` (the file first, then its dependencies, each
/// once); a name or symbol that is not known, and every extension question
/// (the files define no extensions), get an `error_response` with NOT_FOUND
/// while the stream goes on.
public struct ReflectionService: RegistrableRPCService {
  private let pool: DescriptorPool

  /// Reflection over the Onvera contract (`OnveraDescriptorSet`) and the standard services.
  public init() throws(StandardServicesError) {
    guard let bytes = Base64.decode(OnveraDescriptorSet.base64) else {
      throw StandardServicesError(code: .invalidDescriptorSet, message: "OnveraDescriptorSet.base64 is not valid base64")
    }
    try self.init(serializedFileDescriptorSet: bytes)
  }

  /// Reflection over the files of a serialized `google.protobuf.FileDescriptorSet`
  /// (as `protoc --descriptor_set_out --include_imports` writes) and the standard services.
  public init(serializedFileDescriptorSet bytes: [UInt8]) throws(StandardServicesError) {
    let set: Google_Protobuf_FileDescriptorSet
    do {
      set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
    } catch {
      throw StandardServicesError(code: .invalidDescriptorSet, message: "the descriptor set does not decode", cause: error)
    }
    self.pool = try DescriptorPool(files: set.file + StandardFileDescriptors.all)
  }

  /// Every service the reflection service lists, sorted by name.
  public var serviceNames: [String] { pool.services }

  /// Registers both versions' ServerReflectionInfo with `router`.
  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    V1(reflection: self).registerMethods(with: &router)
    V1alpha(reflection: self).registerMethods(with: &router)
  }

  /// The answer to one request; the same for both versions, whose messages are identical.
  public func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest) -> Grpc_Reflection_V1_ServerReflectionResponse {
    var response = Grpc_Reflection_V1_ServerReflectionResponse()
    response.validHost = request.host
    response.originalRequest = request
    response.messageResponse = messageResponse(to: request.messageRequest)
    return response
  }

  private func messageResponse(
    to request: Grpc_Reflection_V1_ServerReflectionRequest.MessageRequest?
  ) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
    func files(_ files: [[UInt8]]?, orNotFound message: @autoclosure () -> String) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
      guard let files else { return .errorResponse(.init(code: Self.notFound, message: message())) }
      var response = Grpc_Reflection_V1_FileDescriptorResponse()
      response.fileDescriptorProto = files
      return .fileDescriptorResponse(response)
    }
    switch request {
    case .listServices:
      var list = Grpc_Reflection_V1_ListServiceResponse()
      list.service = pool.services.map(Grpc_Reflection_V1_ServiceResponse.init(name:))
      return .listServicesResponse(list)
    case .fileByFilename(let name):
      return files(pool.fileWithDependencies(named: name), orNotFound: "file '\(name)' not found")
    case .fileContainingSymbol(let symbol):
      return files(pool.fileWithDependencies(containing: symbol), orNotFound: "symbol '\(symbol)' not found")
    case .fileContainingExtension(let request):
      return .errorResponse(
        .init(code: Self.notFound, message: "extension \(request.extensionNumber) of '\(request.containingType)' not found: no extensions are defined"))
    case .allExtensionNumbersOfType(let type):
      return .errorResponse(.init(code: Self.notFound, message: "no extensions of '\(type)': no extensions are defined"))
    case nil:
      return .errorResponse(.init(code: Self.invalidArgument, message: "the request asks nothing: set one field of message_request"))
    }
  }

  private static let notFound = Int32(RPCError.Code.notFound.rawValue)
  private static let invalidArgument = Int32(RPCError.Code.invalidArgument.rawValue)

  /// One response per request, in order, until the client ends its stream.
  fileprivate func serve(
    _ requests: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Error>,
    _ responses: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>
  ) async throws {
    for try await request in requests {
      try await responses.write(answer(request))
    }
  }

  private struct V1: Grpc_Reflection_V1_ServerReflection.SimpleServiceProtocol {
    let reflection: ReflectionService
    func serverReflectionInfo(
      request: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Error>,
      response: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>,
      context: ServerContext
    ) async throws {
      try await reflection.serve(request, response)
    }
  }

  private struct V1alpha: Grpc_Reflection_V1alpha_ServerReflection.SimpleServiceProtocol {
    let reflection: ReflectionService
    func serverReflectionInfo(
      request: RPCAsyncSequence<Grpc_Reflection_V1alpha_ServerReflectionRequest, any Error>,
      response: RPCWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>,
      context: ServerContext
    ) async throws {
      try await reflection.serve(request, response)
    }
  }
}

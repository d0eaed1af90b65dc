public import ProtoWire

// The messages of grpc/health/v1/health.proto, written out by hand on ProtoWire.

/// `grpc.health.v1.HealthCheckRequest`: which service to check.
public struct Grpc_Health_V1_HealthCheckRequest: ProtoMessage {
  public static let protoMessageName = "grpc.health.v1.HealthCheckRequest"
  /// The service's full name, such as `onvera.v1.DeploymentService`; empty for the whole server.
  public var service: String = ""
  public var unknownFields = UnknownFields()

  public init() {}

  /// A request for `service`.
  public init(service: String) { self.service = service }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: service = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "service", service)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `grpc.health.v1.HealthCheckResponse`: a service's serving status.
public struct Grpc_Health_V1_HealthCheckResponse: ProtoMessage {
  public static let protoMessageName = "grpc.health.v1.HealthCheckResponse"

  /// Whether a service takes calls.
  public enum ServingStatus: ProtoEnum {
    /// Not known yet.
    case unknown
    /// Takes calls.
    case serving
    /// Refuses calls: starting, recovering or shutting down.
    case notServing
    /// Only in Watch: the server does not know the service.
    case serviceUnknown
    case UNRECOGNIZED(Int)

    public init() { self = .unknown }
    public init(rawValue: Int) {
      switch rawValue {
      case 0: self = .unknown
      case 1: self = .serving
      case 2: self = .notServing
      case 3: self = .serviceUnknown
      default: self = .UNRECOGNIZED(rawValue)
      }
    }
    public var rawValue: Int {
      switch self {
      case .unknown: 0
      case .serving: 1
      case .notServing: 2
      case .serviceUnknown: 3
      case .UNRECOGNIZED(let n): n
      }
    }
    public var protoName: String? {
      switch self {
      case .unknown: "UNKNOWN"
      case .serving: "SERVING"
      case .notServing: "NOT_SERVING"
      case .serviceUnknown: "SERVICE_UNKNOWN"
      case .UNRECOGNIZED: nil
      }
    }
    public static let allCases: [Self] = [.unknown, .serving, .notServing, .serviceUnknown]
  }

  /// The status.
  public var status: ServingStatus = .unknown
  public var unknownFields = UnknownFields()

  public init() {}

  /// A response saying `status`.
  public init(status: ServingStatus) { self.status = status }

  public mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: status = try reader.decode(ProtoEnumField<ServingStatus>.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  public func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.enumeration(1, "status", status)
    sink.unknownFields(unknownFields)
  }
  public func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  public func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

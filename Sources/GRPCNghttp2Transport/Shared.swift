internal import GRPCCore
internal import NIOCore
import Synchronization

/// The RPC cancellation handle of a server stream, which may be set after the stream was reset.
final class CancellationBox: Sendable {
  private let state = Mutex<(handle: ServerContext.RPCCancellationHandle?, cancelled: Bool)>((nil, false))

  func set(_ handle: ServerContext.RPCCancellationHandle) {
    let cancelNow = self.state.withLock { state -> Bool in
      state.handle = handle
      return state.cancelled
    }
    if cancelNow { handle.cancel() }
  }

  /// Whether the stream was cancelled (reset by the client, its connection lost, ...).
  var isCancelled: Bool { self.state.withLock { $0.cancelled } }

  func cancel() {
    let handle = self.state.withLock { state -> ServerContext.RPCCancellationHandle? in
      state.cancelled = true
      return state.handle
    }
    handle?.cancel()
  }
}

extension SocketAddress {
  var grpcPeerDescription: String {
    switch self {
    case .v4(let a): return "ipv4:\(a.host):\(self.port ?? 0)"
    case .v6(let a): return "ipv6:[\(a.host)]:\(self.port ?? 0)"
    case .unixDomainSocket: return "unix:\(self.pathname ?? "")"
    }
  }
}

enum HTTP2ErrorCode {
  static let noError: UInt32 = 0
  static let protocolError: UInt32 = 1
  static let internalError: UInt32 = 2
  static let refusedStream: UInt32 = 7
  static let cancel: UInt32 = 8
  static let enhanceYourCalm: UInt32 = 0xB

  /// The gRPC status an RST_STREAM error code maps to.
  static func rpcCode(for errorCode: UInt32) -> RPCError.Code {
    switch errorCode {
    case cancel: return .cancelled
    case refusedStream: return .unavailable
    case enhanceYourCalm: return .resourceExhausted
    default: return .internalError
    }
  }
}

/// Builds the trailer fields for a status.
func statusHeaders(_ status: Status, _ metadata: Metadata, into headers: inout [(String, String)]) {
  headers.append(("grpc-status", String(status.code.rawValue)))
  if !status.message.isEmpty {
    headers.append(("grpc-message", GRPCHeaders.percentEncode(status.message)))
  }
  GRPCHeaders.appendMetadata(metadata, to: &headers)
}

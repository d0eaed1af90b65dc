internal import CZlib
internal import GRPCCore

/// Message compression for `grpc-encoding: gzip` and `deflate`, through zlib.
enum MessageCompression {
  enum Failure: Error {
    case tooLarge
    case corrupt(Int32)
  }

  static func name(of algorithm: CompressionAlgorithm) -> String? {
    if algorithm == .gzip { return "gzip" }
    if algorithm == .deflate { return "deflate" }
    return nil
  }

  static func algorithm(named name: String) -> CompressionAlgorithm? {
    switch name {
    case "gzip": return .gzip
    case "deflate": return .deflate
    case "identity": return CompressionAlgorithm.none
    default: return nil
    }
  }

  /// The `grpc-accept-encoding` value for a set of enabled algorithms.
  static func acceptEncoding(_ set: CompressionAlgorithmSet) -> String {
    var names = ["identity"]
    if set.contains(.deflate) { names.append("deflate") }
    if set.contains(.gzip) { names.append("gzip") }
    return names.joined(separator: ",")
  }

  private static func windowBits(_ algorithm: CompressionAlgorithm) -> Int32 {
    algorithm == .gzip ? 31 : 15
  }

  static func compress(_ input: [UInt8], algorithm: CompressionAlgorithm) throws -> [UInt8] {
    var stream = z_stream()
    let rc = CZlib_deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits(algorithm), 8, Z_DEFAULT_STRATEGY)
    guard rc == Z_OK else { throw Failure.corrupt(rc) }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 16)
    var input = input
    let result: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
      output.withUnsafeMutableBufferPointer { outBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = UInt32(inBuf.count)
        stream.next_out = outBuf.baseAddress
        stream.avail_out = UInt32(outBuf.count)
        return deflate(&stream, Z_FINISH)
      }
    }
    guard result == Z_STREAM_END else { throw Failure.corrupt(result) }
    output.removeLast(Int(stream.avail_out))
    return output
  }

  /// Inflates a message; more than `limit` bytes of output is `tooLarge`.
  static func decompress(_ input: [UInt8], algorithm: CompressionAlgorithm, limit: Int) throws -> [UInt8] {
    var stream = z_stream()
    let rc = CZlib_inflateInit2(&stream, windowBits(algorithm) + (algorithm == .gzip ? 0 : 32))
    guard rc == Z_OK else { throw Failure.corrupt(rc) }
    defer { inflateEnd(&stream) }
    var output = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 4096), 1 << 20))
    var input = input
    try input.withUnsafeMutableBufferPointer { inBuf in
      stream.next_in = inBuf.baseAddress
      stream.avail_in = UInt32(inBuf.count)
      while true {
        let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { outBuf in
          stream.next_out = outBuf.baseAddress
          stream.avail_out = UInt32(outBuf.count)
          let s = inflate(&stream, Z_NO_FLUSH)
          return (s, outBuf.count - Int(stream.avail_out))
        }
        if output.count + produced > limit { throw Failure.tooLarge }
        output.append(contentsOf: chunk[0..<produced])
        if status == Z_STREAM_END { return }
        guard status == Z_OK || (status == Z_BUF_ERROR && produced > 0) else { throw Failure.corrupt(status) }
        if status == Z_OK && produced == 0 && stream.avail_in == 0 { throw Failure.corrupt(Z_DATA_ERROR) }
      }
    }
    return output
  }
}

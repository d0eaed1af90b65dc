/// A record to append: an application-defined type tag and opaque payload bytes
/// (the orchestrator stores protobuf messages here).
public struct Record: Sendable, Hashable {
  /// The application's record type.
  public var type: UInt16
  /// The payload, stored and returned byte for byte.
  public var payload: [UInt8]

  /// Creates a record.
  public init(type: UInt16, payload: [UInt8]) {
    self.type = type
    self.payload = payload
  }
}

/// A durable record with the revision the store gave it.
public struct StoredRecord: Sendable, Hashable {
  /// The record's revision: 1 for the first record ever, then always previous + 1.
  public var revision: UInt64
  /// The application's record type.
  public var type: UInt16
  /// The payload.
  public var payload: [UInt8]

  /// Creates a stored record.
  public init(revision: UInt64, type: UInt16, payload: [UInt8]) {
    self.revision = revision
    self.type = type
    self.payload = payload
  }
}

/// A snapshot handed back at open: the caller's own bytes, describing its state
/// after every record up to and including `revision`.
public struct Snapshot: Sendable, Hashable {
  /// The last revision the snapshot includes.
  public var revision: UInt64
  /// The bytes given to ``Store/writeSnapshot(at:bytes:)``.
  public var bytes: [UInt8]

  /// Creates a snapshot value.
  public init(revision: UInt64, bytes: [UInt8]) {
    self.revision = revision
    self.bytes = bytes
  }
}

extension Duration {
  /// Whole milliseconds, for log lines.
  var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

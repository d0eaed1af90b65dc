/// Receives a message's fields in field-number order.
///
/// Each message lists its fields once, in `traverse(_:)`; the same list
/// drives size computation (`ProtoSizer`), encoding (`ProtoWriter`) and the
/// printers (text format, JSON). Callers use the helpers in the extension,
/// which skip fields at their proto3 default.
public protocol ProtoSink {
  /// A singular scalar field that is present (the helpers check the default).
  mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value)
  /// A non-empty repeated scalar field.
  mutating func repeated<T: ProtoFieldType>(
    _ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool)
  /// A present embedded message.
  mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M)
  /// A non-empty repeated message field.
  mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M])
  /// A non-empty map with scalar values.
  mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value])
  /// A non-empty map with message values.
  mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M])
  /// The fields the decoder did not know, written last.
  mutating func unknown(_ fields: UnknownFields)
}

extension ProtoSink {
  /// A singular field, skipped when it holds the proto3 default.
  @inlinable
  public mutating func field<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {
    if !T.isDefault(value) { scalar(type, number, name, value) }
  }

  /// A `string` field.
  @inlinable
  public mutating func string(_ number: Int, _ name: StaticString, _ value: String) {
    if !value.isEmpty { scalar(ProtoString.self, number, name, value) }
  }

  /// A `bytes` field.
  @inlinable
  public mutating func bytes(_ number: Int, _ name: StaticString, _ value: [UInt8]) {
    if !value.isEmpty { scalar(ProtoBytes.self, number, name, value) }
  }

  /// A `bool` field.
  @inlinable
  public mutating func bool(_ number: Int, _ name: StaticString, _ value: Bool) {
    if value { scalar(ProtoBool.self, number, name, value) }
  }

  /// An `int32` field.
  @inlinable
  public mutating func int32(_ number: Int, _ name: StaticString, _ value: Int32) {
    if value != 0 { scalar(ProtoInt32.self, number, name, value) }
  }

  /// An `int64` field.
  @inlinable
  public mutating func int64(_ number: Int, _ name: StaticString, _ value: Int64) {
    if value != 0 { scalar(ProtoInt64.self, number, name, value) }
  }

  /// A `uint32` field.
  @inlinable
  public mutating func uint32(_ number: Int, _ name: StaticString, _ value: UInt32) {
    if value != 0 { scalar(ProtoUInt32.self, number, name, value) }
  }

  /// A `uint64` field.
  @inlinable
  public mutating func uint64(_ number: Int, _ name: StaticString, _ value: UInt64) {
    if value != 0 { scalar(ProtoUInt64.self, number, name, value) }
  }

  /// An enum field.
  @inlinable
  public mutating func enumeration<E: ProtoEnum>(_ number: Int, _ name: StaticString, _ value: E) {
    if value.rawValue != 0 { scalar(ProtoEnumField<E>.self, number, name, value) }
  }

  /// An optional embedded message: written when set, even if empty.
  @inlinable
  public mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M?) {
    if let value { message(number, name, value) }
  }

  /// A repeated scalar field; numbers, bools and enums are packed as proto3 wants.
  @inlinable
  public mutating func repeated<T: ProtoPackableType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value]) {
    if !values.isEmpty { repeated(type, number, name, values, packed: true) }
  }

  /// A repeated string or bytes field.
  @inlinable
  public mutating func repeatedElements<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value]) {
    if !values.isEmpty { repeated(type, number, name, values, packed: false) }
  }

  /// A repeated message field.
  @inlinable
  public mutating func repeatedMessages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    if !values.isEmpty { messages(number, name, values) }
  }

  /// A map field with scalar values.
  @inlinable
  public mutating func mapField<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) {
    if !values.isEmpty { map(keyType, valueType, number, name, values) }
  }

  /// A map field with message values.
  @inlinable
  public mutating func messageMapField<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) {
    if !values.isEmpty { messageMap(keyType, number, name, values) }
  }

  /// The message's unknown fields.
  @inlinable
  public mutating func unknownFields(_ fields: UnknownFields) {
    if !fields.isEmpty { unknown(fields) }
  }
}

/// Map entries sorted by key, so equal maps encode to equal bytes.
@inlinable
func sortedEntries<K: ProtoMapKeyType, V>(_ values: [K.Value: V], _ keyType: K.Type) -> [(key: K.Value, value: V)] {
  values.sorted { K.precedes($0.key, $1.key) }
}

/// Computes a message's encoded size in one pass, recording the size of every
/// embedded message and packed field so `ProtoWriter` never measures twice.
@frozen
public struct ProtoSizer: ProtoSink {
  /// Bytes counted so far.
  public var total: Int
  /// Sizes of embedded messages and packed payloads, in the order the writer needs them.
  public var sizes: [Int]

  /// An empty sizer.
  @inlinable
  public init() {
    total = 0
    sizes = []
  }

  @inlinable
  public mutating func scalar<T: ProtoFieldType>(_ type: T.Type, _ number: Int, _ name: StaticString, _ value: T.Value) {
    total &+= Wire.tagSize(number) &+ T.payloadSize(value)
  }

  @inlinable
  public mutating func repeated<T: ProtoFieldType>(
    _ type: T.Type, _ number: Int, _ name: StaticString, _ values: [T.Value], packed: Bool
  ) {
    if packed {
      var payload = 0
      switch T.wireType {
      case .fixed32: payload = values.count &* 4
      case .fixed64: payload = values.count &* 8
      default: for v in values { payload &+= T.payloadSize(v) }
      }
      sizes.append(payload)
      total &+= Wire.tagSize(number) &+ Wire.varintSize(UInt64(payload)) &+ payload
    } else {
      let tag = Wire.tagSize(number)
      for v in values { total &+= tag &+ T.payloadSize(v) }
    }
  }

  @inlinable
  public mutating func message<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ value: M) {
    let slot = sizes.count
    sizes.append(0)
    let before = total
    value.computeSize(into: &self)
    let body = total &- before
    sizes[slot] = body
    total &+= Wire.tagSize(number) &+ Wire.varintSize(UInt64(body))
  }

  @inlinable
  public mutating func messages<M: ProtoMessage>(_ number: Int, _ name: StaticString, _ values: [M]) {
    // By index: iterating the array would copy (retain) every element.
    for i in values.indices { message(number, name, values[i]) }
  }

  @inlinable
  public mutating func map<K: ProtoMapKeyType, V: ProtoFieldType>(
    _ keyType: K.Type, _ valueType: V.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: V.Value]
  ) {
    let tag = Wire.tagSize(number)
    for (key, value) in values {
      let entry = 1 &+ K.payloadSize(key) &+ 1 &+ V.payloadSize(value)
      total &+= tag &+ Wire.varintSize(UInt64(entry)) &+ entry
    }
  }

  @inlinable
  public mutating func messageMap<K: ProtoMapKeyType, M: ProtoMessage>(
    _ keyType: K.Type, _ number: Int, _ name: StaticString, _ values: [K.Value: M]
  ) {
    // Embedded sizes are recorded in the writer's (sorted) order.
    let tag = Wire.tagSize(number)
    for (key, value) in sortedEntries(values, K.self) {
      let slot = sizes.count
      sizes.append(0)
      let before = total
      value.computeSize(into: &self)
      let body = total &- before
      sizes[slot] = body
      total = before
      let entry = 1 &+ K.payloadSize(key) &+ 1 &+ Wire.varintSize(UInt64(body)) &+ body
      total &+= tag &+ Wire.varintSize(UInt64(entry)) &+ entry
    }
  }

  @inlinable
  public mutating func unknown(_ fields: UnknownFields) {
    total &+= fields.bytes.count
  }
}

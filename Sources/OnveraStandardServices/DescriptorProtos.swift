import ProtoWire

// The parts of google/protobuf/descriptor.proto that reflection needs, written
// out by hand on ProtoWire: enough to index every symbol a file defines and to
// write the descriptors of the standard services' own files. Fields not listed
// here (options, source info, ...) are kept as unknown fields.

/// `google.protobuf.FileDescriptorSet`, with each file kept as its serialized bytes.
struct Google_Protobuf_FileDescriptorSet: ProtoMessage {
  static let protoMessageName = "google.protobuf.FileDescriptorSet"
  /// Serialized `FileDescriptorProto`s: reflection hands them out byte-exact.
  var file: [[UInt8]] = []
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: try reader.decodeRepeatedElement(ProtoBytes.self, tag, into: &file)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.repeatedElements(ProtoBytes.self, 1, "file", file)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.FileDescriptorProto`.
struct Google_Protobuf_FileDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.FileDescriptorProto"
  var name: String = ""
  var package: String = ""
  var dependency: [String] = []
  var messageType: [Google_Protobuf_DescriptorProto] = []
  var enumType: [Google_Protobuf_EnumDescriptorProto] = []
  var service: [Google_Protobuf_ServiceDescriptorProto] = []
  var `extension`: [Google_Protobuf_FieldDescriptorProto] = []
  var syntax: String = ""
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: package = try reader.decode(ProtoString.self, tag)
    case 3: try reader.decodeRepeatedElement(ProtoString.self, tag, into: &dependency)
    case 4: try reader.decodeRepeatedMessage(tag, into: &messageType)
    case 5: try reader.decodeRepeatedMessage(tag, into: &enumType)
    case 6: try reader.decodeRepeatedMessage(tag, into: &service)
    case 7: try reader.decodeRepeatedMessage(tag, into: &`extension`)
    case 12: syntax = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.string(2, "package", package)
    sink.repeatedElements(ProtoString.self, 3, "dependency", dependency)
    sink.repeatedMessages(4, "message_type", messageType)
    sink.repeatedMessages(5, "enum_type", enumType)
    sink.repeatedMessages(6, "service", service)
    sink.repeatedMessages(7, "extension", `extension`)
    sink.string(12, "syntax", syntax)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.DescriptorProto`: a message type.
struct Google_Protobuf_DescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.DescriptorProto"
  var name: String = ""
  var field: [Google_Protobuf_FieldDescriptorProto] = []
  var nestedType: [Google_Protobuf_DescriptorProto] = []
  var enumType: [Google_Protobuf_EnumDescriptorProto] = []
  var `extension`: [Google_Protobuf_FieldDescriptorProto] = []
  var oneofDecl: [Google_Protobuf_OneofDescriptorProto] = []
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeRepeatedMessage(tag, into: &field)
    case 3: try reader.decodeRepeatedMessage(tag, into: &nestedType)
    case 4: try reader.decodeRepeatedMessage(tag, into: &enumType)
    case 6: try reader.decodeRepeatedMessage(tag, into: &`extension`)
    case 8: try reader.decodeRepeatedMessage(tag, into: &oneofDecl)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.repeatedMessages(2, "field", field)
    sink.repeatedMessages(3, "nested_type", nestedType)
    sink.repeatedMessages(4, "enum_type", enumType)
    sink.repeatedMessages(6, "extension", `extension`)
    sink.repeatedMessages(8, "oneof_decl", oneofDecl)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.FieldDescriptorProto`: a field or an extension.
struct Google_Protobuf_FieldDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.FieldDescriptorProto"
  /// `Label` numbers.
  static let optional: Int32 = 1, repeated: Int32 = 3
  /// `Type` numbers.
  static let int32: Int32 = 5, string: Int32 = 9, message: Int32 = 11, bytes: Int32 = 12, enumeration: Int32 = 14

  var name: String = ""
  var extendee: String = ""
  var number: Int32 = 0
  var label: Int32 = 0
  var type: Int32 = 0
  var typeName: String = ""
  var oneofIndex: Int32? = nil
  var jsonName: String = ""
  var unknownFields = UnknownFields()

  init() {}

  /// A field of `type`, `number` and `label`; `json_name` is the lowerCamelCase form protoc writes.
  init(_ name: String, _ number: Int32, _ type: Int32, label: Int32 = Self.optional, typeName: String = "", oneofIndex: Int32? = nil) {
    self.name = name
    self.number = number
    self.type = type
    self.label = label
    self.typeName = typeName
    self.oneofIndex = oneofIndex
    var json = ""
    var upperNext = false
    for character in name {
      if character == "_" {
        upperNext = true
      } else {
        json += upperNext ? character.uppercased() : String(character)
        upperNext = false
      }
    }
    self.jsonName = json
  }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: extendee = try reader.decode(ProtoString.self, tag)
    case 3: number = try reader.decode(ProtoInt32.self, tag)
    case 4: label = try reader.decode(ProtoInt32.self, tag)
    case 5: type = try reader.decode(ProtoInt32.self, tag)
    case 6: typeName = try reader.decode(ProtoString.self, tag)
    case 9: oneofIndex = try reader.decode(ProtoInt32.self, tag)
    case 10: jsonName = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.string(2, "extendee", extendee)
    sink.int32(3, "number", number)
    sink.int32(4, "label", label)
    sink.int32(5, "type", type)
    sink.string(6, "type_name", typeName)
    // proto2 optional: index 0 is a real value and must be written.
    if let oneofIndex { sink.scalar(ProtoInt32.self, 9, "oneof_index", oneofIndex) }
    sink.string(10, "json_name", jsonName)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.OneofDescriptorProto`.
struct Google_Protobuf_OneofDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.OneofDescriptorProto"
  var name: String = ""
  var unknownFields = UnknownFields()

  init() {}
  init(name: String) { self.name = name }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.EnumDescriptorProto`.
struct Google_Protobuf_EnumDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.EnumDescriptorProto"
  var name: String = ""
  var value: [Google_Protobuf_EnumValueDescriptorProto] = []
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeRepeatedMessage(tag, into: &value)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.repeatedMessages(2, "value", value)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.EnumValueDescriptorProto`.
struct Google_Protobuf_EnumValueDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.EnumValueDescriptorProto"
  var name: String = ""
  var number: Int32 = 0
  var unknownFields = UnknownFields()

  init() {}
  init(_ name: String, _ number: Int32) {
    self.name = name
    self.number = number
  }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: number = try reader.decode(ProtoInt32.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    // Always written, as protoc does: 0 is the first value of every proto3 enum.
    sink.scalar(ProtoInt32.self, 2, "number", number)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.ServiceDescriptorProto`.
struct Google_Protobuf_ServiceDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.ServiceDescriptorProto"
  var name: String = ""
  var method: [Google_Protobuf_MethodDescriptorProto] = []
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: try reader.decodeRepeatedMessage(tag, into: &method)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.repeatedMessages(2, "method", method)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

/// `google.protobuf.MethodDescriptorProto`.
struct Google_Protobuf_MethodDescriptorProto: ProtoMessage {
  static let protoMessageName = "google.protobuf.MethodDescriptorProto"
  var name: String = ""
  var inputType: String = ""
  var outputType: String = ""
  var clientStreaming: Bool = false
  var serverStreaming: Bool = false
  var unknownFields = UnknownFields()

  init() {}
  init(_ name: String, input: String, output: String, clientStreaming: Bool = false, serverStreaming: Bool = false) {
    self.name = name
    self.inputType = input
    self.outputType = output
    self.clientStreaming = clientStreaming
    self.serverStreaming = serverStreaming
  }

  mutating func decodeField(_ tag: FieldTag, from reader: inout ProtoReader) throws(ProtoWireError) {
    switch tag.fieldNumber {
    case 1: name = try reader.decode(ProtoString.self, tag)
    case 2: inputType = try reader.decode(ProtoString.self, tag)
    case 3: outputType = try reader.decode(ProtoString.self, tag)
    case 5: clientStreaming = try reader.decode(ProtoBool.self, tag)
    case 6: serverStreaming = try reader.decode(ProtoBool.self, tag)
    default: try reader.skipField(tag, into: &unknownFields)
    }
  }

  func traverse<S: ProtoSink>(_ sink: inout S) {
    sink.string(1, "name", name)
    sink.string(2, "input_type", inputType)
    sink.string(3, "output_type", outputType)
    sink.bool(5, "client_streaming", clientStreaming)
    sink.bool(6, "server_streaming", serverStreaming)
    sink.unknownFields(unknownFields)
  }
  func computeSize(into sizer: inout ProtoSizer) { traverse(&sizer) }
  func encode(to writer: inout ProtoWriter) { traverse(&writer) }
}

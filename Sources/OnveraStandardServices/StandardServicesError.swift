/// An error setting up a standard service.
public struct StandardServicesError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, as a code that can grow without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
      case invalidDescriptorSet
    }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// A descriptor set (or a file in it) is not valid base64 or protobuf,
    /// or two files share a name.
    public static let invalidDescriptorSet = Code(.invalidDescriptorSet)

    public var description: String {
      switch value {
      case .invalidDescriptorSet: "invalid descriptor set"
      }
    }
  }

  /// The kind of problem.
  public var code: Code
  /// What was wrong, for people.
  public var message: String
  /// The underlying error, if any.
  public var cause: (any Error & Sendable)?

  /// Creates an error.
  public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String {
    if let cause { return "\(code): \(message) (\(cause))" }
    return "\(code): \(message)"
  }
}

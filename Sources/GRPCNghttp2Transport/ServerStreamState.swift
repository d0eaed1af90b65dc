/// The response side of one server stream, as a state machine the connection handler drives.
struct ServerResponseState {
  enum State: Equatable {
    /// Nothing submitted yet.
    case idle
    /// Response headers submitted with a data provider; messages may follow.
    case streaming
    /// Trailers queued behind the remaining messages.
    case trailersQueued
    /// The response is complete (trailers or Trailers-Only submitted) or the stream was reset.
    case done
  }

  enum Action: Equatable {
    case submitHeaders
    case resumeData
    case submitHeadersAndResumeData
    case submitTrailersOnly
    case queueTrailers
    case reset
    case ignore
  }

  private(set) var state: State = .idle

  mutating func onMetadata() -> Action {
    switch self.state {
    case .idle:
      self.state = .streaming
      return .submitHeaders
    case .streaming, .trailersQueued, .done:
      return .ignore
    }
  }

  mutating func onMessage() -> Action {
    switch self.state {
    case .idle:
      // Metadata is implicit when the application sends a message first.
      self.state = .streaming
      return .submitHeadersAndResumeData
    case .streaming:
      return .resumeData
    case .trailersQueued, .done:
      return .ignore
    }
  }

  mutating func onStatus() -> Action {
    switch self.state {
    case .idle:
      self.state = .done
      return .submitTrailersOnly
    case .streaming:
      self.state = .trailersQueued
      return .queueTrailers
    case .trailersQueued, .done:
      return .ignore
    }
  }

  /// The data source has sent the queued trailers.
  mutating func onTrailersSent() {
    if self.state == .trailersQueued { self.state = .done }
  }

  /// The application finished the writer; without a status the stream is reset.
  mutating func onFinish() -> Action {
    switch self.state {
    case .idle, .streaming:
      self.state = .done
      return .reset
    case .trailersQueued, .done:
      return .ignore
    }
  }

  /// The stream ended abruptly (RST_STREAM, deadline, connection loss).
  mutating func onAbort() {
    self.state = .done
  }
}

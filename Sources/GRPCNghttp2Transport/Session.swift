internal import CNghttp2
internal import NIOCore

/// What a connection handler learns from its nghttp2 session.
///
/// Called from inside `nghttp2_session_mem_recv` / `mem_send`: implementations may submit frames
/// but must not call back into the session's receive or send functions.
protocol Nghttp2SessionDelegate: AnyObject {
  func sessionBeginHeaders(streamID: Int32, category: nghttp2_headers_category)
  func sessionHeader(streamID: Int32, name: String, value: String)
  func sessionFrameReceived(_ frame: UnsafePointer<nghttp2_frame>)
  func sessionDataChunk(streamID: Int32, data: UnsafeRawBufferPointer)
  func sessionStreamClosed(streamID: Int32, errorCode: UInt32)
  func sessionFrameSent(_ frame: UnsafePointer<nghttp2_frame>)
  /// Fills `buffer` with DATA for the stream; returns the count, 0 with flags, or an nghttp2 error.
  func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int
}

/// An nghttp2 session: the C handle, owned by one connection handler on one event loop.
final class Nghttp2Session {
  enum Role { case server, client }

  struct Settings {
    var maxConcurrentStreams: UInt32?
    var initialWindowSize: UInt32
    var connectionWindowSize: Int32
    var maxHeaderListSize: UInt32
  }

  let raw: OpaquePointer
  /// The handler that owns this session; it outlives the session.
  unowned(unsafe) let delegate: any Nghttp2SessionDelegate
  private var box: Unmanaged<Nghttp2Session>? = nil

  init(role: Role, delegate: any Nghttp2SessionDelegate) {
    self.delegate = delegate
    var callbacks: OpaquePointer?
    nghttp2_session_callbacks_new(&callbacks)
    defer { nghttp2_session_callbacks_del(callbacks) }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
    nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameRecv)
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunkRecv)
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, onFrameSend)

    var option: OpaquePointer?
    nghttp2_option_new(&option)
    defer { nghttp2_option_del(option) }
    // Window is given back only as the application consumes data (see `consume`).
    nghttp2_option_set_no_auto_window_update(option, 1)
    if role == .server {
      // Bound the "rapid reset" pattern: a burst of 200 resets, then 33 per second (beyond it
      // nghttp2 ends the connection; its pipelined frames are then not parsed, see channelRead).
      nghttp2_option_set_stream_reset_rate_limit(option, 200, 33)
    }

    var session: OpaquePointer?
    // user_data is filled in right below, once self is fully initialised.
    switch role {
    case .server: nghttp2_session_server_new2(&session, callbacks, nil, option)
    case .client: nghttp2_session_client_new2(&session, callbacks, nil, option)
    }
    self.raw = session!
    let unmanaged = Unmanaged.passUnretained(self)
    nghttp2_session_set_user_data(self.raw, unmanaged.toOpaque())
  }

  deinit {
    nghttp2_session_del(self.raw)
  }

  /// Queues the initial SETTINGS and the connection window.
  func start(_ settings: Settings) {
    var entries: [nghttp2_settings_entry] = [
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialWindowSize),
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
    ]
    if let max = settings.maxConcurrentStreams {
      entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: max))
    }
    nghttp2_submit_settings(self.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
    nghttp2_session_set_local_window_size(self.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindowSize)
  }

  /// Feeds received bytes; returns false if the session failed and the connection must close.
  func receive(_ buffer: ByteBuffer) -> Bool {
    let rc = buffer.withUnsafeReadableBytes { bytes -> Int in
      guard let base = bytes.baseAddress else { return 0 }
      return nghttp2_session_mem_recv(self.raw, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }
    return rc >= 0
  }

  /// Serialises every pending frame into `buffer`; returns false on a fatal error.
  func send(into buffer: inout ByteBuffer) -> Bool {
    while true {
      var data: UnsafePointer<UInt8>?
      let n = nghttp2_session_mem_send(self.raw, &data)
      if n < 0 { return false }
      if n == 0 { return true }
      buffer.writeBytes(UnsafeRawBufferPointer(start: data, count: n))
    }
  }

  /// False once the session is ending (e.g. nghttp2 terminated it for a reset flood): the
  /// rest of what the peer sent need not be parsed.
  var wantsRead: Bool { nghttp2_session_want_read(self.raw) != 0 }

  var wantsIO: Bool {
    nghttp2_session_want_read(self.raw) != 0 || nghttp2_session_want_write(self.raw) != 0
  }

  /// Gives back window for `count` bytes of DATA the application has consumed.
  func consume(streamID: Int32, count: Int) {
    guard count > 0 else { return }
    if nghttp2_session_consume(self.raw, streamID, count) != 0 {
      // The stream is gone: still return the connection-level window.
      nghttp2_session_consume_connection(self.raw, count)
    }
  }

  /// Submits headers (a response, a request's trailers or Trailers-Only) built from `headers`.
  static func withNameValues<R>(_ headers: [(String, String)], _ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
    var total = 0
    for (n, v) in headers { total += n.utf8.count + v.utf8.count }
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
    defer { storage.deallocate() }
    var nvs = [nghttp2_nv]()
    nvs.reserveCapacity(headers.count)
    var offset = 0
    for (name, value) in headers {
      let namePtr = storage + offset
      var nameLen = 0
      for b in name.utf8 { namePtr[nameLen] = b; nameLen += 1 }
      offset += nameLen
      let valuePtr = storage + offset
      var valueLen = 0
      for b in value.utf8 { valuePtr[valueLen] = b; valueLen += 1 }
      offset += valueLen
      nvs.append(nghttp2_nv(name: namePtr, value: valuePtr, namelen: nameLen, valuelen: valueLen, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
    }
    return nvs.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
  }

  static func dataProvider() -> nghttp2_data_provider {
    var provider = nghttp2_data_provider()
    provider.read_callback = onReadData
    return provider
  }
}

private func session(_ userData: UnsafeMutableRawPointer?) -> Nghttp2Session {
  Unmanaged<Nghttp2Session>.fromOpaque(userData!).takeUnretainedValue()
}

private let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, userData in
  guard let frame else { return 0 }
  if frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) {
    session(userData).delegate.sessionBeginHeaders(streamID: frame.pointee.hd.stream_id, category: frame.pointee.headers.cat)
  }
  return 0
}

private let onHeader: nghttp2_on_header_callback = { _, frame, name, nameLen, value, valueLen, _, userData in
  guard let frame, let name, let value else { return 0 }
  let n = String(decoding: UnsafeBufferPointer(start: name, count: nameLen), as: UTF8.self)
  let v = String(decoding: UnsafeBufferPointer(start: value, count: valueLen), as: UTF8.self)
  session(userData).delegate.sessionHeader(streamID: frame.pointee.hd.stream_id, name: n, value: v)
  return 0
}

private let onFrameRecv: nghttp2_on_frame_recv_callback = { _, frame, userData in
  guard let frame else { return 0 }
  session(userData).delegate.sessionFrameReceived(frame)
  return 0
}

private let onFrameSend: nghttp2_on_frame_send_callback = { _, frame, userData in
  guard let frame else { return 0 }
  session(userData).delegate.sessionFrameSent(frame)
  return 0
}

private let onDataChunkRecv: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, len, userData in
  session(userData).delegate.sessionDataChunk(streamID: streamID, data: UnsafeRawBufferPointer(start: data, count: len))
  return 0
}

private let onStreamClose: nghttp2_on_stream_close_callback = { _, streamID, errorCode, userData in
  session(userData).delegate.sessionStreamClosed(streamID: streamID, errorCode: errorCode)
  return 0
}

private let onReadData: nghttp2_data_source_read_callback = { _, streamID, buf, length, flags, _, userData in
  guard let buf, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
  return session(userData).delegate.sessionReadData(
    streamID: streamID, into: UnsafeMutableRawBufferPointer(start: buf, count: length), flags: flags)
}

import Foundation
public import OnveraProto
public import ProtoWire
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How results are printed.
public enum OutputFormat: String, CaseIterable, Sendable {
  /// Tables and sentences for people.
  case table
  /// proto3 JSON for scripts: one object, or one object per line for streams.
  case json
}

/// Writes to stdout and stderr unbuffered, so lines appear at once even through a pipe, and
/// draws the spinner line on a terminal.
public final class Console: Sendable {
  /// Whether stdout is a terminal.
  public let isTerminal: Bool
  /// Whether to use ANSI colours (a terminal, no `--no-color`, no `NO_COLOR`).
  public let useColor: Bool

  private struct SpinnerState {
    var status: String?
    var frame = 0
    var drawn = false
  }
  private let spinner = Mutex(SpinnerState())

  /// A console for this process's stdout.
  public init(noColor: Bool, environment: [String: String]) {
    self.isTerminal = isatty(1) == 1
    self.useColor = isTerminal && !noColor && (environment["NO_COLOR"] ?? "").isEmpty
      && environment["TERM"] != "dumb"
  }

  /// Prints a line to stdout, above the spinner when there is one.
  public func line(_ text: String) {
    spinner.withLock { state in
      var out = state.drawn ? "\r\u{1B}[2K" : ""
      out += text + "\n"
      state.drawn = false
      Self.write(1, out)
    }
  }

  /// Prints a line to stderr.
  public func error(_ text: String) {
    spinner.withLock { state in
      if state.drawn { Self.write(1, "\r\u{1B}[2K") }
      state.drawn = false
      Self.write(2, text + "\n")
    }
  }

  /// Prints without a newline (prompts).
  public func prompt(_ text: String) { Self.write(2, text) }

  /// Sets the text next to the spinner; nil hides the spinner. Only on a terminal.
  public func setSpinner(_ status: String?) {
    guard isTerminal else { return }
    spinner.withLock { state in
      state.status = status
      if status == nil, state.drawn {
        Self.write(1, "\r\u{1B}[2K")
        state.drawn = false
      }
    }
  }

  /// Draws the next spinner frame (called on a timer while following).
  public func tick() {
    guard isTerminal else { return }
    let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    spinner.withLock { state in
      guard let status = state.status else { return }
      state.frame = (state.frame + 1) % frames.count
      Self.write(1, "\r\u{1B}[2K" + colored(frames[state.frame], .cyan) + " " + status)
      state.drawn = true
    }
  }

  /// ANSI colours used.
  public enum Color: String, Sendable {
    case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1", dim = "2"
  }

  /// `text` in `color` when colour is on.
  public func colored(_ text: String, _ color: Color) -> String {
    useColor ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
  }

  private static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += n
    }
  }
}

/// Formatting shared by the commands.
public enum Format {
  /// A table with a header row, columns separated by two spaces.
  public static func table(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func render(_ row: [String]) -> String {
      var line = ""
      for (i, cell) in row.enumerated() {
        line += i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
      }
      return line
    }
    return ([render(header)] + rows.map(render)).joined(separator: "\n")
  }

  /// An enum's proto name without its prefix, lowercased: `PHASE_DATABASE_PROVISIONING` → `database_provisioning`.
  public static func name(_ protoName: String?, prefix: String) -> String {
    guard let protoName else { return "unknown" }
    let trimmed = protoName.hasPrefix(prefix) ? String(protoName.dropFirst(prefix.count)) : protoName
    return trimmed.lowercased()
  }

  /// A duration for people: `45s`, `2m05s`, `1h02m`.
  public static func elapsed(seconds: Int64) -> String {
    let s = max(0, seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(pad2(s % 60))s" }
    return "\(s / 3600)h\(pad2(s / 60 % 60))m"
  }

  /// An age for tables: `5s`, `3m`, `2h`, `4d`.
  public static func age(seconds: Int64) -> String {
    let s = max(0, seconds)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86_400 { return "\(s / 3600)h" }
    return "\(s / 86_400)d"
  }

  private static func pad2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

  /// Seconds since the Unix epoch, now.
  public static func nowSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }

  /// The age of `timestamp` relative to now, `-` when unset.
  public static func age(of timestamp: Google_Protobuf_Timestamp, isSet: Bool) -> String {
    isSet ? age(seconds: nowSeconds() - timestamp.seconds) : "-"
  }

  /// The proto3 JSON of `message`.
  public static func json<M: ProtoMessage>(_ message: M) -> String { ProtoJSONFormat.string(for: message) }

  /// Parses `500ms`, `30s`, `5m`, `2h`, `7d` (a bare number is seconds).
  public static func parseDuration(_ text: String) -> Duration? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      let number = text.dropLast(suffix.count)
      // "ms" also ends in "s": only accept the unit whose number parses.
      if let value = Double(number), value >= 0 { return .milliseconds(Int64((value * factor * 1000).rounded())) }
    }
    if let value = Double(text), value >= 0 { return .milliseconds(Int64((value * 1000).rounded())) }
    return nil
  }
}

extension Onvera_V1_Deployment {
  var statusName: String { Format.name(status.protoName, prefix: "DEPLOYMENT_STATUS_") }
  var appName: String { Format.name(appType.protoName, prefix: "APP_TYPE_") }
}

extension Onvera_V1_Operation {
  var statusName: String { Format.name(status.protoName, prefix: "OPERATION_STATUS_") }
  var typeName: String {
    switch type {
    case .deploymentCreate: "deployment.create"
    case .deploymentDestroy: "deployment.destroy"
    case .userProvision: "user.provision"
    case .userRevoke: "user.revoke"
    default: Format.name(type.protoName, prefix: "OPERATION_TYPE_")
    }
  }
  var phaseName: String { Format.name(phase.protoName, prefix: "PHASE_") }
}

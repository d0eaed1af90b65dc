import Synchronization
import Testing

@testable import OnveraServer

/// The in-flight RPC gauge is decremented exactly once per call, also for a call the
/// transport dropped before its response producer ran (a client reset).
@Suite struct InflightCallTests {
  final class Reports: Sendable {
    let codes = Mutex<[String]>([])
    func add(_ code: String) { codes.withLock { $0.append(code) } }
  }

  @Test func finishedOnceReportsOnce() {
    let reports = Reports()
    do {
      let call = InflightCall { reports.add($0) }
      call.finish("ok")
      call.finish("internalError")
    }
    #expect(reports.codes.withLock { $0 } == ["ok"])
  }

  @Test func droppedWithoutFinishingReportsCancelled() {
    let reports = Reports()
    do {
      _ = InflightCall { reports.add($0) }
    }
    #expect(reports.codes.withLock { $0 } == ["cancelled"])
  }
}

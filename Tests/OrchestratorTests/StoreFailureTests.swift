import OnveraProto
import Synchronization
import Testing

@testable import OnveraStore
@testable import Orchestrator

/// The real file system, with fdatasync failing once `failing` is set.
final class FailingFileSystem: FileSystem {
  let base = PosixFileSystem()
  let failing = Atomic<Bool>(false)

  func makeDirectory(_ path: String) throws { try base.makeDirectory(path) }
  func list(_ directory: String) throws -> [String] { try base.list(directory) }
  func open(_ path: String, mode: OpenMode) throws -> Int32 { try base.open(path, mode: mode) }
  func close(_ fd: Int32) { base.close(fd) }
  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws -> Int {
    try base.pwrite(fd, bytes, at: offset)
  }
  func pread(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8] { try base.pread(fd, count: count, at: offset) }
  func fdatasync(_ fd: Int32) throws {
    if failing.load(ordering: .relaxed) { throw FileSystemError(errno: 5, operation: "fdatasync", path: "") }
    try base.fdatasync(fd)
  }
  func fsync(_ fd: Int32) throws { try base.fsync(fd) }
  func size(_ fd: Int32) throws -> Int64 { try base.size(fd) }
  func truncate(_ fd: Int32, to size: Int64) throws { try base.truncate(fd, to: size) }
  func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
  func unlink(_ path: String) throws { try base.unlink(path) }
  func syncDirectory(_ path: String) throws { try base.syncDirectory(path) }
  func availableBytes(_ path: String) throws -> Int64 { try base.availableBytes(path) }
  func lock(_ path: String) throws -> Int32 { try base.lock(path) }
  func unlock(_ fd: Int32) { base.unlock(fd) }
}

@Suite struct StoreFailureTests {
  /// The store is fail-stop, and so is the orchestrator: every later command is refused with
  /// `unavailable`, watches end with it, waits return, and nothing after the failure is applied.
  @Test func storeFailureStopsCommandsAndWatches() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let fs = FailingFileSystem()
    let store = try Store.open(dataDirectory: dir.path, fileSystem: fs)
    let o = Orchestrator(
      store: store, state: OrchestratorState(), provisioner: simulated(), configuration: testConfiguration())
    let org = try await makeOrganization(o)
    let created = try await create(o, org)
    let revision = await o.revision
    let watch = try await o.watchOperation(organizationID: org, id: created.operation.id)
    let deployments = try await o.watchDeployments(organizationID: org)
    fs.failing.store(true, ordering: .relaxed)
    do {
      _ = try await o.cancelOperation(organizationID: org, id: created.operation.id)
      Issue.record("a change after the store failed must be refused")
    } catch {
      #expect(error.code == .unavailable)
      #expect(error.cause != nil)
    }
    #expect(await !o.isAvailable)
    #expect(await o.revision == revision, "nothing was applied")
    #expect(try await o.operation(organizationID: org, id: created.operation.id).cancelRequested == false)
    await #expect(throws: OrchestratorError.self) { try await create(o, org) }
    await #expect(throws: OrchestratorError.self) { for try await _ in watch {} }
    await #expect(throws: OrchestratorError.self) { for try await _ in deployments {} }
    let op = try await o.waitOperation(organizationID: org, id: created.operation.id)
    #expect(!op.done)
    await o.close()
  }
}

import GRPCCore
import OnveraProto
import OnveraRPC
@testable import OnveraServer
import Orchestrator
import Testing

@Suite struct OperationAPITests {
  @Test func watchFromTheStartAndResumeBySequence() async throws {
    try await APIHarness.with(stepDuration: .milliseconds(5)) { api in
      let created = try await api.create(.airflow, name: "Watched")
      var request = Onvera_V1_WatchOperationRequest()
      request.operationID = created.operationID
      let all = try await api.operations.watchOperation(request, metadata: api.auth()) { response in
        var events: [Onvera_V1_OperationEvent] = []
        for try await event in response.messages where event.kind != .heartbeat { events.append(event) }
        return events
      }
      #expect(all.first?.kind == .snapshot)
      #expect(all.last?.operation.done == true)
      #expect(all.last?.operation.status == .succeeded)
      let sequences = all.map(\.sequence)
      #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
      // Resuming after a sequence of the (done) operation ends with its final state, never repeating an earlier one.
      request.afterSequence = all[1].sequence
      let resumed = try await api.operations.watchOperation(request, metadata: api.auth()) { response in
        var events: [Onvera_V1_OperationEvent] = []
        for try await event in response.messages where event.kind != .heartbeat { events.append(event) }
        return events
      }
      #expect(resumed.allSatisfy { $0.sequence > all[1].sequence })
      #expect(resumed.last?.operation == all.last?.operation)
    }
  }

  @Test func waitReturnsAtTheTimeoutWithTheLatestState() async throws {
    try await APIHarness.with(stepDuration: .seconds(30)) { api in
      let created = try await api.create(.superset, name: "Long")
      var wait = Onvera_V1_WaitOperationRequest()
      wait.operationID = created.operationID
      wait.timeout = Google_Protobuf_Duration(seconds: 0, nanos: 50_000_000)
      let op = try await api.operations.waitOperation(wait, metadata: api.auth())
      #expect(!op.done)
      wait.timeout = Google_Protobuf_Duration(seconds: -1)
      #expect(await failure { _ = try await api.operations.waitOperation(wait, metadata: api.auth()) }?.reason == "VALIDATION_ERROR")
    }
  }

  @Test func cancelStopsACreateAndLeavesTheDeploymentFailed() async throws {
    try await APIHarness.with(stepDuration: .milliseconds(200)) { api in
      let created = try await api.create(.superset, name: "Canceled")
      var cancel = Onvera_V1_CancelOperationRequest()
      cancel.operationID = created.operationID
      let requested = try await api.operations.cancelOperation(cancel, metadata: api.auth())
      #expect(requested.cancelRequested)
      let done = try await api.wait(created.operationID)
      #expect(done.status == .canceled)
      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = created.deploymentID
      let deployment = try await api.deployments.getDeployment(get, metadata: api.auth())
      #expect(deployment.status == .failed)
      #expect(deployment.failure.reason == "OPERATION_CANCELED")
      #expect(await api.orchestrator.resources(deploymentID: created.deploymentID).isEmpty)
      var list = Onvera_V1_ListOperationsRequest()
      list.status = .canceled
      #expect(try await api.operations.listOperations(list, metadata: api.auth()).operations.map(\.id) == [created.operationID])
    }
  }

  @Test func membersComeWithOperations() async throws {
    try await APIHarness.with(stepDuration: .milliseconds(2)) { api in
      let d = try await api.create(.superset, name: "Team")
      _ = try await api.wait(d.operationID)
      var add = Onvera_V1_AddMemberRequest()
      add.email = "ada@acme.test"
      add.role = .admin
      let added = try await api.organizations.addMember(add, metadata: api.auth())
      #expect(added.member.userID.hasPrefix("usr_"))
      let provision = try await api.wait(added.operationID)
      #expect(provision.type == .userProvision)
      #expect(provision.status == .succeeded)
      #expect(provision.steps.contains { $0.resourceID == d.deploymentID })
      let members = try await api.organizations.listMembers(Onvera_V1_ListMembersRequest(), metadata: api.auth())
      #expect(members.members.map(\.email).contains("ada@acme.test"))
      var remove = Onvera_V1_RemoveMemberRequest()
      remove.userID = added.member.userID
      let removed = try await api.organizations.removeMember(remove, metadata: api.auth())
      #expect(try await api.wait(removed.operationID).type == .userRevoke)
      add.email = "not an email"
      #expect(await failure { _ = try await api.organizations.addMember(add, metadata: api.auth()) }?.reason == "VALIDATION_ERROR")
      let org = try await api.organizations.getOrganization(Onvera_V1_GetOrganizationRequest(), metadata: api.auth())
      #expect(org.id == api.organizationID)
    }
  }

  @Test func malformedRequestBytesAreInvalidArgument() async throws {
    try await APIHarness.with { api in
      // A string field holding invalid UTF-8, sent as raw bytes.
      let bytes: [UInt8] = [0x0A, 0x02, 0xC3, 0x28]
      let call = await failure {
        _ = try await api.client.unary(
          request: ClientRequest(message: bytes, metadata: api.auth()),
          descriptor: Onvera_V1_DeploymentService.Method.GetDeployment.descriptor,
          serializer: RawBytes(), deserializer: RawBytes(), options: .defaults
        ) { try $0.message }
      }
      #expect(call?.code == .invalidArgument)
    }
  }
}

/// Bytes as they are, to send what a typed client never would.
struct RawBytes: MessageSerializer, MessageDeserializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}

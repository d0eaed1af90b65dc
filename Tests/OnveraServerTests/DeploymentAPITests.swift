import GRPCCore
import OnveraProto
import OnveraRPC
@testable import OnveraServer
import Orchestrator
import Testing

@Suite struct DeploymentAPITests {
  @Test func createGetListDestroy() async throws {
    try await APIHarness.with { api in
      let created = try await api.create(.airflow, name: "Pipelines")
      #expect(created.deploymentID.hasPrefix("dep_"))
      #expect(created.operationID.hasPrefix("op_"))
      #expect(created.deployment.status == .provisioning)
      #expect(created.operation.steps.map(\.name).contains("airflow_migrations"))
      let done = try await api.wait(created.operationID)
      #expect(done.status == .succeeded)
      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = created.deploymentID
      let ready = try await api.deployments.getDeployment(get, metadata: api.auth())
      #expect(ready.status == .ready)
      #expect(ready.url.hasPrefix("https://pipelines-"))
      let list = try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth())
      #expect(list.deployments.map(\.id) == [created.deploymentID])
      #expect(list.totalSize == 1)
      var destroy = Onvera_V1_DestroyDeploymentRequest()
      destroy.deploymentID = created.deploymentID
      let destroying = try await api.deployments.destroyDeployment(destroy, metadata: api.auth())
      // A second destroy while one is in flight returns the same operation.
      let again = try await api.deployments.destroyDeployment(destroy, metadata: api.auth())
      #expect(again.operationID == destroying.operationID)
      #expect(try await api.wait(destroying.operationID).status == .succeeded)
      #expect(try await api.deployments.getDeployment(get, metadata: api.auth()).status == .destroyed)
      let hidden = try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth())
      #expect(hidden.deployments.isEmpty)
      var all = Onvera_V1_ListDeploymentsRequest()
      all.showDestroyed = true
      #expect(try await api.deployments.listDeployments(all, metadata: api.auth()).deployments.count == 1)
    }
  }

  @Test func validateOnlyCreatesNothing() async throws {
    try await APIHarness.with { api in
      var request = Onvera_V1_CreateDeploymentRequest()
      request.appType = .superset
      request.name = "Dry Run"
      request.validateOnly = true
      let response = try await api.deployments.createDeployment(request, metadata: api.auth())
      #expect(response.operationID.isEmpty)
      let list = try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth())
      #expect(list.deployments.isEmpty)
    }
  }

  @Test func requestIDsMakeRetriesIdempotent() async throws {
    try await APIHarness.with { api in
      let id = "3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f7a8b"
      let first = try await api.create(.superset, name: "Once", requestID: id)
      let retry = try await api.create(.superset, name: "Once", requestID: id)
      #expect(retry.deploymentID == first.deploymentID)
      #expect(retry.operationID == first.operationID)
      let reused = await failure { _ = try await api.create(.airflow, name: "Other", requestID: id) }
      #expect(reused?.code == .invalidArgument)
      #expect(reused?.reason == "REQUEST_ID_REUSED")
      let list = try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth())
      #expect(list.deployments.count == 1)
    }
  }

  @Test func invalidRequestsSayWhatWouldBeRight() async throws {
    try await APIHarness.with { api in
      let noApp = await failure { _ = try await api.create(.unspecified, name: "x") }
      #expect(noApp?.code == .invalidArgument)
      #expect(noApp?.reason == "VALIDATION_ERROR")
      #expect(noApp?.message.contains("APP_TYPE_AIRFLOW or APP_TYPE_SUPERSET") == true)
      let badRequestID = await failure { _ = try await api.create(.superset, requestID: "not-a-uuid") }
      #expect(badRequestID?.reason == "VALIDATION_ERROR")
      let longName = await failure { _ = try await api.create(.superset, name: String(repeating: "n", count: 64)) }
      #expect(longName?.reason == "VALIDATION_ERROR")
      var negative = Onvera_V1_ListDeploymentsRequest()
      negative.pageSize = -1
      let badSize = await failure { _ = try await api.deployments.listDeployments(negative, metadata: api.auth()) }
      #expect(badSize?.reason == "VALIDATION_ERROR")
      var forged = Onvera_V1_ListDeploymentsRequest()
      forged.pageToken = "djF8ZGVwbG95bWVudHN8b3JnX3h8MQ.AAAAAAAAAAAAAAAAAAAAAA"
      let badToken = await failure { _ = try await api.deployments.listDeployments(forged, metadata: api.auth()) }
      #expect(badToken?.reason == "VALIDATION_ERROR")
      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = "dep_00000000-0000-4000-8000-000000000000"
      let missing = await failure { _ = try await api.deployments.getDeployment(get, metadata: api.auth()) }
      #expect(missing?.code == .notFound)
      #expect(missing?.reason == "DEPLOYMENT_NOT_FOUND")
      get.deploymentID = "op_wrong_kind"
      let wrongKind = await failure { _ = try await api.deployments.getDeployment(get, metadata: api.auth()) }
      #expect(wrongKind?.reason == "VALIDATION_ERROR")
      var environment = Onvera_V1_CreateDeploymentRequest()
      environment.appType = .superset
      environment.environmentID = "env_missing"
      let noEnvironment = await failure { _ = try await api.deployments.createDeployment(environment, metadata: api.auth()) }
      #expect(noEnvironment?.reason == "ENVIRONMENT_NOT_FOUND")
    }
  }

  @Test func aSecondMutationWhileOneIsInFlightConflicts() async throws {
    try await APIHarness.with(stepDuration: .seconds(30)) { api in
      let created = try await api.create(.superset, name: "Slow")
      var destroy = Onvera_V1_DestroyDeploymentRequest()
      destroy.deploymentID = created.deploymentID
      let conflict = await failure { _ = try await api.deployments.destroyDeployment(destroy, metadata: api.auth()) }
      #expect(conflict?.code == .failedPrecondition)
      #expect(conflict?.reason == "RESOURCE_CONFLICT")
      #expect(conflict?.message.contains(created.operationID) == true)
    }
  }

  /// 250 deployments paged through while new ones are being created: no duplicates, no gaps.
  @Test func paginationIsStableWhileCreating() async throws {
    try await APIHarness.with(stepDuration: .seconds(30)) { api in
      var ids: [String] = []
      for i in 0..<250 { ids.append(try await api.create(.superset, name: "d\(i)").deploymentID) }
      var seen: [String] = []
      var request = Onvera_V1_ListDeploymentsRequest()
      request.pageSize = 40
      var extra = 0
      repeat {
        let page = try await api.deployments.listDeployments(request, metadata: api.auth())
        #expect(page.deployments.count <= 40)
        seen += page.deployments.map(\.id)
        request.pageToken = page.nextPageToken
        // New deployments arrive between pages; they are newer than the cursor, so not in this listing.
        _ = try await api.create(.airflow, name: "late\(extra)")
        extra += 1
      } while !request.pageToken.isEmpty
      #expect(seen == ids.reversed())
      #expect(Set(seen).count == seen.count)
      // A token is bound to its filters.
      var filtered = request
      filtered.pageToken = try await api.deployments.listDeployments({
        var r = Onvera_V1_ListDeploymentsRequest()
        r.pageSize = 10
        return r
      }(), metadata: api.auth()).nextPageToken
      filtered.appType = .airflow
      let mismatch = await failure { _ = try await api.deployments.listDeployments(filtered, metadata: api.auth()) }
      #expect(mismatch?.reason == "VALIDATION_ERROR")
      var big = Onvera_V1_ListDeploymentsRequest()
      big.pageSize = 1000
      #expect(try await api.deployments.listDeployments(big, metadata: api.auth()).deployments.count == 100)
      #expect(try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth()).deployments.count == 50)
    }
  }

  @Test func watchDeploymentsListsThenFollows() async throws {
    try await APIHarness.with(stepDuration: .milliseconds(5)) { api in
      let first = try await api.create(.superset, name: "Existing")
      _ = try await api.wait(first.operationID)
      let events = try await api.deployments.watchDeployments(Onvera_V1_WatchDeploymentsRequest(), metadata: api.auth()) {
        response in
        var events: [Onvera_V1_DeploymentEvent] = []
        var created: Onvera_V1_CreateDeploymentResponse? = nil
        for try await event in response.messages {
          events.append(event)
          if event.kind == .synced {
            created = try await api.create(.airflow, name: "Live")
          }
          if let created, event.deployment.id == created.deploymentID, event.deployment.status == .ready { break }
        }
        return events
      }
      #expect(events.first?.kind == .added)
      #expect(events.first?.deployment.id == first.deploymentID)
      #expect(events.dropFirst().first?.kind == .synced)
      let live = events.drop { $0.kind != .synced }.dropFirst().filter { $0.kind != .bookmark }
      #expect(live.first?.kind == .added)
      let revisions = live.map(\.revision)
      #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count)
    }
  }
}

import GRPCCore
import OnveraProto
import OnveraRPC
@testable import OnveraServer
import Orchestrator
import Testing

@Suite struct AuthAndIsolationTests {
  @Test func missingInvalidExpiredAndRevokedKeysAreRefused() async throws {
    try await APIHarness.with { api in
      let list = Onvera_V1_ListDeploymentsRequest()
      let missing = await failure { _ = try await api.deployments.listDeployments(list) }
      #expect(missing?.code == .unauthenticated)
      #expect(missing?.reason == "MISSING_API_KEY")
      let invalid = await failure { _ = try await api.deployments.listDeployments(list, metadata: api.auth("onv_sk_live_wrong")) }
      #expect(invalid?.reason == "INVALID_API_KEY")
      // Bearer works as well as x-api-key.
      _ = try await api.deployments.listDeployments(list, metadata: {
        var m = Metadata()
        m.addString("Bearer \(api.key)", forKey: "authorization")
        return m
      }())

      let now = Authenticator.nowSeconds()
      let shortLived = try await api.key(scopes: ["deployments:read"], expire: Google_Protobuf_Timestamp(seconds: now + 2))
      // Expiry is checked against the wall clock; wait on it, bounded.
      let deadline = ContinuousClock.now + .seconds(15)
      var expired: (code: RPCError.Code, reason: String, message: String)? = nil
      while ContinuousClock.now < deadline {
        expired = await failure { _ = try await api.deployments.listDeployments(list, metadata: api.auth(shortLived.secret)) }
        if expired != nil { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(expired?.reason == "API_KEY_EXPIRED")

      let revoked = try await api.key(scopes: ["deployments:read"])
      var revoke = Onvera_V1_RevokeApiKeyRequest()
      revoke.keyID = revoked.apiKey.id
      let record = try await api.organizations.revokeApiKey(revoke, metadata: api.auth())
      #expect(record.hasRevokeTime)
      let refused = await failure { _ = try await api.deployments.listDeployments(list, metadata: api.auth(revoked.secret)) }
      #expect(refused?.reason == "API_KEY_REVOKED")
    }
  }

  @Test func keysAreSecretHashedAndShownOnce() async throws {
    try await APIHarness.with { api in
      let created = try await api.key(scopes: [])
      #expect(created.secret.hasPrefix("onv_sk_live_"))
      #expect(created.secret.count >= "onv_sk_live_".count + 32)
      #expect(created.secret.dropFirst("onv_sk_live_".count).allSatisfy { $0.isLetter || $0.isNumber })
      #expect(Set(created.apiKey.scopes) == Set(Scope.all))
      let listed = try await api.organizations.listApiKeys(Onvera_V1_ListApiKeysRequest(), metadata: api.auth())
      #expect(listed.apiKeys.contains { $0.id == created.apiKey.id && created.secret.hasPrefix($0.prefix) })
      // The server only knows the hash.
      let stored = api.orchestrator.apiKey(secretHash: Authenticator.hash(secret: created.secret))
      #expect(stored?.key.id == created.apiKey.id)
      let badScope = await failure { _ = try await api.key(scopes: ["deployments:everything"]) }
      #expect(badScope?.reason == "VALIDATION_ERROR")
      let past = await failure { _ = try await api.key(scopes: [], expire: Google_Protobuf_Timestamp(seconds: 1)) }
      #expect(past?.reason == "VALIDATION_ERROR")
      // Out of the Timestamp range (the message once overflowed printing it) or bad nanos.
      for (seconds, nanos) in [(Int64.min, Int32(0)), (Int64.max, 0), (253_402_300_800, 0), (4_000_000_000, -1)] {
        let bad = await failure {
          _ = try await api.key(scopes: [], expire: Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos))
        }
        #expect(bad?.code == .invalidArgument && bad?.reason == "VALIDATION_ERROR", "\(seconds) \(nanos): \(String(describing: bad))")
        #expect(bad?.message.contains("0001-01-01 to 9999-12-31") == true)
      }
    }
  }

  /// Each RPC refuses a key without its scope, naming the scope needed.
  @Test func everyRPCEnforcesItsScope() async throws {
    try await APIHarness.with { api in
      let none = try await api.key(scopes: ["org:read"]).secret
      let readOnly = try await api.key(scopes: ["deployments:read", "operations:read", "org:read"]).secret
      let d = try await api.create(.superset, name: "Scoped")
      let checks: [(String, String, @Sendable (String) async throws -> Void)] = [
        ("CreateDeployment", "deployments:write", { key in _ = try await api.create(.superset, key: key) }),
        ("GetDeployment", "deployments:read", { key in
          var r = Onvera_V1_GetDeploymentRequest()
          r.deploymentID = d.deploymentID
          _ = try await api.deployments.getDeployment(r, metadata: api.auth(key))
        }),
        ("ListDeployments", "deployments:read", { key in
          _ = try await api.deployments.listDeployments(Onvera_V1_ListDeploymentsRequest(), metadata: api.auth(key))
        }),
        ("DestroyDeployment", "deployments:delete", { key in
          var r = Onvera_V1_DestroyDeploymentRequest()
          r.deploymentID = d.deploymentID
          _ = try await api.deployments.destroyDeployment(r, metadata: api.auth(key))
        }),
        ("GetOperation", "operations:read", { key in
          var r = Onvera_V1_GetOperationRequest()
          r.operationID = d.operationID
          _ = try await api.operations.getOperation(r, metadata: api.auth(key))
        }),
        ("ListOperations", "operations:read", { key in
          _ = try await api.operations.listOperations(Onvera_V1_ListOperationsRequest(), metadata: api.auth(key))
        }),
        ("CancelOperation", "deployments:write", { key in
          var r = Onvera_V1_CancelOperationRequest()
          r.operationID = d.operationID
          _ = try await api.operations.cancelOperation(r, metadata: api.auth(key))
        }),
        ("AddMember", "org:admin", { key in
          var r = Onvera_V1_AddMemberRequest()
          r.email = "x@acme.test"
          _ = try await api.organizations.addMember(r, metadata: api.auth(key))
        }),
        ("CreateApiKey", "org:admin", { key in
          _ = try await api.organizations.createApiKey(Onvera_V1_CreateApiKeyRequest(), metadata: api.auth(key))
        }),
        ("ListApiKeys", "org:admin", { key in
          _ = try await api.organizations.listApiKeys(Onvera_V1_ListApiKeysRequest(), metadata: api.auth(key))
        }),
      ]
      for (rpc, scope, call) in checks {
        let key = scope.hasSuffix(":read") && scope != "org:read" ? none : readOnly
        let refused = await failure { try await call(key) }
        #expect(refused?.code == .permissionDenied, "\(rpc)")
        #expect(refused?.reason == "INSUFFICIENT_SCOPE", "\(rpc)")
        #expect(refused?.message.contains(scope) == true, "\(rpc): \(refused?.message ?? "")")
      }
      // The environment and organization reads need org:read, which `none` has.
      _ = try await api.environments.listEnvironments(Onvera_V1_ListEnvironmentsRequest(), metadata: api.auth(none))
      _ = try await api.organizations.getOrganization(Onvera_V1_GetOrganizationRequest(), metadata: api.auth(none))
    }
  }

  /// A key of organization A sees nothing of organization B: every id of B is NOT_FOUND, lists show none of it.
  @Test func organizationsAreIsolated() async throws {
    try await APIHarness.with(stepDuration: .seconds(30)) { api in
      var create = Onvera_V1_CreateOrganizationRequest()
      create.name = "Other Co"
      let other = try await api.organizations.createOrganization(create, metadata: api.auth(api.adminKey))
      let theirs = try await api.create(.superset, name: "Theirs", key: other.apiKeySecret)
      let mine = try await api.create(.superset, name: "Mine")
      var get = Onvera_V1_GetDeploymentRequest()
      get.deploymentID = theirs.deploymentID
      let notFound = await failure { _ = try await api.deployments.getDeployment(get, metadata: api.auth()) }
      #expect(notFound?.reason == "DEPLOYMENT_NOT_FOUND")
      // Indistinguishable from an id that never existed.
      get.deploymentID = "dep_00000000-0000-4000-8000-000000000000"
      let never = await failure { _ = try await api.deployments.getDeployment(get, metadata: api.auth()) }
      #expect(never?.code == notFound?.code && never?.reason == notFound?.reason)
      var getOp = Onvera_V1_GetOperationRequest()
      getOp.operationID = theirs.operationID
      #expect(await failure { _ = try await api.operations.getOperation(getOp, metadata: api.auth()) }?.reason == "OPERATION_NOT_FOUND")
      var cancel = Onvera_V1_CancelOperationRequest()
      cancel.operationID = theirs.operationID
      #expect(await failure { _ = try await api.operations.cancelOperation(cancel, metadata: api.auth()) }?.reason == "OPERATION_NOT_FOUND")
      var destroy = Onvera_V1_DestroyDeploymentRequest()
      destroy.deploymentID = theirs.deploymentID
      #expect(await failure { _ = try await api.deployments.destroyDeployment(destroy, metadata: api.auth()) }?.reason == "DEPLOYMENT_NOT_FOUND")
      var watch = Onvera_V1_WatchOperationRequest()
      watch.operationID = theirs.operationID
      #expect(
        await failure {
          try await api.operations.watchOperation(watch, metadata: api.auth()) { response in
            for try await _ in response.messages {}
          }
        }?.reason == "OPERATION_NOT_FOUND")
      var all = Onvera_V1_ListDeploymentsRequest()
      all.showDestroyed = true
      #expect(try await api.deployments.listDeployments(all, metadata: api.auth()).deployments.map(\.id) == [mine.deploymentID])
      let ops = try await api.operations.listOperations(Onvera_V1_ListOperationsRequest(), metadata: api.auth())
      #expect(!ops.operations.contains { $0.id == theirs.operationID })
      // A page token of A is refused for B.
      var paged = Onvera_V1_ListDeploymentsRequest()
      paged.pageSize = 1
      _ = try await api.create(.airflow, name: "Mine 2")
      paged.pageToken = try await api.deployments.listDeployments(paged, metadata: api.auth()).nextPageToken
      #expect(!paged.pageToken.isEmpty)
      let moved = await failure { _ = try await api.deployments.listDeployments(paged, metadata: api.auth(other.apiKeySecret)) }
      #expect(moved?.reason == "VALIDATION_ERROR")
      // Only the admin key creates organizations and environments.
      let notAdmin = await failure { _ = try await api.organizations.createOrganization(create, metadata: api.auth()) }
      #expect(notAdmin?.code == .permissionDenied)
      var environment = Onvera_V1_CreateEnvironmentRequest()
      environment.organizationID = api.organizationID
      environment.name = "Dedicated"
      environment.isolationLevel = .dedicated
      #expect(await failure { _ = try await api.environments.createEnvironment(environment, metadata: api.auth()) }?.code == .permissionDenied)
      let env = try await api.environments.createEnvironment(environment, metadata: api.auth(api.adminKey))
      #expect(env.id.hasPrefix("env_"))
      let envs = try await api.environments.listEnvironments(Onvera_V1_ListEnvironmentsRequest(), metadata: api.auth())
      #expect(Set(envs.environments.map(\.id)) == ["env_default", env.id])
      #expect(try await api.environments.listEnvironments(Onvera_V1_ListEnvironmentsRequest(), metadata: api.auth(other.apiKeySecret)).environments.map(\.id) == ["env_default"])
    }
  }

  @Test func aKeyIsRateLimited() async throws {
    try await APIHarness.with(rateLimit: .init(requestsPerSecond: 0.001, burst: 3)) { api in
      let list = Onvera_V1_ListDeploymentsRequest()
      for _ in 0..<3 { _ = try await api.deployments.listDeployments(list, metadata: api.auth()) }
      let limited = await failure { _ = try await api.deployments.listDeployments(list, metadata: api.auth()) }
      #expect(limited?.code == .resourceExhausted)
      #expect(limited?.reason == "RATE_LIMIT_EXCEEDED")
      // Another key has its own bucket.
      _ = try await api.deployments.listDeployments(list, metadata: api.auth(api.adminKey))
    }
  }
}

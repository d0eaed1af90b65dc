import OnveraProto
import Testing

@testable import Orchestrator

/// Listing deployments without walking all of them: the tombstone count per organization, and
/// pages that stop at their last item when the total is known.
@Suite struct ListPagingTests {
  /// A state of deployments in two organizations, some changed to DESTROYED later, applied one
  /// change at a time as replay does.
  static func state(seed: UInt64) -> OrchestratorState {
    var rng = FastRandom(seed: seed)
    var state = OrchestratorState()
    var ids: [String] = []
    for revision in 1...300 as ClosedRange<UInt64> {
      var change = ChangeRecord()
      if ids.isEmpty || rng.next() % 3 != 0 {
        var d = Onvera_V1_Deployment()
        d.id = "dep_\(revision)"
        d.organizationID = rng.next() % 4 == 0 ? "org_b" : "org_a"
        d.status = rng.next() % 5 == 0 ? .destroyed : .ready
        ids.append(d.id)
        change.deployments = [DeploymentChange(d, created: true)]
      } else {
        var d = state.deployments[ids[Int(rng.next() % UInt64(ids.count))]]!
        d.status = [.destroyed, .ready, .failed][Int(rng.next() % 3)]
        change.deployments = [DeploymentChange(d)]
      }
      state.apply(change, revision: revision)
    }
    return state
  }

  @Test("the tombstone count matches a recount, after replay and after a snapshot restore", arguments: [1, 2, 3] as [UInt64])
  func destroyedCount(seed: UInt64) {
    let state = Self.state(seed: seed)
    var recount: [String: Int] = [:]
    for d in state.deployments.values where d.status == .destroyed { recount[d.organizationID, default: 0] += 1 }
    #expect(state.destroyedCount == recount)
    #expect(!recount.isEmpty)
    let restored = OrchestratorState.restoring(state.snapshotRecord(), revision: state.revision)
    #expect(restored.destroyedCount == recount)
    let same = restored == state
    #expect(same, "the restored state differs from the replayed one")
  }

  @Test("a page with a known total equals the page of a full walk, for every cursor and size", arguments: [1, 2] as [UInt64])
  func pagesWithKnownTotal(seed: UInt64) {
    let state = Self.state(seed: seed)
    for org in ["org_a", "org_b"] {
      let order = state.deploymentOrder[org]!
      for showDestroyed in [false, true] {
        let filter = DeploymentFilter(showDestroyed: showDestroyed)
        let total = order.count - (showDestroyed ? 0 : state.destroyedCount[org] ?? 0)
        let item = { (id: String) -> String? in state.deployments[id].flatMap { filter.matches($0) ? $0.id : nil } }
        for limit in [1, 2, 7, 50, 1000] {
          for before in [nil] + Array(0...order.count) {
            let walked = Orchestrator.page(order: order, before: before, limit: limit, item: item)
            let known = Orchestrator.page(order: order, before: before, limit: limit, total: total, item: item)
            #expect(known.items == walked.items, "\(org) limit \(limit) before \(before as Any)")
            #expect(known.nextCursor == walked.nextCursor, "\(org) limit \(limit) before \(before as Any)")
            #expect(known.totalSize == walked.totalSize, "\(org) showDestroyed \(showDestroyed)")
          }
        }
      }
    }
  }
}

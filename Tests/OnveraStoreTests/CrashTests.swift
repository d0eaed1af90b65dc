import Testing
@testable import OnveraStore

/// Power loss at every file-system call of a seeded workload, under every crash model.
@Suite struct CrashTests {
  /// A record payload names its append and its place in an atomic group, so recovery can be
  /// checked without knowing in which order concurrent appends were batched.
  static func encode(id: Int, index: Int, count: Int, size: Int) -> [UInt8] {
    var bytes = [UInt8(id & 0xFF), UInt8(id >> 8), UInt8(index), UInt8(count)]
    bytes += payload(id * 8 + index, size: size)
    return bytes
  }

  struct Outcome {
    /// revision -> (append id, index in group) for every acknowledged record.
    var acknowledged: [UInt64: [UInt8]] = [:]
    var snapshotsTaken: [UInt64] = []
  }

  /// The workload: sequential and concurrent appends, atomic groups, snapshots (with compaction).
  /// Stops at the first error (the crash); records what was acknowledged before it.
  static func workload(_ fs: SimulatedFileSystem, seed: UInt64, config: Store.Configuration) async -> Outcome {
    var outcome = Outcome()
    var rng = SeededRandom(seed: seed)
    guard let opened = try? openStore(fs, config) else { return outcome }
    let store = opened.store
    var id = 0
    var state: [[UInt8]] = []
    func snapshotBytes(_ records: [[UInt8]]) -> [UInt8] {
      var b: [UInt8] = []
      for r in records { b += [UInt8(r.count)] + r }
      return b
    }
    do {
      for step in 0..<14 {
        let kind = Int.random(in: 0..<10, using: &rng)
        if kind < 5 {
          id += 1
          let count = Int.random(in: 1...3, using: &rng)
          let records = (0..<count).map {
            Record(type: 1, payload: encode(id: id, index: $0, count: count, size: Int.random(in: 0...90, using: &rng)))
          }
          let range = try await store.append(contentsOf: records)
          for (r, rec) in zip(range, records) { outcome.acknowledged[r] = rec.payload }
          state += records.map(\.payload)
        } else if kind < 8 {
          let firstID = id + 1
          id += 4
          let results = try await withThrowingTaskGroup(of: [(UInt64, [UInt8])].self) { group in
            for k in 0..<4 {
              let p = encode(id: firstID + k, index: 0, count: 1, size: 10 * k + step)
              group.addTask { [(try await store.append(Record(type: 2, payload: p)), p)] }
            }
            var all: [(UInt64, [UInt8])] = []
            for try await r in group { all += r }
            return all
          }
          for (r, p) in results.sorted(by: { $0.0 < $1.0 }) {
            outcome.acknowledged[r] = p
            state.append(p)
          }
        } else {
          let revision = store.durableRevision
          if revision > (outcome.snapshotsTaken.last ?? 0) {
            try await store.writeSnapshot(at: revision, bytes: snapshotBytes(Array(state.prefix(Int(revision)))))
            outcome.snapshotsTaken.append(revision)
          }
        }
        // A spare started in this step is ready before the next: the log rolls into spares.
        await store.spareSettled()
      }
    } catch {}
    await store.close()
    return outcome
  }

  static func decodeSnapshot(_ bytes: [UInt8]) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var i = 0
    while i < bytes.count {
      let n = Int(bytes[i])
      result.append(Array(bytes[(i + 1)..<(i + 1 + n)]))
      i += 1 + n
    }
    return result
  }

  /// Recovers `image` and checks the promises against what the workload saw acknowledged.
  static func check(
    _ image: SimulatedFileSystem, _ outcome: Outcome, _ config: Store.Configuration, _ context: String
  ) async throws {
    let recovered: Opened
    do {
      recovered = try openStore(image, config)
    } catch {
      Issue.record("\(context): recovery failed: \(error)")
      return
    }
    await recovered.store.close()
    // State = snapshot + replayed records: must be revisions 1...k for some k.
    var state = recovered.snapshot.map { Self.decodeSnapshot($0.bytes) } ?? []
    #expect(UInt64(state.count) == (recovered.snapshot?.revision ?? 0), "\(context)")
    state += recovered.records.map(\.payload)
    for (i, r) in recovered.records.enumerated() {
      #expect(r.revision == (recovered.snapshot?.revision ?? 0) + UInt64(i) + 1, "\(context)")
    }
    let head = UInt64(state.count)
    for (revision, p) in outcome.acknowledged {
      #expect(revision <= head, "\(context): acknowledged revision \(revision) lost (recovered \(head))")
      if revision <= head { #expect(state[Int(revision - 1)] == p, "\(context): revision \(revision) differs") }
    }
    // Every record is one that was submitted, and atomic groups are whole.
    var i = 0
    while i < state.count {
      let count = Int(state[i][3])
      #expect(i + count <= state.count, "\(context): atomic append cut at revision \(i + 1)")
      for k in 0..<min(count, state.count - i) {
        #expect(state[i + k][0] == state[i][0] && state[i + k][2] == UInt8(k), "\(context): group broken")
      }
      i += max(count, 1)
    }
    // A second recovery of the recovered image finds nothing more to cut.
    let again = try openStore(image, config)
    #expect(UInt64(again.records.count) + (again.snapshot?.revision ?? 0) == head, "\(context)")
    await again.store.close()
  }

  @Test(
    "power loss at every operation under every crash model keeps every acknowledged revision",
    arguments: [false, true])
  func powerLossAtEveryOperation(spareSegments: Bool) async throws {
    var config = smallConfiguration(segmentSize: 400, maxBatchBytes: 4096)
    config.historyWindow = 4
    // With spares, the spare thread's calls interleave with the writer's, so a crash point
    // falls at a different call from run to run; every run must still recover.
    config.spareSegments = spareSegments
    if spareSegments { config.preallocationBytes = 128 }
    for seed: UInt64 in [1, 2] {
      let dry = SimulatedFileSystem()
      _ = await Self.workload(dry, seed: seed, config: config)
      let total = dry.mutationCount
      #expect(total > 50)
      let spareRolls = dry.operations.filter { $0.hasPrefix("rename \(dataDir)/\(Format.spareName)") }.count
      #expect(spareSegments ? spareRolls > 0 : spareRolls == 0, "rolls into a spare: \(spareRolls)")
      for crashPoint in 0...total {
        for model in SimulatedFileSystem.CrashModel.allCases {
          let fs = SimulatedFileSystem()
          fs.crash(afterMutations: crashPoint)
          let outcome = await Self.workload(fs, seed: seed, config: config)
          let image = fs.crashImage(model, seed: seed &* 1000 &+ UInt64(crashPoint))
          try await Self.check(image, outcome, config, "seed \(seed) crash at \(crashPoint)/\(total) model \(model)")
        }
      }
    }
  }

  @Test("power loss during recovery itself, at every operation, under every crash model")
  func powerLossDuringRecovery() async throws {
    var config = smallConfiguration(segmentSize: 400, maxBatchBytes: 4096)
    config.historyWindow = 4
    let seed: UInt64 = 3
    let dry = SimulatedFileSystem()
    _ = await Self.workload(dry, seed: seed, config: config)
    var recoveriesWithWork = 0
    for crashPoint in stride(from: 0, through: dry.mutationCount, by: 2) {
      for model in [SimulatedFileSystem.CrashModel.tearLastWrite, .keepRandomSectors] {
        let fs = SimulatedFileSystem()
        fs.crash(afterMutations: crashPoint)
        let outcome = await Self.workload(fs, seed: seed, config: config)
        let image = fs.crashImage(model, seed: UInt64(crashPoint))
        // A fresh image holds only durable state, so imaging it again makes an exact copy.
        let probe = image.crashImage(.dropUnsynced, seed: 0)
        guard let o = try? openStore(probe, config) else { continue }
        await o.store.close()
        let recoveryMutations = probe.mutationCount
        if recoveryMutations > 0 { recoveriesWithWork += 1 }
        for k in 0..<recoveryMutations {
          for second in SimulatedFileSystem.CrashModel.allCases {
            let copy = image.crashImage(.dropUnsynced, seed: 0)
            copy.crash(afterMutations: k)
            if let o = try? openStore(copy, config) { await o.store.close() }
            let context = "crash at \(crashPoint) \(model), then during recovery at \(k) \(second)"
            try await Self.check(copy.crashImage(second, seed: UInt64(k)), outcome, config, context)
          }
        }
      }
    }
    #expect(recoveriesWithWork > 10)
  }
}

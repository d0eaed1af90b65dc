// Codec benchmark: ProtoWire/OnveraProto against libprotobuf-c, same messages,
// same run. Built in release mode by tools/bench/codec.
import COnveraProtobufC
import OnveraProto

func timestamp(_ s: Int64) -> Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(seconds: s, nanos: 123_456_789) }

func sampleOperation() -> Onvera_V1_Operation {
  var op = Onvera_V1_Operation()
  op.id = "op_5b0c8f1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"
  op.type = .deploymentCreate
  op.status = .running
  op.resourceID = "dep_3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f7a8b"
  op.organizationID = "org_9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
  op.phase = .applicationBootstrap
  op.message = "Running Airflow database migrations"
  let names: [(String, Onvera_V1_Phase)] = [
    ("initialization", .initialization), ("database_provisioning", .databaseProvisioning),
    ("infrastructure_provisioning", .infrastructureProvisioning), ("application_bootstrap", .applicationBootstrap),
    ("airflow_migrations", .applicationBootstrap), ("airflow_health_check", .applicationBootstrap),
    ("user_provisioning", .applicationBootstrap), ("subdomain_configuration", .subdomainConfiguration),
  ]
  for (i, (name, phase)) in names.enumerated() {
    var step = Onvera_V1_OperationStep()
    step.name = name
    step.phase = phase
    step.status = i < 4 ? .succeeded : (i == 4 ? .running : .pending)
    step.message = i < 4 ? "Completed \(name)" : "Waiting"
    step.attempt = 1
    step.startTime = timestamp(1_790_000_000 + Int64(i) * 3)
    if i < 4 { step.endTime = timestamp(1_790_000_003 + Int64(i) * 3) }
    step.resourceID = "dep_3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f7a8b"
    op.steps.append(step)
  }
  var failure = Onvera_V1_Failure()
  failure.code = 14
  failure.reason = "INFRASTRUCTURE_PROVISIONING_FAILED"
  failure.message = "Could not allocate nodes in zone eu-west-1a"
  failure.phase = .infrastructureProvisioning
  failure.metadata = ["zone": "eu-west-1a", "attempts": "3"]
  op.error = failure
  op.createTime = timestamp(1_790_000_000)
  op.startTime = timestamp(1_790_000_001)
  op.endTime = timestamp(1_790_000_030)
  op.sequence = 17
  op.stalled = true
  op.cancelRequested = true
  return op
}

func sampleList() -> Onvera_V1_ListDeploymentsResponse {
  var list = Onvera_V1_ListDeploymentsResponse()
  for i in 0..<100 {
    var d = Onvera_V1_Deployment()
    d.id = "dep_3f2a9c1e-0b7d-4e8a-9f11-2c4d5e6f\(String(1000 + i))"
    d.name = "Analytics Superset \(i)"
    d.appType = i % 2 == 0 ? .superset : .airflow
    d.status = .ready
    d.phase = .ready
    d.url = "https://analytics-superset-\(i)-abc123.onvera.local"
    d.subdomain = "analytics-superset-\(i)-abc123"
    d.environmentID = "env_default"
    d.organizationID = "org_9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
    d.createTime = timestamp(1_790_000_000 + Int64(i))
    d.updateTime = timestamp(1_790_000_100 + Int64(i))
    d.operationID = i % 10 == 0 ? "op_5b0c8f1e-2d3a-4c5b-9e8f-7a6b5c4d\(String(1000 + i))" : ""
    d.etag = "W/\"\(String(UInt64(i) &* 0x9E37_79B9_7F4A_7C15, radix: 16))\""
    d.revision = UInt64(10_000 + i)
    list.deployments.append(d)
  }
  list.nextPageToken = "eyJvcmciOiJvcmdfOWQ4YyIsImFmdGVyIjoiZGVwXzNmMmEifQ"
  list.totalSize = 250
  return list
}

struct Row {
  var name: String
  var bytes: Int
  var seconds: Double
  var count: Int
  var messagesPerSecond: Double { Double(count) / seconds }
  var megabytesPerSecond: Double { Double(bytes * count) / seconds / 1_000_000 }
}

/// Times `swift` and `reference` in alternating rounds of `count` calls and
/// keeps each one's best round, so load from other processes hits both alike.
func compare(bytes: Int, count: Int, rounds: Int = 15, _ swift: () -> Int, _ reference: () -> Int) -> (Row, Row) {
  var sink = 0
  var best = (Double.infinity, Double.infinity)
  func time(_ body: () -> Int) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<count { sink &+= body() }
    let d = start.duration(to: clock.now)
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }
  for _ in 0..<rounds {
    best.0 = min(best.0, time(swift))
    best.1 = min(best.1, time(reference))
  }
  if sink == 42 { print("") }  // keeps the work observable
  return (
    Row(name: "swift", bytes: bytes, seconds: best.0, count: count),
    Row(name: "reference", bytes: bytes, seconds: best.1, count: count)
  )
}

func format(_ v: Double) -> String {
  let rounded = (v * 10).rounded() / 10
  return rounded >= 1000 ? String(Int(rounded)) : String(rounded)
}

/// The five measured operations on one message, Swift and libprotobuf-c.
struct Workloads {
  var label: String
  var size: Int
  var swiftDecode: () -> Int
  var cDecode: () -> Int
  var swiftEncode: () -> Int
  var swiftEncodeInto: () -> Int
  var cEncode: () -> Int

  var byName: [String: () -> Int] {
    [
      "swift-decode": swiftDecode, "c-decode": cDecode, "swift-encode": swiftEncode,
      "swift-encode-into": swiftEncodeInto, "c-encode": cEncode, "none": { 0 },
    ]
  }
}

func workloads<M: ProtoMessage>(_ label: String, _ message: M) -> Workloads {
  let bytes = message.serializedBytes()
  guard let descriptor = onvera_pbc_find(M.protoMessageName) else { fatalError("no descriptor") }
  // Sanity: libprotobuf-c reads our bytes and Swift reads its bytes.
  let cMessage = bytes.withUnsafeBufferPointer { onvera_pbc_unpack_with(descriptor, $0.baseAddress, $0.count) }!
  let cSize = onvera_pbc_packed_size(cMessage)
  var cBuffer = [UInt8](repeating: 0, count: cSize)
  _ = cBuffer.withUnsafeMutableBufferPointer { onvera_pbc_pack(cMessage, $0.baseAddress!) }
  precondition((try? M(serializedBytes: cBuffer)) == message, "libprotobuf-c round trip differs")
  // Lives as long as the process: the benchmark is short-lived.
  let out = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
  return Workloads(
    label: label, size: bytes.count,
    swiftDecode: { (try? M(serializedBytes: bytes)) == nil ? 0 : 1 },
    cDecode: {
      let m = bytes.withUnsafeBufferPointer { onvera_pbc_unpack_with(descriptor, $0.baseAddress, $0.count) }
      onvera_pbc_free(m)
      return 1
    },
    swiftEncode: { message.serializedBytes().count },
    swiftEncodeInto: { message.serialize(into: out) },
    cEncode: {
      out.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: bytes.count) { p in
        _ = onvera_pbc_packed_size(cMessage)
        return onvera_pbc_pack(cMessage, p)
      }
    })
}

func table(_ w: Workloads, count: Int) -> [String] {
  let (swiftDecode, cDecode) = compare(bytes: w.size, count: count, w.swiftDecode, w.cDecode)
  let (swiftEncode, cEncode) = compare(bytes: w.size, count: count, w.swiftEncode, w.cEncode)
  let (swiftEncodeInto, cEncode2) = compare(bytes: w.size, count: count, w.swiftEncodeInto, w.cEncode)
  func line(_ what: String, _ s: Row, _ c: Row) -> String {
    let ratio = s.messagesPerSecond / c.messagesPerSecond
    return "| \(w.label) | \(what) | \(format(s.messagesPerSecond)) | \(format(s.megabytesPerSecond)) | \(format(c.messagesPerSecond)) | \(format(c.megabytesPerSecond)) | \(String(format: ratio)) |"
  }
  return [
    line("decode", swiftDecode, cDecode),
    line("encode to a new array", swiftEncode, cEncode),
    line("encode into a buffer", swiftEncodeInto, cEncode2),
  ]
}

extension String {
  init(format ratio: Double) { self = String((ratio * 100).rounded() / 100) + "x" }
}

let all = ["operation": workloads("Operation (8 steps)", sampleOperation()), "list": workloads("ListDeploymentsResponse (100)", sampleList())]
let arguments = CommandLine.arguments
if arguments.count == 4 && arguments[1] == "--run" {
  // `--run operation:swift-decode 1000`: one workload alone, for instruction counting under callgrind.
  let parts = arguments[2].split(separator: ":").map(String.init)
  guard parts.count == 2, let w = all[parts[0]], let body = w.byName[parts[1]], let n = Int(arguments[3]) else {
    fatalError("usage: --run <operation|list>:<swift-decode|c-decode|swift-encode|swift-encode-into|c-encode|none> COUNT")
  }
  var sink = 0
  for _ in 0..<n { sink &+= body() }
  if sink == 42 { print("") }
} else {
  print("Codec benchmark (release build): ProtoWire/OnveraProto vs libprotobuf-c \(String(cString: protobuf_c_version()))")
  print("Swift and libprotobuf-c timed in alternating rounds, best of 15 each. Ratio = Swift messages/s / libprotobuf-c messages/s (higher is better for Swift).")
  print("libprotobuf-c encode = protobuf_c_message_get_packed_size + protobuf_c_message_pack into a reused buffer;")
  print("its decode = protobuf_c_message_unpack + protobuf_c_message_free_unpacked.")
  print("")
  print("Operation with 8 steps: \(all["operation"]!.size) bytes; ListDeploymentsResponse with 100 deployments: \(all["list"]!.size) bytes")
  print("")
  print("| message | operation | Swift msg/s | Swift MB/s | protobuf-c msg/s | protobuf-c MB/s | ratio |")
  print("| --- | --- | --- | --- | --- | --- | --- |")
  for row in table(all["operation"]!, count: 20_000) { print(row) }
  for row in table(all["list"]!, count: 400) { print(row) }
}

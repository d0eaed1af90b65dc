import OnveraProto

extension Orchestrator {
  /// The durable state as JSON, for offline checks (`onvera-server inspect`): the revision,
  /// every organization's deployments and operations, the provisioned resources and the
  /// idempotency table. Field names are the proto field names; enums are their proto names.
  public func inspectionJSON() -> String {
    let state = durable
    var out = "{\n  \"revision\": \(state.revision),\n  \"deployments\": ["
    var first = true
    func item(_ fields: [(String, String)]) {
      out += (first ? "\n    {" : ",\n    {")
      first = false
      out += fields.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ")
      out += "}"
    }
    func section(_ name: String, _ body: () -> Void) {
      out += "\n  ],\n  \(quote(name)): ["
      first = true
      body()
    }
    for org in state.organizationOrder {
      for id in state.deploymentOrder[org] ?? [] {
        guard let d = state.deployments[id] else { continue }
        item([
          ("id", quote(d.id)), ("name", quote(d.name)), ("organization_id", quote(d.organizationID)),
          ("environment_id", quote(d.environmentID)), ("app_type", quote(name(d.appType))),
          ("status", quote(name(d.status))), ("phase", quote(name(d.phase))),
          ("operation_id", quote(d.operationID)), ("subdomain", quote(d.subdomain)), ("revision", "\(d.revision)"),
        ])
      }
    }
    section("operations") {
      for org in state.organizationOrder {
        for id in state.operationOrder[org] ?? [] {
          guard let op = state.operations[id] else { continue }
          item([
            ("id", quote(op.id)), ("type", quote(name(op.type))), ("status", quote(name(op.status))),
            ("done", "\(op.done)"), ("resource_id", quote(op.resourceID)),
            ("organization_id", quote(op.organizationID)), ("sequence", "\(op.sequence)"),
          ])
        }
      }
    }
    section("resources") {
      for resource in Self.resources(in: state, deploymentID: nil) {
        item([("kind", quote(resource.kind)), ("id", quote(resource.id)), ("deployment_id", quote(resource.deploymentID))])
      }
    }
    section("idempotency") {
      for key in state.idempotency.keys.sorted() {
        let entry = state.idempotency[key]!
        item([
          ("organization_id", quote(entry.organizationID)), ("request_id", quote(entry.requestID)),
          ("deployment_id", quote(entry.deploymentID)), ("operation_id", quote(entry.operationID)),
        ])
      }
    }
    out += "\n  ]\n}\n"
    return out
  }
}

private func quote(_ s: String) -> String { ProtoJSONFormat.quote(s) }

private func name<E: ProtoEnum>(_ value: E) -> String { value.protoName ?? "\(value.rawValue)" }

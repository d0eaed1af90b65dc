import ArgumentParser
import Foundation
import OnveraProto
import OnveraRPC

// MARK: - ops

struct Ops: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Operations: list, get, watch, wait, cancel.",
    subcommands: [ListOps.self, GetOp.self, WatchOp.self, WaitOp.self, CancelOp.self])

  static func row(_ o: Onvera_V1_Operation) -> [String] {
    [o.id, o.typeName, o.statusName, o.resourceID, o.phaseName, Format.age(of: o.createTime, isSet: o.hasCreateTime)]
  }
  static let header = ["ID", "TYPE", "STATUS", "RESOURCE", "PHASE", "AGE"]

  static func show(_ o: Onvera_V1_Operation, console: Console, format: OutputFormat) {
    if format == .json {
      console.line(Format.json(o))
      return
    }
    console.line("ID:        \(o.id)")
    console.line("Type:      \(o.typeName)")
    console.line("Status:    \(o.statusName)")
    console.line("Resource:  \(o.resourceID)")
    console.line("Phase:     \(o.phaseName)")
    console.line("Message:   \(o.message)")
    if o.hasError { console.line("Error:     \(o.error.reason): \(o.error.message)") }
    if !o.steps.isEmpty {
      console.line("Steps:")
      for step in o.steps {
        console.line("  \(step.name.padding(toLength: 28, withPad: " ", startingAt: 0))\(Format.name(step.status.protoName, prefix: "STEP_STATUS_"))")
      }
    }
  }

  struct ListOps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List operations, newest first.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "queued, running, succeeded, failed or canceled.") var status: OperationStatusArgument?
    @Option(help: "deployment.create, deployment.destroy, user.provision or user.revoke.") var type: OperationTypeArgument?
    @Option(help: "Only operations on this resource (dep_... or usr_...).") var resource: String?

    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_ListOperationsRequest()
        request.pageSize = 100
        request.status = status?.proto ?? .unspecified
        request.type = type?.proto ?? .unspecified
        request.resourceID = resource ?? ""
        var collected = Onvera_V1_ListOperationsResponse()
        repeat {
          let page = try await api.operations.listOperations(request, metadata: api.metadata)
          collected.operations += page.operations
          collected.totalSize = page.totalSize
          request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        if format == .json {
          console.line(Format.json(collected))
        } else if collected.operations.isEmpty {
          console.line("No operations.")
        } else {
          console.line(Format.table(Ops.header, collected.operations.map(Ops.row)))
        }
      }
    }
  }

  struct GetOp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one operation and its steps.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The operation id (op_...).") var operationID: String
    func validate() throws { try validateID(operationID, prefix: "op_", what: "an operation id") }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_GetOperationRequest()
        request.operationID = operationID
        Ops.show(try await api.operations.getOperation(request, metadata: api.metadata), console: console, format: format)
      }
    }
  }

  struct WatchOp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Follow an operation until it is done.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The operation id (op_...).") var operationID: String
    @Option(help: "Stop following after this long: 30s, 10m.") var timeout: DurationArgument?
    func validate() throws { try validateID(operationID, prefix: "op_", what: "an operation id") }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        let operation = try await follow(operationID, api: api, console: console, format: format, timeout: timeout)
        guard operation.status == .succeeded else { throw operationFailure(operation, console: console, format: format) }
        if format == .table { console.line(console.colored("Operation \(operation.id) succeeded.", .green)) }
      }
    }
  }

  struct WaitOp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait until an operation is done, then show it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The operation id (op_...).") var operationID: String
    @Option(help: "Give up after this long: 30s, 10m (default 10m).") var timeout: DurationArgument?
    func validate() throws { try validateID(operationID, prefix: "op_", what: "an operation id") }
    func run() async throws {
      let format = global.output
      let limit = timeout?.duration ?? .seconds(600)
      try await global.withAPI { api, console in
        var request = Onvera_V1_WaitOperationRequest()
        request.operationID = operationID
        var wire = Google_Protobuf_Duration()
        wire.seconds = limit.components.seconds
        wire.nanos = Int32(limit.components.attoseconds / 1_000_000_000)
        request.timeout = wire
        let operation = try await api.operations.waitOperation(request, metadata: api.metadata)
        Ops.show(operation, console: console, format: format)
        guard operation.done else {
          throw OnveraCLIError(code: .api, message: "operation \(operationID) is still \(operation.statusName) after the timeout")
        }
        // The failure is already on screen in the operation's details; only the exit status is left.
        if operation.status != .succeeded { throw operationFailure(operation, console: console, format: .json) }
      }
    }
  }

  struct CancelOp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Ask a queued or running operation to stop.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The operation id (op_...).") var operationID: String
    func validate() throws { try validateID(operationID, prefix: "op_", what: "an operation id") }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_CancelOperationRequest()
        request.operationID = operationID
        let operation = try await api.operations.cancelOperation(request, metadata: api.metadata)
        if format == .json {
          console.line(Format.json(operation))
        } else {
          console.line("Cancellation requested for \(operation.id) (status: \(operation.statusName)).")
        }
      }
    }
  }
}

// MARK: - envs

struct Envs: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Environments.", subcommands: [ListEnvs.self])

  struct ListEnvs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List environments.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_ListEnvironmentsRequest()
        request.pageSize = 100
        var collected = Onvera_V1_ListEnvironmentsResponse()
        repeat {
          let page = try await api.environments.listEnvironments(request, metadata: api.metadata)
          collected.environments += page.environments
          request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        if format == .json {
          console.line(Format.json(collected))
          return
        }
        let rows = collected.environments.map { e in
          [e.id, e.name, e.slug, Format.name(e.isolationLevel.protoName, prefix: "ISOLATION_LEVEL_"),
           Format.age(of: e.createTime, isSet: e.hasCreateTime)]
        }
        console.line(Format.table(["ID", "NAME", "SLUG", "ISOLATION", "AGE"], rows))
      }
    }
  }
}

// MARK: - members

struct Members: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Organization members.", subcommands: [ListMembers.self, AddMember.self, RemoveMember.self])

  struct ListMembers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List members.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_ListMembersRequest()
        request.pageSize = 100
        var collected = Onvera_V1_ListMembersResponse()
        repeat {
          let page = try await api.organizations.listMembers(request, metadata: api.metadata)
          collected.members += page.members
          request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        if format == .json {
          console.line(Format.json(collected))
          return
        }
        let rows = collected.members.map { m in
          [m.userID, m.email, Format.name(m.role.protoName, prefix: "MEMBER_ROLE_"), Format.age(of: m.createTime, isSet: m.hasCreateTime)]
        }
        console.line(Format.table(["USER ID", "EMAIL", "ROLE", "AGE"], rows))
      }
    }
  }

  struct AddMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a member; they are provisioned into every deployment.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The member's email address.") var email: String
    @Option(help: "owner, admin, member or viewer.") var role: RoleArgument = .member
    func validate() throws {
      guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
        throw ValidationError("expected an email address, got '\(email)'")
      }
    }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_AddMemberRequest()
        request.email = email
        request.role = role.proto
        let response = try await api.organizations.addMember(request, metadata: api.metadata)
        if format == .json {
          console.line(Format.json(response))
        } else {
          console.line("Added \(response.member.email) as \(role.rawValue) (\(response.member.userID)).")
          if !response.operationID.isEmpty { console.line("Operation ID: \(response.operationID)") }
        }
      }
    }
  }

  struct RemoveMember: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a member; their access is revoked everywhere.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The member's user id (usr_...).") var userID: String
    func validate() throws { try validateID(userID, prefix: "usr_", what: "a user id") }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_RemoveMemberRequest()
        request.userID = userID
        let response = try await api.organizations.removeMember(request, metadata: api.metadata)
        if format == .json {
          console.line(Format.json(response))
        } else {
          console.line("Removed \(userID).")
          if !response.operationID.isEmpty { console.line("Operation ID: \(response.operationID)") }
        }
      }
    }
  }
}

// MARK: - keys

struct Keys: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "API keys.", subcommands: [ListKeys.self, CreateKey.self, RevokeKey.self])

  static let scopes = [
    "deployments:read", "deployments:write", "deployments:delete", "operations:read", "org:read", "org:admin",
  ]

  struct ListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (never their secrets).")
    @OptionGroup var global: GlobalOptions
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_ListApiKeysRequest()
        request.pageSize = 100
        var collected = Onvera_V1_ListApiKeysResponse()
        repeat {
          let page = try await api.organizations.listApiKeys(request, metadata: api.metadata)
          collected.apiKeys += page.apiKeys
          request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        if format == .json {
          console.line(Format.json(collected))
          return
        }
        let rows = collected.apiKeys.map { k in
          [k.id, k.name, k.prefix, k.scopes.joined(separator: ","),
           k.hasRevokeTime ? "revoked" : (k.hasExpireTime ? "expires " + k.expireTime.rfc3339 : "active"),
           Format.age(of: k.createTime, isSet: k.hasCreateTime)]
        }
        console.line(Format.table(["ID", "NAME", "PREFIX", "SCOPES", "STATE", "AGE"], rows))
      }
    }
  }

  struct CreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an API key; its secret is shown once.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A name for the key.") var name: String
    @Option(parsing: .upToNextOption, help: "Scopes (default: all of yours): \(Keys.scopes.joined(separator: ", ")).")
    var scope: [String] = []
    @Option(help: "Expire after this long: 30d, 12h.") var expires: DurationArgument?
    func validate() throws {
      for s in scope where !Keys.scopes.contains(s) {
        throw ValidationError("unknown scope '\(s)'; scopes are \(Keys.scopes.joined(separator: ", "))")
      }
      if name.isEmpty { throw ValidationError("the key needs a name") }
    }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_CreateApiKeyRequest()
        request.name = name
        request.scopes = scope
        if let expires {
          var t = Google_Protobuf_Timestamp()
          t.seconds = Format.nowSeconds() + expires.duration.components.seconds
          request.expireTime = t
        }
        let response = try await api.organizations.createApiKey(request, metadata: api.metadata)
        if format == .json {
          console.line(Format.json(response))
        } else {
          console.line("Created key \(response.apiKey.id) (\(response.apiKey.scopes.joined(separator: ","))).")
          console.line("Secret (shown once, store it now): \(response.secret)")
        }
      }
    }
  }

  struct RevokeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key (final).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key id (key_...).") var keyID: String
    func validate() throws { try validateID(keyID, prefix: "key_", what: "a key id") }
    func run() async throws {
      let format = global.output
      try await global.withAPI { api, console in
        var request = Onvera_V1_RevokeApiKeyRequest()
        request.keyID = keyID
        let key = try await api.organizations.revokeApiKey(request, metadata: api.metadata)
        if format == .json {
          console.line(Format.json(key))
        } else {
          console.line("Revoked \(key.id) (\(key.name)).")
        }
      }
    }
  }
}

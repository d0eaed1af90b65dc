import OnveraProto
import ProtoWire
import TestSupport

/// Every message type of the contract (and the wire-test proto), by full name.
let allMessageTypes: [any ProtoMessage.Type] = [
  Google_Protobuf_Timestamp.self, Google_Protobuf_Duration.self,
  Onvera_V1_Failure.self, Onvera_V1_Deployment.self, Onvera_V1_OperationStep.self, Onvera_V1_Operation.self,
  Onvera_V1_Environment.self, Onvera_V1_Organization.self, Onvera_V1_Member.self, Onvera_V1_ApiKey.self,
  Onvera_V1_OperationEvent.self, Onvera_V1_DeploymentEvent.self,
  Onvera_V1_CreateDeploymentRequest.self, Onvera_V1_CreateDeploymentResponse.self,
  Onvera_V1_GetDeploymentRequest.self, Onvera_V1_ListDeploymentsRequest.self,
  Onvera_V1_ListDeploymentsResponse.self, Onvera_V1_DestroyDeploymentRequest.self,
  Onvera_V1_DestroyDeploymentResponse.self, Onvera_V1_WatchDeploymentsRequest.self,
  Onvera_V1_ListEnvironmentsRequest.self, Onvera_V1_ListEnvironmentsResponse.self,
  Onvera_V1_GetEnvironmentRequest.self, Onvera_V1_CreateEnvironmentRequest.self,
  Onvera_V1_GetOperationRequest.self, Onvera_V1_ListOperationsRequest.self,
  Onvera_V1_ListOperationsResponse.self, Onvera_V1_WatchOperationRequest.self,
  Onvera_V1_WaitOperationRequest.self, Onvera_V1_CancelOperationRequest.self,
  Onvera_V1_CreateOrganizationRequest.self, Onvera_V1_CreateOrganizationResponse.self,
  Onvera_V1_GetOrganizationRequest.self, Onvera_V1_ListMembersRequest.self,
  Onvera_V1_ListMembersResponse.self, Onvera_V1_AddMemberRequest.self, Onvera_V1_AddMemberResponse.self,
  Onvera_V1_RemoveMemberRequest.self, Onvera_V1_RemoveMemberResponse.self,
  Onvera_V1_CreateApiKeyRequest.self, Onvera_V1_CreateApiKeyResponse.self,
  Onvera_V1_ListApiKeysRequest.self, Onvera_V1_ListApiKeysResponse.self, Onvera_V1_RevokeApiKeyRequest.self,
  Onvera_Test_Scalars.self,
]

let messageTypesByName: [String: any ProtoMessage.Type] = Dictionary(
  uniqueKeysWithValues: allMessageTypes.map { ($0.protoMessageName, $0) })

// The app's one storage account: the Functions host's own state, the app's tables, and the
// container the Flex Consumption platform deploys the app package from. Reached only with
// Entra tokens (the user-assigned identity), never with account keys or SAS.

@description('Storage account name: 3-24 lower-case letters and digits, unique in Azure.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account.')
param location string

@description('Tags for the account.')
param tags object

@description('Blob container the app package is deployed to (Flex Consumption reads it from there).')
param deploymentContainerName string

@description('Resource id of the app\'s user-assigned identity: names its role assignments, known before the identity exists.')
param appIdentityId string

@description('Principal id of the app\'s user-assigned identity, granted the data roles below.')
param appPrincipalId string

// Why each role, all on this account and nothing wider:
// - Table Data Contributor: the app's state (customers, timers, journeys, ...); it creates its tables at start-up.
// - Queue Data Contributor: the Functions host's queues on AzureWebJobsStorage, which the Functions docs list
//   for identity-based host storage; the app's StorageQueue mode would need it too (Azure runs ServiceBus).
// - Blob Data Owner: the host keeps its locks and leases, the timer trigger's schedule monitor (useMonitor)
//   and its keys in blobs, and Flex Consumption reads the deployment package from the container above with
//   this identity. Owner, not Contributor, is what the Functions docs name for identity-based host storage.
var roles = [
  { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' }
  { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' }
  { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' }
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowCrossTenantReplication: false
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource deployments 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

resource dataRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roles: {
    name: guid(account.id, appIdentityId, role.id)
    scope: account
    properties: {
      description: '${role.name} for the marketing-automation app'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

@description('The account\'s name.')
output name string = account.name

@description('URL of the deployment container, for functionAppConfig.deployment.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'

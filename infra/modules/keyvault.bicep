// The vault behind every secret app setting (Key Vault references), and the secrets this
// deployment owns. Store webhook secrets are not among them: the operator sets those
// (docs/deploy.md), so a redeployment never overwrites them.

import { secretNames } from 'shared.bicep'

@description('Vault name: 3-24 letters, digits and dashes, unique in Azure.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Purge protection: a deleted vault and its secrets cannot be purged before the retention ends. Once on, it cannot be turned off.')
param enablePurgeProtection bool

@description('Resource id of the app\'s user-assigned identity: names its role assignments, known before the identity exists.')
param appIdentityId string

@description('Principal id of the app\'s user-assigned identity, granted read access to secrets.')
param appPrincipalId string

@description('Principal id of whoever deploys (azd passes the signed-in user), granted write access to secrets; empty for none.')
param deployerPrincipalId string

@description('User, Group or ServicePrincipal: the kind of principal deployerPrincipalId is.')
param deployerPrincipalType string

@description('X-Api-Key of the admin and events APIs.')
@secure()
param adminApiKey string

@description('HMAC key that signs recipient links.')
@secure()
param linkSigningKey string

@description('HMAC key behind generated coupon codes.')
@secure()
param couponCodeSecret string

@description('SendGrid API key; empty: none is written, and the app captures emails instead of sending them.')
@secure()
param sendGridApiKey string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User: read secret values
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer: set and rotate them

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC, not access policies: the same role assignments as every other resource here.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API refuses false here: purge protection is either on or absent.
    enablePurgeProtection: enablePurgeProtection ? true : null
    // The Functions platform resolves Key Vault references from outside any virtual network, and azd
    // reads the generated secrets back on each provision.
    publicNetworkAccess: 'Enabled'
  }
}

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.adminApiKey
  properties: {
    value: adminApiKey
  }
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.linkSigningKey
  properties: {
    value: linkSigningKey
  }
}

resource couponCodeSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretNames.couponCodeSecret
  properties: {
    value: couponCodeSecret
  }
}

resource sendGridApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: secretNames.sendGridApiKey
  properties: {
    value: sendGridApiKey
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentityId, secretsUser)
  scope: vault
  properties: {
    description: 'Key Vault Secrets User: the marketing-automation app resolves its Key Vault references'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerWritesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    description: 'Key Vault Secrets Officer: the deployer sets store webhook secrets and rotates keys'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

@description('The vault\'s name (Key Vault references name the vault, not its URL).')
output name string = vault.name

// The marketing-automation engine in one resource group: a Function App on Flex Consumption (the
// ASP.NET Core custom handler), its storage account, the Service Bus events queue, Key Vault,
// Application Insights on Log Analytics, and the user-assigned identity that reaches all of them.
// `azd up` deploys it with main.parameters.json; docs/deploy.md also shows `az deployment group create`.

import { atLeast32, notifyWebhook, store } from 'modules/shared.bicep'

@description('Environment name (azd\'s AZURE_ENV_NAME): tags every resource and seeds the unique resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region of every resource. Flex Consumption is not in every region: az functionapp list-flexconsumption-locations.')
param location string = resourceGroup().location

@description('Object id of whoever deploys (azd passes the signed-in user); granted Key Vault Secrets Officer to set store secrets. Empty: no such grant.')
param principalId string = ''

@description('Kind of principal principalId is.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('X-Api-Key of the admin and events APIs (secret admin-api-key).')
@secure()
param adminApiKey string

@description('HMAC key that signs recipient links, unsubscribe links included (secret link-signing-key). Keep it across deployments: a new key breaks every link already sent.')
@secure()
param linkSigningKey string

@description('HMAC key behind generated coupon codes (secret coupon-code-secret).')
@secure()
param couponCodeSecret string

@description('Fresh random characters, 90 of them, that lengthen any of the three keys above shorter than 32 characters (azd\'s generator makes 15). Empty outside azd.')
@secure()
param freshRandom string = ''

@description('SendGrid API key with Mail Send rights (secret sendgrid-api-key). Empty: no key, and the app captures emails instead of sending them.')
@secure()
param sendGridApiKey string = ''

@description('Sender address when a store has none (a verified sender in SendGrid).')
param sendGridFromEmail string = ''

@description('Display name with that address.')
param sendGridFromName string = ''

@description('SendGrid validates each message and delivers none.')
param sendGridSandboxMode bool = false

@description('The Signed Event Webhook\'s verification key from SendGrid\'s settings (public; base64). Empty: POST /api/webhooks/sendgrid is refused.')
param sendGridEventWebhookPublicKey string = ''

@description('Id of the key that signs new links, carried in each link (1-16 letters or digits). Change it when the key changes.')
@minLength(1)
@maxLength(16)
param linkSigningKeyId string = 'k1'

@description('Id of the previous link key while links it signed are still valid (secret link-signing-key-previous); empty when there is none.')
@maxLength(16)
param previousLinkSigningKeyId string = ''

@description('The connected stores; each store\'s webhook secret goes in the vault as store-{id}-webhook-secret.')
param stores store[] = []

@description('Where notify steps post, e.g. [{"name": "support-desk", "url": "https://…", "hasAuthorization": true}]; an Authorization value goes in the vault as webhook-{name}-authorization.')
param webhooks notifyWebhook[] = []

@description('Service Bus tier: Standard has sessions and duplicate detection; Premium adds isolation.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Key Vault purge protection. Keep it on where the link key matters; once on it cannot be turned off, and the vault name stays taken for 90 days after a delete.')
param keyVaultPurgeProtection bool = true

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var queueName = 'events'

// The app parks a message itself on this delivery; Service Bus dead-letters only after more.
var appMaxDeliveryCount = 5
var queueMaxDeliveryCount = 10

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${token}'
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${token}'
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${token}'
    location: location
    tags: tags
    sku: serviceBusSku
    queueName: queueName
    maxDeliveryCount: queueMaxDeliveryCount
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    adminApiKey: atLeast32(adminApiKey, take(freshRandom, 30))
    linkSigningKey: atLeast32(linkSigningKey, take(skip(freshRandom, 30), 30))
    couponCodeSecret: atLeast32(couponCodeSecret, skip(freshRandom, 60))
    sendGridApiKey: sendGridApiKey
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    appIdentityId: identity.id
    appPrincipalId: identity.properties.principalId
  }
}

// Reads the other modules' outputs, so it starts after their role assignments exist: the app's
// first start can reach storage, Service Bus and its Key Vault references.
module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: 'plan-${token}'
    appName: 'func-${token}'
    location: location
    tags: tags
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    serviceBusHost: serviceBus.outputs.host
    queueName: queueName
    appMaxDeliveryCount: appMaxDeliveryCount
    keyVaultName: keyVault.outputs.name
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    stores: stores
    webhooks: webhooks
    linkSigningKeyId: linkSigningKeyId
    previousLinkSigningKeyId: previousLinkSigningKeyId
    hasSendGridKey: !empty(sendGridApiKey)
    sendGridFromEmail: sendGridFromEmail
    sendGridFromName: sendGridFromName
    sendGridSandboxMode: sendGridSandboxMode
    sendGridEventWebhookPublicKey: sendGridEventWebhookPublicKey
  }
}

@description('Region (azd).')
output AZURE_LOCATION string = location

@description('Tenant (azd).')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group everything is in.')
output AZURE_RESOURCE_GROUP string = resourceGroup().name

@description('The vault: main.parameters.json reads the generated secrets back from it on the next provision.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('The Function App (az functionapp deploy --name).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('The app\'s public address: webhook URLs start with it.')
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url

@description('The storage account (tables).')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('The Service Bus namespace.')
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.name

@description('The events queue.')
output AZURE_SERVICE_BUS_QUEUE_NAME string = queueName

@description('Application Insights.')
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName

@description('Log Analytics workspace id for az monitor log-analytics query -w.')
output AZURE_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceCustomerId

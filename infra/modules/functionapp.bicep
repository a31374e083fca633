// The Function App on Flex Consumption and its app settings. The settings are the app's
// contract (local.settings.sample.json documents each): identity-based connections for storage
// and Service Bus, Key Vault references for every secret, nothing that holds a key.

import { notifyWebhook, notifyWebhookAuthorizationSecretName, secretNames, store, storeWebhookSecretName } from 'shared.bicep'

@description('Flex Consumption plan name.')
param planName string

@description('Function App name; also the first label of its default host name.')
param appName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (what DefaultAzureCredential and the Functions host ask for).')
param identityClientId string

@description('Storage account for AzureWebJobsStorage and the app\'s tables.')
param storageAccountName string

@description('Blob container URL Flex Consumption deploys the app package to.')
param deploymentContainerUrl string

@description('Service Bus namespace host name, e.g. sb-abc.servicebus.windows.net.')
param serviceBusHost string

@description('The events queue.')
param queueName string

@description('Deliveries after which the app parks a failing message (below the queue\'s own max delivery count).')
param appMaxDeliveryCount int

@description('Key Vault holding the secrets the settings refer to.')
param keyVaultName string

@description('Application Insights connection string (local auth is off, so it grants nothing).')
param appInsightsConnectionString string

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('The connected stores.')
param stores store[]

@description('Where notify steps post (the survey\'s support-desk, for one).')
param webhooks notifyWebhook[]

@description('Id carried in every recipient link, naming the key that signed it (1-16 letters or digits).')
param linkSigningKeyId string

@description('Id of the previous link-signing key while its links are still out there; empty when there is none.')
param previousLinkSigningKeyId string

@description('Whether a SendGrid API key is in the vault; without one the app captures emails (GET /api/outbox).')
param hasSendGridKey bool

@description('Sender address when a store has none.')
param sendGridFromEmail string

@description('Display name with that address.')
param sendGridFromName string

@description('SendGrid validates each message and delivers none.')
param sendGridSandboxMode bool

@description('The Signed Event Webhook\'s verification key (public, base64 DER); empty refuses every event post.')
param sendGridEventWebhookPublicKey string

// App Service on Linux accepts app setting names made of letters, digits, '.' and '_' only, and
// Key Vault secret names take letters, digits and '-'. A store id of lower-case letters and digits
// fits both (and the app's own rule, [a-z0-9-]{1,50}); a '-' would make an app setting the
// platform refuses, so it stops the deployment here with a message that says so.
func isStoreIdUsable(id string) bool =>
  empty(filter(range(0, length(id)), i => !contains('abcdefghijklmnopqrstuvwxyz0123456789', substring(id, i, 1))))

func keyVaultReference(vault string, secret string) string =>
  '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

func storeSettings(s store, vault string) object =>
  union(
    {
      'Automation__Stores__${s.id}__Name': s.name
      'Automation__Stores__${s.id}__Platform': s.platform
      'Automation__Stores__${s.id}__TimeZone': s.timeZone
      'Automation__Stores__${s.id}__Locale': s.locale
      'Automation__Stores__${s.id}__Currency': s.currency
      'Automation__Stores__${s.id}__Country': s.country
      'Automation__Stores__${s.id}__FromEmail': s.fromEmail
      'Automation__Stores__${s.id}__PhysicalAddress': s.physicalAddress
    },
    // Only the platforms' webhooks are signed with it; a custom store posts with the admin key.
    s.platform == 'custom'
      ? {}
      : { 'Automation__Stores__${s.id}__WebhookSecret': keyVaultReference(vault, storeWebhookSecretName(s.id)) },
    empty(s.?shopDomain ?? '') ? {} : { 'Automation__Stores__${s.id}__ShopDomain': s.shopDomain! },
    s.?unsubscribeGroupId == null
      ? {}
      : { 'Automation__Stores__${s.id}__UnsubscribeGroupId': string(s.unsubscribeGroupId!) }
  )

var checkedStores = map(
  stores,
  s =>
    isStoreIdUsable(s.id)
      ? s
      : fail('Store id \'${s.id}\' cannot be used: Azure app setting names take no \'-\', so use lower-case letters and digits only')
)

// The app looks a catalog name up as written and with '_' for '-' (app setting names take no '-').
func webhookSettings(w notifyWebhook, vault string) object =>
  union(
    { 'Automation__Webhooks__${replace(w.name, '-', '_')}__Url': w.url },
    (w.?hasAuthorization ?? false)
      ? {
          'Automation__Webhooks__${replace(w.name, '-', '_')}__Authorization': keyVaultReference(vault, notifyWebhookAuthorizationSecretName(w.name))
        }
      : {}
  )

var allWebhookSettings = reduce(map(webhooks, w => webhookSettings(w, keyVaultName)), {}, (all, one) => union(all, one))

var allStoreSettings = reduce(map(checkedStores, s => storeSettings(s, keyVaultName)), {}, (all, one) => union(all, one))

// Everything but the host name, which Azure assigns, and the optional parts below.
var settings = {
  // The Functions host's storage and the app's StorageClients: the account by name, an Entra token
  // from the user-assigned identity.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  // The ProcessEvents trigger's "connection": "ServiceBusConnection".
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusHost
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  Automation__QueueKind: 'ServiceBus'
  Automation__ServiceBus__Namespace: serviceBusHost
  Automation__ServiceBus__QueueName: queueName
  // The triggers do the consuming and sweeping in Azure.
  Automation__RunLocalConsumer: 'false'
  Automation__RunLocalSweeper: 'false'
  Automation__Clock: 'System'
  Automation__MaxDeliveryCount: string(appMaxDeliveryCount)
  Automation__AdminApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.adminApiKey})'
  Automation__Links__SigningKeys__0__Id: linkSigningKeyId
  Automation__Links__SigningKeys__0__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.linkSigningKey})'
  Automation__Coupons__CodeSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.couponCodeSecret})'
  Automation__SendGrid__FromEmail: sendGridFromEmail
  Automation__SendGrid__FromName: sendGridFromName
  Automation__SendGrid__SandboxMode: sendGridSandboxMode ? 'true' : 'false'
  Automation__SendGrid__EventWebhookPublicKey: sendGridEventWebhookPublicKey
}

// Links signed with the previous key keep verifying until it is dropped (docs/deploy.md, rotation).
var previousLinkKeySettings = empty(previousLinkSigningKeyId)
  ? {}
  : {
      Automation__Links__SigningKeys__1__Id: previousLinkSigningKeyId
      Automation__Links__SigningKeys__1__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.previousLinkSigningKey})'
    }

// Without a key the app captures emails instead of sending them; a reference to a missing secret
// would instead hand the app the reference text as its key.
var sendGridKeySettings = hasSendGridKey
  ? {
      Automation__SendGrid__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.sendGridApiKey})'
    }
  : {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with this identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // Flex Consumption takes the runtime, the package location and the scale limits here, not from
    // FUNCTIONS_WORKER_RUNTIME, WEBSITE_RUN_FROM_PACKAGE and friends, which it refuses as app settings.
    functionAppConfig: {
      runtime: {
        name: 'custom'
        version: '1.0'
      }
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(
      settings,
      { Automation__Links__BaseUrl: 'https://${app.properties.defaultHostName}' },
      previousLinkKeySettings,
      sendGridKeySettings,
      allStoreSettings,
      allWebhookSettings
    )
  }
}

@description('The app\'s name.')
output name string = app.name

@description('The app\'s public address.')
output url string = 'https://${app.properties.defaultHostName}'

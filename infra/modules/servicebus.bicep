// The events queue: webhooks and API calls publish here (REST, Entra token), the ProcessEvents
// serviceBusTrigger consumes it one session (one customer) at a time.

@description('Namespace name: 6-50 letters, digits and dashes, unique in Azure.')
@minLength(6)
@maxLength(50)
param name string

@description('Region of the namespace.')
param location string

@description('Tags for the namespace.')
param tags object

@description('Standard is enough for sessions and duplicate detection; Premium for isolation and larger messages.')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('Name of the events queue (the app\'s Automation__ServiceBus__QueueName).')
param queueName string

@description('Deliveries before Service Bus dead-letters a message. Must be above the app\'s Automation__MaxDeliveryCount.')
param maxDeliveryCount int

@description('Resource id of the app\'s user-assigned identity: names its role assignments, known before the identity exists.')
param appIdentityId string

@description('Principal id of the app\'s user-assigned identity, granted Data Owner on the queue.')
param appPrincipalId string

// Data Owner on the events queue only (not the namespace): send (webhooks and the API publish), receive
// (the trigger) and read the queue's runtime properties. Flex Consumption scales Service Bus triggers on
// targets alone, and the extension's target scaler reads the queue's message count, which needs Manage:
// with Sender and Receiver only it fails and the app does not scale out with the backlog (the Functions
// docs list Data Owner for triggers for this reason). The app's health check reads the queue too.
var roles = [
  { name: 'Azure Service Bus Data Owner', id: '090c5cfd-751d-490a-894a-3ce6f1109419' }
]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }

  resource events 'queues' = {
    name: queueName
    properties: {
      // Session id = the customer's partition: one consumer at a time per customer, in order.
      requiresSession: true
      // Event ids come from the platforms' delivery ids, so a redelivered webhook carries the same
      // MessageId. Shopify retries for 4 hours and stores resend after outages, so a day's window
      // drops most duplicates at the broker; the processed-event markers (kept 8 days) are the real
      // guarantee and catch what falls outside it. A longer window only costs broker bookkeeping.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'P1D'
      // The app parks a message itself (GET /api/parked) when a delivery numbered
      // Automation__MaxDeliveryCount fails; Service Bus must not dead-letter it before that delivery
      // happens, so its count is higher. The dead-letter queue then only catches what the app could
      // not even park (storage down on the last attempt).
      maxDeliveryCount: maxDeliveryCount
      lockDuration: 'PT1M'
      // An event nobody processed in two weeks is worth a look, not silence: it moves to the
      // dead-letter queue instead of vanishing.
      defaultMessageTimeToLive: 'P14D'
      deadLetteringOnMessageExpiration: true
      // The app sends a customer's events in one batch request; a partitioned queue with duplicate
      // detection refuses batches of distinct message ids.
      enablePartitioning: false
    }
  }
}

resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in roles: {
    name: guid(namespace::events.id, appIdentityId, role.id)
    scope: namespace::events
    properties: {
      description: '${role.name} for the marketing-automation app'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

@description('The namespace\'s host name, e.g. sb-abc.servicebus.windows.net.')
output host string = parseUri(namespace.properties.serviceBusEndpoint).host

@description('The namespace\'s name.')
output name string = namespace.name

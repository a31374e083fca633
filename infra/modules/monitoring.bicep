// Logs and telemetry: a Log Analytics workspace and a workspace-based Application Insights
// that accepts only Entra-authenticated telemetry, so its connection string (an app setting)
// cannot be used by anyone else to write into it.

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights name.')
param appInsightsName string

@description('Region of both.')
param location string

@description('Tags for both.')
param tags object

@description('Days the workspace keeps logs (30 is included in the price).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Resource id of the app\'s user-assigned identity: names its role assignments, known before the identity exists.')
param appIdentityId string

@description('Principal id of the app\'s user-assigned identity, allowed to send telemetry.')
param appPrincipalId string

var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Telemetry must carry an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING on the app).
    DisableLocalAuth: true
  }
}

resource appSendsTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appIdentityId, metricsPublisher)
  scope: appInsights
  properties: {
    description: 'Monitoring Metrics Publisher: the marketing-automation app sends telemetry with its identity'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Application Insights connection string: not a secret while local auth is off.')
output appInsightsConnectionString string = appInsights.properties.ConnectionString

@description('Application Insights name.')
output appInsightsName string = appInsights.name

@description('The workspace\'s customer id (the GUID `az monitor log-analytics query -w` takes).')
output workspaceCustomerId string = workspace.properties.customerId

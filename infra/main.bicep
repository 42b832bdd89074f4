// GroupWebhookFunctions in one resource group: the function app Tencent calls, its storage, secrets and monitoring.
// Every resource is in a local module; nothing uses an account key or a connection string with a key.
targetScope = 'resourceGroup'

@description('The SDKAppID of your Tencent Cloud Chat app.')
param tencentSdkAppId string

@secure()
@description('Tencent\'s callback authentication token. Empty runs without signature checks.')
param tencentCallbackToken string = ''

@description('Location of every resource; Flex Consumption must be offered there.')
param location string = resourceGroup().location

@minLength(3)
@maxLength(20)
@description('Prefix of resource names.')
param namePrefix string = 'gwf'

@minValue(0)
@description('Instances kept warm for HTTP, so a cold start never eats Tencent\'s 2 seconds. 0 saves the idle cost.')
param alwaysReadyHttpInstances int = 1

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(1)
@description('Days an envelope blob (an event too big for a queue message) is kept after it was written.')
param envelopeRetentionDays int = 30

@minValue(1024)
@description('Largest callback body the app accepts (TencentChat__MaxBodyBytes). Tencent\'s messages are at most 12 KB.')
param maxBodyBytes int = 1048576

@allowed(['Keep', 'Erase'])
@description('What becomes of a recalled message\'s content (TencentChat__RecalledContent): kept beside the recall mark, or erased.')
param recalledContent string = 'Keep'

@description('E-mail address the alerts go to; empty deploys the alerts without an action group.')
param alertEmail string = ''

@allowed([1, 5, 15, 30, 60, 120, 300, 600])
@description('The sync lag alert fires when the p95 of the lag exceeds this many seconds.')
param syncLagAlertSeconds int = 60

@description('An App admin account of your Tencent app, for reconciling with Tencent\'s history (TencentChat__AdminIdentifier). Empty leaves reconciliation off.')
param tencentAdminIdentifier string = ''

@secure()
@description('Your Tencent app\'s key, to sign the admin\'s UserSig. Kept in Key Vault; empty leaves reconciliation off.')
param tencentSecretKey string = ''

@description('The REST domain of your app\'s data centre (TencentChat__ApiBaseUrl); the README lists every region\'s.')
param tencentApiBaseUrl string = 'https://adminapisgp.im.qcloud.com'

@description('NCRONTAB schedule of the reconcile pass (Reconcile__Schedule).')
param reconcileSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of discovery, the DiscoverGroups function (Reconcile__DiscoverSchedule); hourly.')
param reconcileDiscoverSchedule string = '0 0 * * * *'

@minValue(0)
@description('A missing seq younger than this many seconds is not a gap yet (Reconcile__GraceSeconds).')
param reconcileGraceSeconds int = 120

@minValue(1)
@description('Minutes without a webhook before a group\'s newest seq is asked for once (Reconcile__QuietMinutes).')
param reconcileQuietMinutes int = 10

@minValue(1)
@maxValue(200)
@description('Calls a second to Tencent from one instance (Reconcile__MaxCallsPerSecond); Tencent allows 200 per API for the whole app.')
param reconcileMaxCallsPerSecond int = 20

@minValue(0)
@description('Re-pull the messages of groups active within this many hours to find edits; 0 is off (Reconcile__RecheckHours).')
param reconcileRecheckHours int = 0

@description('Your own webhook handler, which gets every before-event live and every after-event delivered (Relay__Url). https; empty leaves relaying off.')
param relayUrl string = ''

@description('How long a before-event waits for your handler before Tencent is answered allow (Relay__BeforeTimeoutMilliseconds).')
@minValue(100)
@maxValue(1900)
param relayBeforeTimeoutMilliseconds int = 1200

@description('Comma-separated after-event commands delivered to your handler; empty delivers all (Relay__Commands).')
param relayCommands string = ''

param tags object = {}

// The names the code uses (src/GroupWebhookFunctions.Core/Storage/StorageNames.cs); a test keeps them equal.
var eventQueueName = 'group-message-events'
var poisonQueueName = 'group-message-events-poison'
var payloadContainerName = 'group-message-payloads'
var messageTableName = 'GroupMessages'
var summaryTableName = 'GroupSummaries'
var readerTableName = 'GroupMessageReaders'
var failureTableName = 'GroupMessageFailures'
var importTableName = 'HistoryImports'
var reconcileStateTableName = 'ReconcileState'
var budgetTableName = 'TencentCallBudget'
var importQueueName = 'history-import-pages'
var importPoisonQueueName = 'history-import-pages-poison'
var relayQueueName = 'relay-deliveries'
var relayPoisonQueueName = 'relay-deliveries-poison'
var callbackRoute = 'tencent-chat/callback'

// The Functions host buffers a whole body before the worker sees it: its own limit (default 100 MB) must sit just
// above the app's, so a hostile sender cannot make every instance hold large bodies.
var hostRequestBodyLimitBytes = maxBodyBytes + 16384

var suffix = uniqueString(resourceGroup().id, namePrefix)
var functionAppName = '${namePrefix}-func-${suffix}'
var deploymentContainerName = 'app-package-${take(suffix, 8)}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${namePrefix}-id-${suffix}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${namePrefix}-log-${suffix}'
    appInsightsName: '${namePrefix}-appi-${suffix}'
    location: location
    tags: tags
  }
}

module operations 'modules/operations.bicep' = {
  name: 'operations'
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    location: location
    tags: tags
    alertEmail: alertEmail
    syncLagAlertSeconds: syncLagAlertSeconds
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take(toLower('${replace(namePrefix, '-', '')}st${suffix}'), 24)
    location: location
    tags: tags
    queueNames: [eventQueueName, poisonQueueName, importQueueName, importPoisonQueueName, relayQueueName, relayPoisonQueueName]
    containerNames: [payloadContainerName, deploymentContainerName]
    tableNames: [messageTableName, summaryTableName, readerTableName, failureTableName, importTableName, reconcileStateTableName, budgetTableName]
    envelopeContainerName: payloadContainerName
    envelopeRetentionDays: envelopeRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: take('${namePrefix}-kv-${suffix}', 24)
    location: location
    tags: tags
    callbackToken: tencentCallbackToken
    secretKey: tencentSecretKey
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  dependsOn: [roles]
  params: {
    name: functionAppName
    planName: '${namePrefix}-plan-${suffix}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: union(
      {
        AzureWebJobsStorage__credential: 'managedidentity'
        AzureWebJobsStorage__clientId: identity.outputs.clientId
        AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
        AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
        AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
        APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
        TencentChat__SdkAppId: tencentSdkAppId
        TencentChat__MaxBodyBytes: string(maxBodyBytes)
        TencentChat__RecalledContent: recalledContent
        FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(hostRequestBodyLimitBytes)
        TencentChat__ApiBaseUrl: tencentApiBaseUrl
        Reconcile__Schedule: reconcileSchedule
        Reconcile__GraceSeconds: string(reconcileGraceSeconds)
        Reconcile__QuietMinutes: string(reconcileQuietMinutes)
        Reconcile__MaxCallsPerSecond: string(reconcileMaxCallsPerSecond)
        Reconcile__RecheckHours: string(reconcileRecheckHours)
        Reconcile__DiscoverSchedule: reconcileDiscoverSchedule
        Relay__Url: relayUrl
        Relay__BeforeTimeoutMilliseconds: string(relayBeforeTimeoutMilliseconds)
        Relay__Commands: relayCommands
      },
      empty(tencentCallbackToken) ? {} : {
        TencentChat__CallbackToken: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.callbackTokenSecretUri})'
      },
      empty(tencentAdminIdentifier) || empty(tencentSecretKey) ? {} : {
        TencentChat__AdminIdentifier: tencentAdminIdentifier
        TencentChat__SecretKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.secretKeySecretUri})'
      })
  }
}

output functionAppName string = functionApp.outputs.name
output callbackUrl string = 'https://${functionApp.outputs.defaultHostName}/api/${callbackRoute}'
output storageAccountName string = storage.outputs.name

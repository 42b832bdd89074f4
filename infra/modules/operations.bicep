// What the team running the app watches: a workbook of charts and five alerts, all over Application Insights.
// Metric names are the ones src/GroupWebhookFunctions.Core/Diagnostics/GroupWebhookMetrics.cs emits; a test keeps them equal.
param appInsightsName string
param location string
param tags object

@description('E-mail address alerts go to; empty deploys the alerts without an action group.')
param alertEmail string

@description('Sync lag alert: fires when more than 5% of events (the p95) took longer than this many seconds to reach their rows.')
@allowed([1, 5, 15, 30, 60, 120, 300, 600])
param syncLagAlertSeconds int

var webhooksReceived = 'gwf.webhooks.received'
var syncLag = 'gwf.sync.lag'
var poisonMoves = 'gwf.sync.poisoned'
var storageFailures = 'gwf.storage.failures'
var poisonReplays = 'gwf.poison.replayed'
var reconcileRows = 'gwf.reconcile.rows'
var reconcileCalls = 'gwf.reconcile.calls'
var reconcileDiscovered = 'gwf.reconcile.discovered'
var reconcileTailChecks = 'gwf.reconcile.tail_checks'
var sourceTag = 'gwf.source'
var kindTag = 'gwf.kind'
var commandTag = 'gwf.command'
var outcomeTag = 'gwf.outcome'
var errorTypeTag = 'error.type'
var lagBucketTag = 'gwf.lag.le'
var operationTag = 'gwf.operation'
var callbackFunction = 'TencentChatCallback'

// Application Insights keeps a histogram as sum, count, min and max; the lag's own bucket tag gives its percentiles.
var lagBuckets = 'customMetrics | where name == "${syncLag}" | extend le = todouble(iff(tostring(customDimensions["${lagBucketTag}"]) == "inf", "1e9", tostring(customDimensions["${lagBucketTag}"])))'
var callbackRequests = 'requests | where name has "${callbackFunction}" or url has "tencent-chat/callback"'

var queries = {
  webhooks: 'customMetrics | where name == "${webhooksReceived}" | extend outcome = trim_end(" ", strcat(tostring(customDimensions["${outcomeTag}"]), " ", tostring(customDimensions["${errorTypeTag}"]))) | summarize webhooksPerSecond = sum(valueSum) / 300.0 by bin(timestamp, 5m), outcome | render timechart'
  webhooksByCommand: 'customMetrics | where name == "${webhooksReceived}" | extend command = tostring(customDimensions["${commandTag}"]) | summarize webhooksPerSecond = sum(valueSum) / 300.0 by bin(timestamp, 5m), command | render timechart'
  acknowledgement: '${callbackRequests} | summarize p50 = percentile(duration, 50), p95 = percentile(duration, 95), p99 = percentile(duration, 99) by bin(timestamp, 5m) | render timechart'
  lag: '${lagBuckets} | summarize n = sum(valueCount) by timestamp = bin(timestamp, 5m), le | order by timestamp asc, le asc | extend cumulative = row_cumsum(n, timestamp != prev(timestamp)) | join kind=inner (${lagBuckets} | summarize total = sum(valueCount) by timestamp = bin(timestamp, 5m)) on timestamp | summarize p50 = minif(le, cumulative >= 0.5 * total), p99 = minif(le, cumulative >= 0.99 * total) by timestamp | render timechart'
  poison: 'customMetrics | where name in ("${poisonMoves}", "${poisonReplays}") | extend what = iff(name == "${poisonMoves}", strcat("moved to poison: ", tostring(customDimensions["${errorTypeTag}"])), "replayed") | summarize events = sum(valueSum) by bin(timestamp, 5m), what | render columnchart'
  storage: 'customMetrics | where name == "${storageFailures}" | extend operation = tostring(customDimensions["${operationTag}"]) | summarize failures = sum(valueSum) by bin(timestamp, 5m), operation | render columnchart'
  history: 'customMetrics | where name == "${reconcileRows}" | extend what = strcat(tostring(customDimensions["${sourceTag}"]), ": ", tostring(customDimensions["${kindTag}"])) | summarize rows = sum(valueSum) by bin(timestamp, 5m), what | render columnchart'
  tencentCalls: 'customMetrics | where name == "${reconcileCalls}" | extend outcome = tostring(customDimensions["${outcomeTag}"]) | summarize calls = sum(valueSum) by bin(timestamp, 5m), outcome | render columnchart'
  discovery: 'customMetrics | where name in ("${reconcileDiscovered}", "${reconcileTailChecks}") | extend what = strcat(iff(name == "${reconcileDiscovered}", "found: ", "tail-check calls: "), tostring(customDimensions["${kindTag}"])) | summarize n = sum(iff(name == "${reconcileDiscovered}", valueSum, todouble(valueCount))) by bin(timestamp, 1h), what | render columnchart'
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'gwf-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'gwf-ops'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var alerts = [
  {
    name: 'gwf-answered-503'
    description: 'Tencent was answered 503: storage did not take an event in time. Tencent counts it failed and does not retry by default.'
    severity: 1
    query: 'customMetrics | where name == "${webhooksReceived}" and tostring(customDimensions["${outcomeTag}"]) == "unavailable" | summarize n = sum(valueSum) | where n > 0'
  }
  {
    name: 'gwf-poison-moves'
    description: 'An event or an import page was moved to a poison queue. Look at the logs, fix the cause, then POST /api/ops/poison/replay?queue=<the poison queue>.'
    severity: 2
    query: 'customMetrics | where name == "${poisonMoves}" | summarize n = sum(valueSum) | where n > 0'
  }
  {
    name: 'gwf-sync-lag'
    description: 'More than 5% of events took over ${syncLagAlertSeconds} s from acknowledgement to their rows (sync lag p95).'
    severity: 2
    query: '${lagBuckets} | summarize total = sum(valueCount), late = sumif(valueCount, le > ${syncLagAlertSeconds}) | where total > 0 and late * 20 > total'
  }
  {
    name: 'gwf-acknowledgement-p99'
    description: 'The p99 of the callback\'s answer time is over 1 s, half of Tencent\'s 2 s limit.'
    severity: 2
    query: '${callbackRequests} | summarize p99 = percentile(duration, 99) | where p99 > 1000'
  }
  {
    name: 'gwf-reconcile-refused'
    description: 'Tencent refused the app\'s REST identity (key, admin, SDKAppID or region): reconciliation has stopped until a setting is fixed. The Error line "Reconcile pass stopped" names it.'
    severity: 2
    query: 'customMetrics | where name == "${reconcileCalls}" and tostring(customDimensions["${outcomeTag}"]) == "Configuration" | summarize n = sum(valueSum) | where n > 0'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in alerts: {
  name: alert.name
  location: location
  tags: tags
  properties: {
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: empty(alertEmail) ? [] : [actionGroup.id]
    }
  }
}]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsights.id, 'gwf-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'GroupWebhookFunctions'
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: string({
      version: 'Notebook/1.0'
      items: [
        {
          type: 1
          name: 'about'
          content: {
            json: '## GroupWebhookFunctions\nWebhooks answered, how fast, how far synchronization lags, what reached the poison queue, and what was healed from Tencent\'s history. The README\'s "Operating it" says what each chart means and what to do.'
          }
        }
        chart('webhooks', 'Webhooks per second by outcome (and ErrorCode)', queries.webhooks)
        chart('webhooksByCommand', 'Webhooks per second by command', queries.webhooksByCommand)
        chart('acknowledgement', 'Acknowledgement time, ms (p50, p95, p99)', queries.acknowledgement)
        chart('lag', 'Sync lag, s (p50, p99, by bucket bound)', queries.lag)
        chart('poison', 'Poison moves and replays', queries.poison)
        chart('storage', 'Failed storage calls', queries.storage)
        chart('history', 'Rows written from Tencent\'s history, by source and kind', queries.history)
        chart('tencentCalls', 'Calls to Tencent\'s REST API, by outcome', queries.tencentCalls)
        chart('discovery', 'Groups and topics discovery found, and batched tail-check calls, by kind', queries.discovery)
      ]
      fallbackResourceIds: [appInsights.id]
    })
  }
}

func chart(name string, title string, query string) object => {
  type: 3
  name: name
  content: {
    version: 'KqlItem/1.0'
    query: query
    size: 0
    title: title
    timeContext: {
      durationMs: 86400000
    }
    queryType: 0
    resourceType: 'microsoft.insights/components'
  }
}

output workbookId string = workbook.id
output alertNames string[] = [for alert in alerts: alert.name]

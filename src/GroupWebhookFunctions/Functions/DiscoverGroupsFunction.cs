using GroupWebhookFunctions.Reconciling;
using GroupWebhookFunctions.Reconciling.Discovery;
using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

/// <summary>
/// A discovery run on the schedule in the Reconcile__DiscoverSchedule setting: the groups and topics Tencent has and the
/// store lacks get their summary rows. Like the pass, one invocation at a time across all instances.
/// </summary>
public sealed class DiscoverGroupsFunction(GroupDiscoverer discoverer)
{
    [Function("DiscoverGroups")]
    public Task RunAsync([TimerTrigger(ReconcileOptions.DiscoverScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        discoverer.RunAsync(cancellationToken);
}

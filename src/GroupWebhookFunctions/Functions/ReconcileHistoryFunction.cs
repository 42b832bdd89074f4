using GroupWebhookFunctions.Reconciling;
using Microsoft.Azure.Functions.Worker;

namespace GroupWebhookFunctions.Functions;

/// <summary>
/// A reconcile pass on the schedule in the Reconcile__Schedule setting. The timer trigger runs one invocation at a
/// time across all instances (its lock is a blob lease), so passes never overlap.
/// </summary>
public sealed class ReconcileHistoryFunction(Reconciler reconciler)
{
    [Function("ReconcileHistory")]
    public Task RunAsync([TimerTrigger(ReconcileOptions.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        reconciler.RunPassAsync(cancellationToken);
}

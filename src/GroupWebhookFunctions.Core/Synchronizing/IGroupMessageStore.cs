using Azure.Data.Tables;

namespace GroupWebhookFunctions.Synchronizing;

public enum SummaryChange
{
    Created,
    Advanced,

    /// <summary>The summary already shows this message or a later one.</summary>
    Unchanged,
}

public interface IGroupMessageStore
{
    /// <summary>Adds the message row; false when a row with its keys was already there.</summary>
    Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken);

    /// <summary>Moves the summary forward to <paramref name="candidate"/> unless it already shows a later message.</summary>
    Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken);
}

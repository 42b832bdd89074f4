using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

public sealed class TableGroupMessageStore(TableClient messages, TableClient summaries, TimeProvider clock) : IGroupMessageStore
{
    private const int MaxSummaryAttempts = 16;

    public async Task<bool> AddMessageAsync(TableEntity message, CancellationToken cancellationToken)
    {
        try
        {
            await MissingResource.CreateOnceIfMissingAsync(
                () => messages.AddEntityAsync(message, cancellationToken),
                () => messages.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Optimistic concurrency: read, decide, write with the read's ETag; a competing writer makes it read again.</summary>
    public async Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxSummaryAttempts; attempt++)
        {
            // A missing table reads as a missing row; the add below creates the table.
            var current = await summaries.GetEntityIfExistsAsync<TableEntity>(candidate.PartitionKey, candidate.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (!current.HasValue || current.Value is null)
                {
                    await MissingResource.CreateOnceIfMissingAsync(
                        () => summaries.AddEntityAsync(ToEntity(candidate), cancellationToken),
                        () => summaries.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
                    return SummaryChange.Created;
                }
                var existing = current.Value;
                if (!candidate.IsLaterThan(
                        existing.GetInt64(GroupMessageFields.MsgSeq) ?? 0,
                        existing.GetInt64(GroupMessageFields.MsgTime) ?? 0,
                        existing.GetInt64(GroupMessageFields.EventTime) ?? 0))
                    return SummaryChange.Unchanged;
                await summaries.UpdateEntityAsync(ToEntity(candidate), existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return SummaryChange.Advanced;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another instance wrote this summary since it was read: read it again and decide afresh.
            }
        }
        throw new InvalidOperationException($"The summary {candidate.PartitionKey}/{candidate.RowKey} kept changing under {MaxSummaryAttempts} attempts.");
    }

    private TableEntity ToEntity(GroupSummary summary)
    {
        var entity = new TableEntity(summary.PartitionKey, summary.RowKey)
        {
            [GroupMessageFields.GroupId] = summary.GroupId,
            [GroupMessageFields.MsgSeq] = summary.MsgSeq,
            [GroupMessageFields.MsgTime] = summary.MsgTime,
            [GroupMessageFields.EventTime] = summary.EventTime,
            [GroupMessageColumns.UpdatedAt] = clock.GetUtcNow(),
        };
        if (summary.TopicId is not null)
            entity[GroupMessageFields.TopicId] = summary.TopicId;
        if (summary.Type is not null)
            entity[GroupMessageFields.Type] = summary.Type;
        if (summary.FromAccount is not null)
            entity[GroupMessageFields.FromAccount] = summary.FromAccount;
        if (summary.MsgId is not null)
            entity[GroupMessageFields.MsgId] = summary.MsgId;
        return entity;
    }
}

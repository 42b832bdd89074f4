using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>GroupSummaries rows written straight to storage: many groups' state without sending each its webhooks.</summary>
public static class SummarySeed
{
    /// <summary>
    /// A summary complete through <paramref name="seq"/> (its latest message), last updated an hour before
    /// <paramref name="now"/>: quiet, and due only a tail check. <paramref name="seq"/> 0 writes no seq columns.
    /// </summary>
    public static TableEntity Row(string groupId, string? topicId, long seq, DateTimeOffset now, string? type = "Public")
    {
        var row = new TableEntity(TableKeys.SummaryPartition(groupId), TableKeys.SummaryRow(topicId))
        {
            [GroupMessageFields.GroupId] = groupId,
            [GroupMessageColumns.UpdatedAt] = now - TimeSpan.FromHours(1),
        };
        if (topicId is not null)
            row[GroupMessageFields.TopicId] = topicId;
        if (type is not null)
            row[GroupMessageFields.Type] = type;
        if (seq > 0)
        {
            row[GroupMessageFields.MsgSeq] = seq;
            row[GroupMessageColumns.CompleteThroughSeq] = seq;
        }
        return row;
    }

    public static async Task WriteAsync(Azurite azurite, IEnumerable<TableEntity> rows)
    {
        var table = azurite.Table(StorageNames.SummaryTable);
        await table.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (row, token) => await table.UpsertEntityAsync(row, cancellationToken: token));
    }
}

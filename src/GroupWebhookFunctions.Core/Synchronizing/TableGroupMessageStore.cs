using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// GroupMessages and GroupSummaries in Table Storage. A summary moves forward under optimistic concurrency; the last
/// version this instance saw of each summary is remembered, so the usual new message costs one insert and one
/// conditional update, and an older or repeated message costs no summary call at all.
/// </summary>
public sealed class TableGroupMessageStore(TableClient messages, TableClient summaries, TimeProvider clock) : IGroupMessageStore
{
    private const int MaxSummaryAttempts = 16;
    private const int MaxRememberedSummaries = 100_000;

    private readonly ConcurrentDictionary<(string PartitionKey, string RowKey), SeenSummary> _seen = new();

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

    public async Task<SummaryChange> AdvanceSummaryAsync(GroupSummary candidate, CancellationToken cancellationToken)
    {
        var key = (candidate.PartitionKey, candidate.RowKey);
        for (var attempt = 0; attempt < MaxSummaryAttempts; attempt++)
        {
            // A summary only ever moves forward, so what this instance last saw is a lower bound of what is stored.
            var seen = _seen.TryGetValue(key, out var remembered) ? remembered : await ReadAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (seen is not null && !candidate.IsLaterThan(seen.MsgSeq, seen.MsgTime, seen.EventTime))
                return SummaryChange.Unchanged;
            try
            {
                return await WriteAsync(candidate, seen?.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                // Another writer got there first (or the row is gone): forget what was seen and read it afresh.
                _seen.TryRemove(key, out _);
            }
        }
        throw new InvalidOperationException($"The summary {candidate.PartitionKey}/{candidate.RowKey} kept changing under {MaxSummaryAttempts} attempts.");
    }

    private async Task<SeenSummary?> ReadAsync(GroupSummary candidate, CancellationToken cancellationToken)
    {
        // A missing table reads as a missing row; the add creates the table.
        var current = await summaries.GetEntityIfExistsAsync<TableEntity>(candidate.PartitionKey, candidate.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!current.HasValue || current.Value is not { } existing)
            return null;
        return Remember(candidate, new SeenSummary(
            existing.ETag,
            existing.GetInt64(GroupMessageFields.MsgSeq) ?? 0,
            existing.GetInt64(GroupMessageFields.MsgTime) ?? 0,
            existing.GetInt64(GroupMessageFields.EventTime) ?? 0));
    }

    private async Task<SummaryChange> WriteAsync(GroupSummary candidate, ETag? etag, CancellationToken cancellationToken)
    {
        var entity = ToEntity(candidate);
        Response response;
        if (etag is { } match)
        {
            response = await summaries.UpdateEntityAsync(entity, match, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            response = await MissingResource.CreateOnceIfMissingAsync(
                () => summaries.AddEntityAsync(entity, cancellationToken),
                () => summaries.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
        }
        if (response.Headers.ETag is { } written)
            Remember(candidate, new SeenSummary(written, candidate.MsgSeq, candidate.MsgTime, candidate.EventTime));
        else
            _seen.TryRemove((candidate.PartitionKey, candidate.RowKey), out _);
        return etag is null ? SummaryChange.Created : SummaryChange.Advanced;
    }

    private SeenSummary Remember(GroupSummary candidate, SeenSummary seen)
    {
        if (_seen.Count >= MaxRememberedSummaries)
            _seen.Clear();
        _seen[(candidate.PartitionKey, candidate.RowKey)] = seen;
        return seen;
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

    private sealed record SeenSummary(ETag ETag, long MsgSeq, long MsgTime, long EventTime);
}

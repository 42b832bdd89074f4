using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// Moves summaries forward under optimistic concurrency (<see cref="RowMerge.AdvanceSummary"/>). The last version this
/// instance saw of each summary is remembered (its ETag, position and which latest-message columns it holds), so the
/// usual new message costs one conditional merge of its own columns, and an older or repeated one no call at all. Only
/// a message that lacks a column the stored one has (history has no MsgId or EventTime) costs a read and a replace,
/// since a merge cannot remove a column.
/// </summary>
internal sealed class SummaryAdvancer(TableClient summaries, TimeProvider clock)
{
    private const int MaxAttempts = 16;
    private const int MaxRememberedSummaries = 100_000;

    private readonly ConcurrentDictionary<(string PartitionKey, string RowKey), SeenSummary> _seen = new();

    public async Task<SummaryChange> AdvanceAsync(GroupSummary candidate, CancellationToken cancellationToken)
    {
        var key = (candidate.PartitionKey, candidate.RowKey);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // A summary only ever moves forward, so what this instance last saw is a lower bound of what is stored.
            var seen = _seen.TryGetValue(key, out var remembered) ? remembered : await ReadAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (seen is not null && !candidate.IsLaterThan(seen.MsgSeq, seen.MsgTime, seen.EventTime))
                return SummaryChange.Unchanged;
            try
            {
                if (seen is null)
                {
                    var first = RowMerge.SummaryColumns(candidate, clock.GetUtcNow());
                    Wrote(candidate, await MissingResource.CreateOnceIfMissingAsync(
                        () => summaries.AddEntityAsync(first, cancellationToken),
                        () => summaries.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false));
                    return SummaryChange.Created;
                }
                if ((seen.Held & ~Held(candidate)) == 0)
                {
                    // Merge: the row also carries what later events and reconciliation say of the group or topic.
                    Wrote(candidate, await summaries.UpdateEntityAsync(RowMerge.SummaryColumns(candidate, clock.GetUtcNow()), seen.ETag, TableUpdateMode.Merge,
                        cancellationToken).ConfigureAwait(false));
                    return SummaryChange.Advanced;
                }
                var current = await summaries.GetEntityIfExistsAsync<TableEntity>(candidate.PartitionKey, candidate.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!current.HasValue || RowMerge.AdvanceSummary(current.Value, candidate, clock.GetUtcNow()) is not { } next)
                {
                    // Gone, or moved on by another writer since it was seen: read it again.
                    _seen.TryRemove(key, out _);
                    continue;
                }
                Wrote(candidate, await summaries.UpdateEntityAsync(next, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false));
                return SummaryChange.Advanced;
            }
            catch (RequestFailedException ex) when (RowRefusedException.IsRefusal(ex))
            {
                throw new RowRefusedException(GroupTable.Summaries, ex);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                // Another writer got there first (or the row is gone): forget what was seen and read it afresh.
                _seen.TryRemove(key, out _);
            }
        }
        throw new InvalidOperationException($"The summary {candidate.PartitionKey}/{candidate.RowKey} kept changing under {MaxAttempts} attempts.");
    }

    /// <summary>Which latest-message columns a row holds, one bit per <see cref="RowMerge.LatestMessageColumns"/>.</summary>
    private static int Held(TableEntity row) => Bits(column => row.TryGetValue(column, out var value) && value is not null);

    private static int Held(GroupSummary summary) => Bits(column => column switch
    {
        GroupMessageFields.MsgTime => summary.MsgTime is not null,
        GroupMessageFields.EventTime => summary.EventTime is not null,
        GroupMessageFields.FromAccount => summary.FromAccount is not null,
        GroupMessageFields.MsgId => summary.MsgId is not null,
        _ => true,
    });

    private static int Bits(Func<string, bool> holds)
    {
        var bits = 0;
        for (var i = 0; i < RowMerge.LatestMessageColumns.Length; i++)
        {
            if (holds(RowMerge.LatestMessageColumns[i]))
                bits |= 1 << i;
        }
        return bits;
    }

    private async Task<SeenSummary?> ReadAsync(GroupSummary candidate, CancellationToken cancellationToken)
    {
        var existing = await summaries.GetEntityIfExistsAsync<TableEntity>(candidate.PartitionKey, candidate.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!existing.HasValue)
            return null;
        var row = existing.Value!;
        return Remember(candidate, new SeenSummary(row.ETag, row.GetInt64(GroupMessageFields.MsgSeq) ?? 0, row.GetInt64(GroupMessageFields.MsgTime) ?? 0,
            row.GetInt64(GroupMessageFields.EventTime) ?? 0, Held(row)));
    }

    /// <summary>The summary now holds <paramref name="candidate"/>'s columns and nothing of the message before.</summary>
    private void Wrote(GroupSummary candidate, Response response)
    {
        if (response.Headers.ETag is { } written)
            Remember(candidate, new SeenSummary(written, candidate.MsgSeq, candidate.MsgTime ?? 0, candidate.EventTime ?? 0, Held(candidate)));
        else
            _seen.TryRemove((candidate.PartitionKey, candidate.RowKey), out _);
    }

    private SeenSummary Remember(GroupSummary candidate, SeenSummary seen)
    {
        if (_seen.Count >= MaxRememberedSummaries)
            _seen.Clear();
        _seen[(candidate.PartitionKey, candidate.RowKey)] = seen;
        return seen;
    }

    private sealed record SeenSummary(ETag ETag, long MsgSeq, long MsgTime, long EventTime, int Held);
}

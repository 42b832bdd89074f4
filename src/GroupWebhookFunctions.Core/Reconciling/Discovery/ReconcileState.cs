using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Storage;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// The ReconcileState table: one row per fact about reconciliation as a whole (PartitionKey the fact, RowKey empty).
/// <c>Started</c> holds <c>StartedAt</c>, the moment reconciliation started, written once by whichever instance came
/// first; <c>Discovery</c> and <c>Pass</c> hold the <c>Cursor</c> a run stopped at, so the next resumes there.
/// </summary>
public sealed class ReconcileState(TableClient table, TimeProvider clock)
{
    public const string StartedRow = "Started";
    public const string DiscoveryRow = "Discovery";
    public const string PassRow = "Pass";

    public const string StartedAt = "StartedAt";
    public const string Cursor = "Cursor";
    public const string CursorSavedAt = "CursorSavedAt";

    /// <summary>When the cursor last came back to the start: every group (or summary) was covered once more.</summary>
    public const string CompletedAt = "CompletedAt";

    private DateTimeOffset? _started;

    /// <summary>The moment reconciliation started: recorded by the first caller, then read (and kept) by every other.</summary>
    public async Task<DateTimeOffset> StartedAtAsync(CancellationToken cancellationToken)
    {
        if (_started is { } known)
            return known;
        var row = new TableEntity(StartedRow, "") { [StartedAt] = clock.GetUtcNow() };
        try
        {
            await MissingResource.CreateOnceIfMissingAsync(() => table.AddEntityAsync(row, cancellationToken), () => table.CreateIfNotExistsAsync(cancellationToken))
                .ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Recorded before: that moment stands.
        }
        var stored = await table.GetEntityAsync<TableEntity>(StartedRow, "", cancellationToken: cancellationToken).ConfigureAwait(false);
        return (_started = stored.Value.GetDateTimeOffset(StartedAt)!.Value).Value;
    }

    /// <summary>Where the last run of <paramref name="name"/> stopped; null to start from the top.</summary>
    public async Task<string?> CursorAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(name, "", [Cursor], cancellationToken).ConfigureAwait(false);
            return row.HasValue ? row.Value!.GetString(Cursor) is { Length: > 0 } cursor ? cursor : null : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores where a run stopped; null when it reached the end, which the next run starts over from.</summary>
    public async Task SaveCursorAsync(string name, string? cursor, CancellationToken cancellationToken)
    {
        var row = new TableEntity(name, "") { [Cursor] = cursor ?? "", [CursorSavedAt] = clock.GetUtcNow() };
        if (cursor is null)
            row[CompletedAt] = clock.GetUtcNow();
        await MissingResource.CreateOnceIfMissingAsync(() => table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken),
            () => table.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The row of <paramref name="name"/> as stored, for the health report; null when there is none.</summary>
    public async Task<TableEntity?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(name, "", cancellationToken: cancellationToken).ConfigureAwait(false);
            return row.HasValue ? row.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// The app's call budget in storage, shared by every instance: one row per scope in TencentCallBudget (PartitionKey the
/// scope, RowKey empty) holding a ring of N slots, each the start time last reserved on it. A call reserves the slot
/// whose time is oldest, at the later of "as soon as the write can land" and one <see cref="Period"/> after that time, by a write that succeeds
/// only if nobody changed the row since it was read (ETag). Two starts on one slot are thus at least a second apart,
/// and with N slots no one-second window holds more than N starts, whichever instances made them. The slot only counts
/// for a call that starts within <see cref="Slack"/> of its time: a later start is abandoned and reserved again.
/// </summary>
public sealed class CallBudgetLedger(TableClient table, TimeProvider clock)
{
    /// <summary>
    /// How late after its reserved time a call may still start: the reservation's own write (a free slot is reserved
    /// at the moment it was read), timer jitter, and instance clocks that disagree by that much.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    /// <summary>A free slot is reserved at most this far ahead of the moment it was read.</summary>
    public static readonly TimeSpan MaxLead = TimeSpan.FromMilliseconds(250);

    /// <summary>Two starts on one slot are at least this far apart: a second, plus the slack a start may take.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1) + Slack;

    private const string Slots = "Slots";
    private readonly ConcurrentDictionary<string, (long[] Slots, ETag ETag)> _known = new();
    private long _requests;

    // How long a reservation's write has been taking (ticks, smoothed): a free slot is reserved that far ahead, so
    // the call can still start on time when the write lands, rather than be abandoned and cost a second slot.
    private long _writeTicks;

    public string TableName => table.Name;

    /// <summary>Storage requests this ledger has made (reads, writes and creations), for measuring its cost.</summary>
    public long StorageRequests => Interlocked.Read(ref _requests);

    /// <summary>
    /// Reserves a start time in <paramref name="scope"/>, at most <paramref name="maxPerSecond"/> a second app-wide. Callers
    /// of one scope on one instance must take turns (its <see cref="SharedCallPacer"/> sees to it). Storage failures reach the caller as
    /// <see cref="RequestFailedException"/>: no slot, no call.
    /// </summary>
    public async Task<DateTimeOffset> ReserveAsync(string scope, int maxPerSecond, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_known.TryGetValue(scope, out var known))
                known = await ReadAsync(scope, maxPerSecond, cancellationToken).ConfigureAwait(false);
            var slots = Resized(known.Slots, maxPerSecond);
            var oldest = 0;
            for (var i = 1; i < slots.Length; i++)
            {
                if (slots[i] < slots[oldest])
                    oldest = i;
            }
            var now = clock.GetUtcNow().UtcTicks;
            var start = Math.Max(now + Math.Min(2 * Interlocked.Read(ref _writeTicks), MaxLead.Ticks), slots[oldest] + Period.Ticks);
            slots[oldest] = start;
            try
            {
                Interlocked.Increment(ref _requests);
                var written = await table.UpdateEntityAsync(Row(scope, slots), known.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                var took = clock.GetUtcNow().UtcTicks - now;
                Interlocked.Exchange(ref _writeTicks, (3 * Interlocked.Read(ref _writeTicks) + took) / 4);
                _known[scope] = (slots, written.Headers.ETag ?? default);
                return new DateTimeOffset(start, TimeSpan.Zero);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Another instance reserved since this one read the ring (or the row went): read it again.
                _known.TryRemove(scope, out _);
            }
        }
    }

    private async Task<(long[] Slots, ETag ETag)> ReadAsync(string scope, int maxPerSecond, CancellationToken cancellationToken)
    {
        while (true)
        {
            Interlocked.Increment(ref _requests);
            NullableResponse<TableEntity> read;
            try
            {
                read = await table.GetEntityIfExistsAsync<TableEntity>(scope, "", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                Interlocked.Increment(ref _requests);
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (read.HasValue)
                return (Unpack(read.Value!.GetBinary(Slots), maxPerSecond), read.Value!.ETag);
            try
            {
                Interlocked.Increment(ref _requests);
                var added = await table.AddEntityAsync(Row(scope, new long[maxPerSecond]), cancellationToken).ConfigureAwait(false);
                return (new long[maxPerSecond], added.Headers.ETag ?? default);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Another instance added it first.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                Interlocked.Increment(ref _requests);
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A ring of another size (the setting changed): every slot waits for the newest start, which is never too early.</summary>
    private static long[] Resized(long[] slots, int size)
    {
        if (slots.Length == size)
            return (long[])slots.Clone();
        var resized = new long[size];
        Array.Fill(resized, slots.Length == 0 ? 0 : slots.Max());
        return resized;
    }

    private static long[] Unpack(byte[]? bytes, int size)
    {
        if (bytes is null || bytes.Length % sizeof(long) != 0)
            return Resized([], size);
        var slots = new long[bytes.Length / sizeof(long)];
        Buffer.BlockCopy(bytes, 0, slots, 0, bytes.Length);
        return slots;
    }

    private static TableEntity Row(string scope, long[] slots)
    {
        var bytes = new byte[slots.Length * sizeof(long)];
        Buffer.BlockCopy(slots, 0, bytes, 0, bytes.Length);
        return new TableEntity(scope, "") { [Slots] = bytes };
    }
}

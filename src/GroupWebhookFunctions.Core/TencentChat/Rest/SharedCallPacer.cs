using Azure;

namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// Paces calls in one scope of the app's budget across every instance: the instance's own <see cref="CallPacer"/>
/// first (it never exceeds the limit alone, and its callers take turns at the ledger), then a start time reserved in
/// the <see cref="CallBudgetLedger"/>. When the ledger cannot be read or written the call is not made: it fails as
/// Tencent being unavailable for now, so an import page waits on its queue and a pass stops, and no instance calls
/// beyond a budget it cannot see.
/// </summary>
public sealed class SharedCallPacer(CallBudgetLedger ledger, string scope, int maxCallsPerSecond, TimeProvider clock) : ICallPacer, IDisposable
{
    private readonly CallPacer _local = new(maxCallsPerSecond, clock);

    // One reservation at a time from this instance: its callers would otherwise only overwrite each other's ETags.
    private readonly SemaphoreSlim _reserving = new(1, 1);

    public string Scope => scope;

    public int MaxCallsPerSecond => maxCallsPerSecond;

    /// <summary>Reservations given up because the call could not start in time (each cost one more reservation).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    private long _abandoned;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _local.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            DateTimeOffset start;
            await _reserving.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                start = await ledger.ReserveAsync(scope, maxCallsPerSecond, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                throw new TencentApiException(RestFailure.Transient, 0,
                    $"The app's call budget (table {ledger.TableName}) could not be read or written (HTTP {ex.Status}): no call to Tencent is made without it.");
            }
            finally
            {
                _reserving.Release();
            }
            var wait = start - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            if (clock.GetUtcNow() <= start + CallBudgetLedger.Slack)
                return;
            Interlocked.Increment(ref _abandoned);
        }
    }

    public void Dispose()
    {
        _local.Dispose();
        _reserving.Dispose();
    }
}

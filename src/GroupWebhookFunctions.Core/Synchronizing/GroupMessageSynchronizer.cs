using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Synchronizing.Handlers;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Synchronizing;

public enum SyncOutcome
{
    Stored,

    /// <summary>The row was already there: a redelivery, or a retry after a crash. The summary was still checked.</summary>
    Duplicate,

    /// <summary>The event can never be stored; it was moved to the poison queue.</summary>
    Rejected,
}

/// <summary>
/// Writes one queued event into the tables through its command's handler. Safe to run any number of times for the
/// same event, in any order relative to others. An event that can never be stored (unprocessable, or a row Table
/// Storage refuses as invalid) goes to the poison queue at once;
/// a storage fault is logged once per episode and thrown as a short <see cref="SynchronizationDeferredException"/>,
/// so the Functions host retries it without a stack trace per attempt.
/// </summary>
public sealed class GroupMessageSynchronizer
{
    public static readonly TimeSpan FaultReportInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, ICallbackHandler> _handlers;
    private readonly BlobPayloadStore _payloads;
    private readonly IEventSink _poison;
    private readonly TimeProvider _clock;
    private readonly ILogger<GroupMessageSynchronizer> _logger;
    private readonly GroupWebhookMetrics? _metrics;
    private readonly FaultEpisode _faults;

    public GroupMessageSynchronizer(IEnumerable<ICallbackHandler> handlers, BlobPayloadStore payloads, IEventSink poison, TimeProvider clock,
        ILogger<GroupMessageSynchronizer> logger, GroupWebhookMetrics? metrics = null)
    {
        _handlers = handlers.ToDictionary(handler => handler.Command, StringComparer.Ordinal);
        _payloads = payloads;
        _poison = poison;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _faults = new FaultEpisode(clock, FaultReportInterval);
    }

    /// <summary>Every command's handler, over one store: what the function app runs.</summary>
    public static IEnumerable<ICallbackHandler> Handlers(IGroupMessageStore store, TencentChatOptions options) =>
    [
        new AfterSendMsgHandler(store, options),
        new AfterRecallMsgHandler(store, options),
        new AfterGroupMsgExtensionHandler(store),
        new AfterReadReceiptHandler(store),
        new AfterGroupDestroyedHandler(store),
        new AfterTopicDestroyedHandler(store),
        new SendMsgExceptionHandler(store),
    ];

    /// <param name="dequeueCount">How often the queue has handed this message out, this time included.</param>
    public async Task<SyncOutcome> SynchronizeAsync(BinaryData queueMessage, CancellationToken cancellationToken, int dequeueCount = 1)
    {
        SyncedEvent? synced = null;
        string? rejection = null;
        Exception? lastFailure = null;
        try
        {
            synced = SyncedEvent.From(await ReadEnvelopeAsync(queueMessage, cancellationToken).ConfigureAwait(false));
            if (!_handlers.TryGetValue(synced.Callback.Command, out var handler))
                throw new UnprocessableEventException($"No handler stores {synced.Callback.Command}.");
            var outcome = await handler.HandleAsync(synced, cancellationToken).ConfigureAwait(false);
            Log(synced, outcome);
            if (synced.Envelope.ReceivedAt is { } receivedAt)
                _metrics?.Synchronized(synced.Callback.Command, _clock.GetUtcNow() - receivedAt);
            Succeeded();
            return outcome;
        }
        catch (Exception ex) when (ex is UnprocessableEventException or RowRefusedException)
        {
            rejection = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!QueueMessages.IsLastTry(dequeueCount))
                throw Defer(ex, synced);
            // The host would poison it now, with Queue storage's 7-day time-to-live: move it to a poison queue for good instead.
            lastFailure = ex;
        }

        try
        {
            await _poison.EnqueueAsync(queueMessage.ToMemory(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Defer(ex, synced);
        }
        if (lastFailure is null)
        {
            SyncLog.Rejected(_logger, rejection!, StorageNames.PoisonQueue);
            _metrics?.Poisoned(synced?.Callback.Command, "unprocessable", StorageNames.PoisonQueue);
            Succeeded();
        }
        else
        {
            // One line per poisoned event; the exception in full only when no earlier line of this episode has it.
            var described = Describe(synced);
            var first = CountFailure(lastFailure, synced, described) == FaultReport.First;
            SyncLog.RetriesExhausted(_logger, first ? lastFailure : null, described, dequeueCount, lastFailure.GetType().Name, StorageNames.PoisonQueue);
            _metrics?.Poisoned(synced?.Callback.Command, "retries_exhausted", StorageNames.PoisonQueue);
        }
        return SyncOutcome.Rejected;
    }

    private void Log(SyncedEvent synced, SyncOutcome outcome)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
            return;
        var subject = synced.Subject;
        var (command, groupId, topicId, msgId) = (new UntrustedText(synced.Callback.Command), new UntrustedText(subject.GroupId), new UntrustedText(subject.TopicId), new UntrustedText(subject.MsgId));
        if (outcome == SyncOutcome.Stored)
            SyncLog.Stored(_logger, command, groupId, topicId, subject.MsgSeq, msgId);
        else
            SyncLog.Duplicate(_logger, command, groupId, topicId, subject.MsgSeq, msgId);
    }

    private void Succeeded()
    {
        if (_faults.Succeed() is { } outage)
            SyncLog.Recovered(_logger, outage.Failures, outage.Duration);
    }

    private SynchronizationDeferredException Defer(Exception exception, SyncedEvent? synced)
    {
        var described = Describe(synced);
        if (CountFailure(exception, synced, described) == FaultReport.First)
            SyncLog.FaultStarted(_logger, exception, described);
        return new SynchronizationDeferredException(
            $"Not stored yet ({exception.GetType().Name}); the host retries it. The first failure of this episode is logged in full by {nameof(GroupMessageSynchronizer)}.");
    }

    /// <summary>Counts a failure into the episode, writes the episode's summary line when one is due, and says what else to write.</summary>
    private FaultReport CountFailure(Exception exception, SyncedEvent? synced, string described)
    {
        _metrics?.StorageFailed("sync", exception);
        var report = _faults.Fail(synced is null ? null : described);
        if (report == FaultReport.Summary)
            SyncLog.FaultContinues(_logger, _faults.TakeCount(), exception.GetType().Name);
        return report;
    }

    private static string Describe(SyncedEvent? synced) =>
        synced?.Subject is { } s ? $"{synced.Callback.Command} for {UntrustedText.Render(s.GroupId)} MsgSeq {s.MsgSeq}" : "an event not yet read";

    private async Task<EventEnvelope> ReadEnvelopeAsync(BinaryData queueMessage, CancellationToken cancellationToken)
    {
        var envelope = Deserialize(queueMessage);
        if (envelope.PayloadBlob is not { } blobName)
            return envelope;
        var payload = await _payloads.ReadAsync(blobName, cancellationToken).ConfigureAwait(false)
            ?? throw new UnprocessableEventException($"The payload blob '{blobName}' does not exist.");
        return Deserialize(payload);
    }

    private static EventEnvelope Deserialize(BinaryData data)
    {
        try
        {
            return JsonSerializer.Deserialize(data.ToMemory().Span, TencentChatJsonContext.Default.EventEnvelope)
                ?? throw new UnprocessableEventException("The queue message is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new UnprocessableEventException($"The queue message is not an envelope: {ex.Message}", ex);
        }
    }
}

/// <summary>Thrown to the Functions host so that it retries a message; short on purpose, as the host logs each one.</summary>
public sealed class SynchronizationDeferredException : Exception
{
    public SynchronizationDeferredException()
    {
    }

    public SynchronizationDeferredException(string message)
        : base(message)
    {
    }

    public SynchronizationDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

internal static partial class SyncLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug,
        Message = "Stored {CallbackCommand} for GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}")]
    public static partial void Stored(ILogger logger, UntrustedText callbackCommand, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug,
        Message = "Duplicate of {CallbackCommand} for GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}: the tables already said it all")]
    public static partial void Duplicate(ILogger logger, UntrustedText callbackCommand, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Could not store {Event}; the host retries it, and further failures are counted until storage answers again")]
    public static partial void FaultStarted(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Still failing: {Failures} more synchronization attempts failed since the last report (latest {ExceptionType})")]
    public static partial void FaultContinues(ILogger logger, long failures, string exceptionType);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Synchronization succeeds again after {Failures} failed attempts over {Duration}")]
    public static partial void Recovered(ILogger logger, long failures, TimeSpan duration);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Moved an event that can never be stored to {PoisonQueue}: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason, string poisonQueue);

    // With the exception in full when it is the first failure of its episode; otherwise an earlier line has it.
    [LoggerMessage(EventId = 2007, Level = LogLevel.Error,
        Message = "Could not store {Event} in {Tries} tries ({ExceptionType}): moved it to {PoisonQueue}, where it waits for a replay once the cause is fixed")]
    public static partial void RetriesExhausted(ILogger logger, Exception? exception, string @event, int tries, string exceptionType, string poisonQueue);
}

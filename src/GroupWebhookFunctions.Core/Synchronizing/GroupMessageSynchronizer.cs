using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
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
/// Writes one queued event into the tables. Safe to run any number of times for the same event, in any order
/// relative to others. An event that can never be stored goes to the poison queue at once; a storage fault is
/// logged once per episode and thrown as a short <see cref="SynchronizationDeferredException"/>, so the Functions
/// host retries it without a stack trace per attempt.
/// </summary>
public sealed class GroupMessageSynchronizer(
    IGroupMessageStore store, BlobPayloadStore payloads, IEventSink poison, TimeProvider clock, ILogger<GroupMessageSynchronizer> logger)
{
    public static readonly TimeSpan FaultReportInterval = TimeSpan.FromMinutes(1);

    private readonly FaultEpisode _faults = new(clock, FaultReportInterval);

    public async Task<SyncOutcome> SynchronizeAsync(BinaryData queueMessage, CancellationToken cancellationToken)
    {
        GroupMessageRecord? record = null;
        string rejection;
        try
        {
            record = GroupMessageMapper.Map(await ReadEnvelopeAsync(queueMessage, cancellationToken).ConfigureAwait(false));
            var outcome = await StoreAsync(record, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return outcome;
        }
        catch (UnprocessableEventException ex)
        {
            rejection = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Defer(ex, record);
        }

        try
        {
            await poison.EnqueueAsync(queueMessage.ToMemory(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Defer(ex, record);
        }
        SyncLog.Rejected(logger, rejection, StorageNames.PoisonQueue);
        Succeeded();
        return SyncOutcome.Rejected;
    }

    private void Succeeded()
    {
        if (_faults.Succeed() is { } outage)
            SyncLog.Recovered(logger, outage.Failures, outage.Duration);
    }

    private SynchronizationDeferredException Defer(Exception exception, GroupMessageRecord? record)
    {
        var subject = record is null ? null : $"{record.Message.PartitionKey}/{record.Message.RowKey}";
        switch (_faults.Fail(subject))
        {
            case FaultReport.First:
                SyncLog.FaultStarted(logger, exception, Describe(record));
                break;
            case FaultReport.Summary:
                SyncLog.FaultContinues(logger, _faults.TakeCount(), exception.GetType().Name);
                break;
        }
        return new SynchronizationDeferredException(
            $"Not stored yet ({exception.GetType().Name}); the host retries it. The first failure of this episode is logged in full by {nameof(GroupMessageSynchronizer)}.");
    }

    private async Task<SyncOutcome> StoreAsync(GroupMessageRecord record, CancellationToken cancellationToken)
    {
        var identity = record.Identity;
        var offloaded = await OffloadLargeValuesAsync(record.Message, cancellationToken).ConfigureAwait(false);
        bool added;
        try
        {
            added = await store.AddMessageAsync(record.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 400)
        {
            foreach (var blobName in offloaded)
                await payloads.DeleteAsync(blobName, cancellationToken).ConfigureAwait(false);
            throw new UnprocessableEventException($"Table Storage refused the row ({ex.ErrorCode}).", ex);
        }

        // A duplicate may be the retry of a run that stored the row and then died before the summary.
        var summary = await store.AdvanceSummaryAsync(record.Summary, cancellationToken).ConfigureAwait(false);
        if (added)
            SyncLog.Stored(logger, new UntrustedText(identity.GroupId), new UntrustedText(identity.TopicId), identity.MsgSeq, new UntrustedText(identity.MsgId), record.Message.PartitionKey, record.Message.RowKey, summary);
        else
            SyncLog.Duplicate(logger, new UntrustedText(identity.GroupId), new UntrustedText(identity.TopicId), identity.MsgSeq, new UntrustedText(identity.MsgId), summary);
        return added ? SyncOutcome.Stored : SyncOutcome.Duplicate;
    }

    private async Task<EventEnvelope> ReadEnvelopeAsync(BinaryData queueMessage, CancellationToken cancellationToken)
    {
        var envelope = Deserialize(queueMessage);
        if (envelope.PayloadBlob is not { } blobName)
            return envelope;
        var payload = await payloads.ReadAsync(blobName, cancellationToken).ConfigureAwait(false)
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

    /// <summary>A value over a table property's limit moves to a blob named by the row, so a retry overwrites it.</summary>
    private async Task<List<string>> OffloadLargeValuesAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var offloaded = new List<string>();
        foreach (var (name, value) in entity.ToArray())
        {
            if (value is not string { Length: > GroupMessageColumns.MaxStringLength } text)
                continue;
            var blobName = $"large-values/{entity.PartitionKey}/{entity.RowKey}/{name}.json";
            await payloads.WriteAsync(blobName, BinaryData.FromString(text), cancellationToken).ConfigureAwait(false);
            offloaded.Add(blobName);
            entity.Remove(name);
            entity[name + GroupMessageColumns.BlobSuffix] = blobName;
        }
        return offloaded;
    }

    private static string Describe(GroupMessageRecord? record) =>
        record is null ? "an event not yet read" : $"{UntrustedText.Render(record.Identity.GroupId)} MsgSeq {record.Identity.MsgSeq} ({record.Message.PartitionKey}/{record.Message.RowKey})";
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
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Stored GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId} as {PartitionKey}/{RowKey}; summary {SummaryChange}")]
    public static partial void Stored(ILogger logger, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId, string partitionKey, string rowKey, SummaryChange summaryChange);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Duplicate of GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}: the row was already stored; summary {SummaryChange}")]
    public static partial void Duplicate(ILogger logger, UntrustedText groupId, UntrustedText topicId, long msgSeq, UntrustedText msgId, SummaryChange summaryChange);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Could not store {Event}; the host retries it, and further failures are counted until storage answers again")]
    public static partial void FaultStarted(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Still failing: {Failures} more synchronization attempts failed since the last report (latest {ExceptionType})")]
    public static partial void FaultContinues(ILogger logger, long failures, string exceptionType);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Synchronization succeeds again after {Failures} failed attempts over {Duration}")]
    public static partial void Recovered(ILogger logger, long failures, TimeSpan duration);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Moved an event that can never be stored to {PoisonQueue}: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason, string poisonQueue);
}

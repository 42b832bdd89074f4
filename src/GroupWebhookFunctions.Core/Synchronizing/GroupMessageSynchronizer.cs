using System.Text.Json;
using Azure;
using Azure.Data.Tables;
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
/// relative to others. Storage faults propagate, so the Functions host retries and finally poisons the message.
/// </summary>
public sealed class GroupMessageSynchronizer(IGroupMessageStore store, BlobPayloadStore payloads, IEventSink poison, ILogger<GroupMessageSynchronizer> logger)
{
    public async Task<SyncOutcome> SynchronizeAsync(BinaryData queueMessage, CancellationToken cancellationToken)
    {
        GroupMessageRecord record;
        try
        {
            record = GroupMessageMapper.Map(await ReadEnvelopeAsync(queueMessage, cancellationToken).ConfigureAwait(false));
        }
        catch (UnprocessableEventException ex)
        {
            return await RejectAsync(queueMessage, ex.Message, cancellationToken).ConfigureAwait(false);
        }

        var identity = record.Identity;
        bool added;
        try
        {
            await OffloadLargeValuesAsync(record.Message, cancellationToken).ConfigureAwait(false);
            added = await store.AddMessageAsync(record.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 400)
        {
            return await RejectAsync(queueMessage, $"Table Storage refused the row ({ex.ErrorCode}).", cancellationToken).ConfigureAwait(false);
        }

        // A duplicate may be the retry of a run that stored the row and then died before the summary.
        var summary = await store.AdvanceSummaryAsync(record.Summary, cancellationToken).ConfigureAwait(false);
        if (added)
            SyncLog.Stored(logger, identity.GroupId, identity.TopicId, identity.MsgSeq, identity.MsgId, record.Message.PartitionKey, record.Message.RowKey, summary);
        else
            SyncLog.Duplicate(logger, identity.GroupId, identity.TopicId, identity.MsgSeq, identity.MsgId, summary);
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
    private async Task OffloadLargeValuesAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in entity.ToArray())
        {
            if (value is not string { Length: > GroupMessageColumns.MaxStringLength } text)
                continue;
            var blobName = $"large-values/{entity.PartitionKey}/{entity.RowKey}/{name}.json";
            await payloads.WriteAsync(blobName, BinaryData.FromString(text), cancellationToken).ConfigureAwait(false);
            entity.Remove(name);
            entity[name + GroupMessageColumns.BlobSuffix] = blobName;
        }
    }

    private async Task<SyncOutcome> RejectAsync(BinaryData queueMessage, string reason, CancellationToken cancellationToken)
    {
        SyncLog.Rejected(logger, reason, StorageNames.PoisonQueue);
        await poison.EnqueueAsync(queueMessage.ToMemory(), cancellationToken).ConfigureAwait(false);
        return SyncOutcome.Rejected;
    }
}

internal static partial class SyncLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Stored GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId} as {PartitionKey}/{RowKey}; summary {SummaryChange}")]
    public static partial void Stored(ILogger logger, string groupId, string? topicId, long msgSeq, string? msgId, string partitionKey, string rowKey, SummaryChange summaryChange);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Duplicate of GroupId {GroupId} TopicId {TopicId} MsgSeq {MsgSeq} MsgId {MsgId}: the row was already stored; summary {SummaryChange}")]
    public static partial void Duplicate(ILogger logger, string groupId, string? topicId, long msgSeq, string? msgId, SummaryChange summaryChange);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Moved an event that can never be stored to {PoisonQueue}: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason, string poisonQueue);
}

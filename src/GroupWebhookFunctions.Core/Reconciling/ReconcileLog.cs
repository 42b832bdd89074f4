using GroupWebhookFunctions.Diagnostics;
using Microsoft.Extensions.Logging;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>The reconciler's and the importer's lines; ids and names from Tencent are logged as <see cref="UntrustedText"/>.</summary>
public static partial class ReconcileLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Reconcile pass: {Checked} groups or topics checked, {Gaps} gaps found, {Backfilled} messages backfilled ({Recalled} recalled), {Absent} seqs absent, {TailChecks} tail checks, {Rechecked} messages rechecked, {Edited} edits found, {Calls} calls, {Errors} errors")]
    public static partial void Pass(ILogger logger, int @checked, int gaps, int backfilled, int recalled, int absent, int tailChecks, int rechecked, int edited, int calls, int errors);

    // One line per pass that had to stop: the reason names the setting to fix, or says Tencent could not be reached.
    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Reconcile pass stopped: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Reconcile pass used its {MaxPassSeconds} s; the next pass goes on where it stopped")]
    public static partial void OutOfTime(ILogger logger, int maxPassSeconds);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Tencent says {Conversation} does not exist (ErrorCode {ErrorCode}): it is no longer reconciled")]
    public static partial void GroupGone(ILogger logger, UntrustedText conversation, long errorCode);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Reconciling {Conversation} failed ({Reason}); the next pass tries again")]
    public static partial void ConversationFailed(ILogger logger, UntrustedText conversation, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning,
        Message = "Reconciliation is off: set TencentChat__AdminIdentifier and TencentChat__SecretKey to heal the store from Tencent's history. Webhooks are received as before")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information,
        Message = "Reconciliation is on: schedule {Schedule}, {MaxCallsPerSecond} calls a second at most, REST domain {ApiBaseUrl}")]
    public static partial void On(ILogger logger, string schedule, int maxCallsPerSecond, string apiBaseUrl);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning,
        Message = "TencentChat__ApiBaseUrl is not https: every REST call's URL carries the admin's UserSig, readable on the way. Tencent's domains are https")]
    public static partial void PlainTextApi(ILogger logger);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "History import {ImportId} of {Conversation}: {State} after {Pages} pages, {Messages} messages and {Absent} absent seqs")]
    public static partial void ImportEnded(ILogger logger, string importId, UntrustedText conversation, string state, long pages, long messages, long absent);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "History import {ImportId}: page {Page} could not be fetched ({Reason}); it is tried again in {RetrySeconds} s")]
    public static partial void ImportPageDeferred(ILogger logger, string importId, long page, string reason, int retrySeconds);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error,
        Message = "History import {ImportId} could not queue its first page ({QueueFailure}) nor remove its row again: the row stays Running with no page to run")]
    public static partial void ImportNotStarted(ILogger logger, Exception exception, string importId, string queueFailure);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "History import {ImportId}: could not note in its row where its page waits ({Reason})")]
    public static partial void ImportNoteNotWritten(ILogger logger, string importId, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error,
        Message = "History import page {Page} failed {Tries} tries: moved it to {PoisonQueue}; replay that queue to resume the import once the cause is fixed")]
    public static partial void ImportPagePoisoned(ILogger logger, Exception exception, UntrustedText page, long tries, string poisonQueue);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning,
        Message = "Reconciling {Conversation} stopped ({CutShortBy}) after writing {Rows} rows, and its summary could not be told ({SaveFailure}): its counts miss them")]
    public static partial void ProgressNotSaved(ILogger logger, UntrustedText conversation, int rows, string cutShortBy, string saveFailure);
}

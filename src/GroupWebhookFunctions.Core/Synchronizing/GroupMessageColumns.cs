namespace GroupWebhookFunctions.Synchronizing;

/// <summary>Column names beyond Tencent's own field names, which the tables use as they are.</summary>
public static class GroupMessageColumns
{
    public const string SdkAppId = "SdkAppid";
    public const string ClientIp = "ClientIP";
    public const string OptPlatform = "OptPlatform";

    /// <summary>When the acknowledgement received the message's send: a row has it once the send is stored.</summary>
    public const string ReceivedAt = "ReceivedAt";

    /// <summary>The text elements joined, for people browsing the table; MsgBody is the record.</summary>
    public const string Text = "Text";

    /// <summary>Top-level fields Tencent sent that this version does not name, as a JSON object.</summary>
    public const string ExtraFields = "ExtraFields";

    public const string UpdatedAt = "UpdatedAt";

    public const int MaxTextLength = 4 * 1024;

    // A recalled message.
    public const string Recalled = "Recalled";
    public const string RecalledAt = "RecalledAt";
    public const string RecalledBy = "RecalledBy";

    // A message's extension: live keys, the latest version, and what keeps older events from bringing keys back.
    public const string Extensions = "Extensions";
    public const string ExtensionSeq = "ExtensionSeq";
    public const string ExtensionDeletions = "ExtensionDeletions";
    public const string ExtensionsClearedSeq = "ExtensionsClearedSeq";

    // A disbanded group's summary, or a deleted topic's.
    public const string Disbanded = "Disbanded";
    public const string DisbandedAt = "DisbandedAt";
    public const string DisbandedBy = "DisbandedBy";
    public const string Deleted = "Deleted";
    public const string DeletedAt = "DeletedAt";

    // A row written from Tencent's history rather than a webhook (reconciliation or an import).
    public const string BackfilledAt = "BackfilledAt";

    /// <summary>Tencent has no message at this seq (deleted, expired or never stored): the seq is closed, not lost.</summary>
    public const string Absent = "Absent";

    public const string MsgPriority = "MsgPriority";
    public const string IsSystemMsg = "IsSystemMsg";

    /// <summary>Fields of a history entry that no version of this app names, as a JSON object.</summary>
    public const string HistoryExtraFields = "HistoryExtraFields";

    // A message edited after it was stored (found by re-pulling history), and its first version.
    public const string Edited = "Edited";
    public const string EditedAt = "EditedAt";
    public const string OriginalMsgBody = "OriginalMsgBody";
    public const string OriginalCloudCustomData = "OriginalCloudCustomData";

    // A summary's reconciliation: every seq up to CompleteThroughSeq is stored or known absent.
    public const string CompleteThroughSeq = "CompleteThroughSeq";
    public const string LastReconciledAt = "LastReconciledAt";
    public const string BackfilledCount = "BackfilledCount";
    public const string AbsentCount = "AbsentCount";

    /// <summary>The latest seq when Tencent was last asked for the newest one: asked again only once a later message came.</summary>
    public const string TailCheckedThroughSeq = "TailCheckedThroughSeq";

    /// <summary>Tencent says the group does not exist (10010, 10015): it is no longer reconciled.</summary>
    public const string GroupGone = "GroupGone";
    public const string GroupGoneAt = "GroupGoneAt";

    /// <summary>A failed send's ErrorCode in words.</summary>
    public const string ErrorMeaning = "ErrorMeaning";
}

namespace GroupWebhookFunctions.TencentChat;

public enum MessageIdentityKind
{
    /// <summary>(GroupId, TopicId, MsgSeq): unique in groups that keep history, and ordered.</summary>
    Sequence,

    /// <summary>MsgId, for groups without a trustworthy MsgSeq (AVChatRoom keeps no history).</summary>
    MessageId,

    /// <summary>A hash of (GroupId, From_Account, Random, MsgTime), when there is neither.</summary>
    ContentHash,
}

public enum IdentityProblem
{
    None,
    GroupIdMissing,
    NoIdentifyingFields,
}

/// <summary>What makes one group message that message, whichever way Tencent delivers it.</summary>
public readonly record struct MessageIdentity(
    MessageIdentityKind Kind,
    string GroupId,
    string? TopicId,
    long MsgSeq,
    string? MsgId,
    string? FromAccount,
    long Random,
    long MsgTime)
{
    public const string AudioVideoGroupType = "AVChatRoom";

    public static IdentityProblem TryCreate(
        string? groupId,
        string? topicId,
        string? groupType,
        long? msgSeq,
        string? msgId,
        string? fromAccount,
        long? random,
        long? msgTime,
        out MessageIdentity identity)
    {
        identity = default;
        if (string.IsNullOrEmpty(groupId))
            return IdentityProblem.GroupIdMissing;
        topicId = string.IsNullOrEmpty(topicId) ? null : topicId;

        // Tencent does not promise unique MsgSeq where there is no roaming history.
        var sequenceIsTrusted = msgSeq > 0 && !string.Equals(groupType, AudioVideoGroupType, StringComparison.OrdinalIgnoreCase);
        if (sequenceIsTrusted)
            identity = new(MessageIdentityKind.Sequence, groupId, topicId, msgSeq!.Value, msgId, fromAccount, random ?? 0, msgTime ?? 0);
        else if (!string.IsNullOrEmpty(msgId))
            identity = new(MessageIdentityKind.MessageId, groupId, topicId, msgSeq ?? 0, msgId, fromAccount, random ?? 0, msgTime ?? 0);
        else if (!string.IsNullOrEmpty(fromAccount) && random is not null && msgTime is not null)
            identity = new(MessageIdentityKind.ContentHash, groupId, topicId, msgSeq ?? 0, null, fromAccount, random.Value, msgTime.Value);
        else
            return IdentityProblem.NoIdentifyingFields;
        return IdentityProblem.None;
    }

    /// <summary>
    /// The message a later event (recall, extension, read receipt) names by MsgSeq and perhaps MsgId: the same
    /// identity its send had. Where MsgSeq is not trusted and no MsgId came, MsgSeq is the best there is.
    /// </summary>
    public static bool TryNameSent(string? groupId, string? topicId, string? groupType, long? msgSeq, string? msgId, out MessageIdentity identity)
    {
        if (TryCreate(groupId, topicId, groupType, msgSeq, msgId, null, null, null, out identity) == IdentityProblem.None)
            return true;
        if (string.IsNullOrEmpty(groupId) || msgSeq is not > 0)
            return false;
        identity = new(MessageIdentityKind.Sequence, groupId, string.IsNullOrEmpty(topicId) ? null : topicId, msgSeq.Value, msgId, null, 0, 0);
        return true;
    }
}

using System.Collections.Specialized;
using System.Globalization;

namespace GroupWebhookFunctions.Archive;

public enum PageOrder
{
    NewestFirst,
    OldestFirst,
}

/// <summary>
/// <c>GET /api/groups/{groupId}/messages</c>'s query, checked: <c>before</c> and <c>after</c> are exclusive seq
/// bounds, <c>limit</c> 1..200 (default 50), <c>order</c> <c>desc</c> (default) or <c>asc</c>, <c>next</c> a token
/// of the same query's previous page.
/// </summary>
public sealed record MessagePageRequest(string GroupId, string? TopicId, long? Before, long? After, int Limit, PageOrder Order, string? Next)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>What a token of this query is bound to: everything but the token itself.</summary>
    public string Binding => PageToken.Binding("messages", GroupId, TopicId, Before, After, Limit, Order);

    public static MessagePageRequest? Parse(string groupId, NameValueCollection query, out string? problem)
    {
        problem = ArchiveQuery.CheckConversation(groupId, query["topicId"]);
        if (problem is not null)
            return null;
        if (!ArchiveQuery.TryLimit(query["limit"], DefaultLimit, MaxLimit, out var limit, out problem)
            || !ArchiveQuery.TrySeq(query["before"], "before", out var before, out problem)
            || !ArchiveQuery.TrySeq(query["after"], "after", out var after, out problem))
            return null;
        var order = query["order"] switch
        {
            null or "desc" => PageOrder.NewestFirst,
            "asc" => PageOrder.OldestFirst,
            _ => (PageOrder?)null,
        };
        if (order is null)
        {
            problem = "order must be asc (oldest first) or desc (newest first, the default).";
            return null;
        }
        if (before is not null && after is not null && before - 1 <= after)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"before ({before}) must be more than after ({after}) + 1: both bounds are exclusive, so no seq lies between them.");
            return null;
        }
        var next = query["next"];
        if (next is { Length: 0 })
        {
            problem = "next, when given, is the Next token of the previous page.";
            return null;
        }
        return new MessagePageRequest(groupId, ArchiveQuery.Topic(query["topicId"]), before, after, limit, order.Value, next);
    }
}

/// <summary>The checks every archive route makes of its query.</summary>
public static class ArchiveQuery
{
    /// <summary>Why a group (and topic) cannot be one the store keys, or null.</summary>
    public static string? CheckConversation(string? groupId, string? topicId)
    {
        if (string.IsNullOrEmpty(groupId))
            return "groupId is missing.";
        if (!Storage.TableKeys.ConversationFits(groupId, Topic(topicId)))
            return "groupId (with topicId) is longer than any group the store can hold.";
        return null;
    }

    public static string? Topic(string? topicId) => string.IsNullOrEmpty(topicId) ? null : topicId;

    public static bool TrySeq(string? text, string name, out long? seq, out string? problem)
    {
        (seq, problem) = (null, null);
        if (text is null)
            return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            seq = value;
            return true;
        }
        problem = $"{name} must be a MsgSeq: a whole number, 0 or more.";
        return false;
    }

    public static bool TryLimit(string? text, int defaultLimit, int maxLimit, out int limit, out string? problem)
    {
        (limit, problem) = (defaultLimit, null);
        if (text is null)
            return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= maxLimit)
            return true;
        problem = $"limit must be a whole number from 1 to {maxLimit} (default {defaultLimit}).";
        return false;
    }
}

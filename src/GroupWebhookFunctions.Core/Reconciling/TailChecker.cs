using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling;

/// <summary>What a batched tail check learned of one conversation.</summary>
public readonly record struct TailAnswer(long? Newest, bool Gone, bool NoHistory);

/// <summary>
/// The newest seq of many quiet conversations in few calls: groups 50 to a <c>get_group_info</c> call asking only for
/// <c>Type</c> and <c>NextMsgSeq</c>; topics of one community 50 to a <c>get_topic</c> call. A conversation the answer
/// says nothing of is left out, and is checked on its own (one history call).
/// </summary>
public sealed class TailChecker(GroupInfo groups, TopicInfo topics, ReconcileOptions options, GroupWebhookMetrics metrics)
{
    internal async Task<IReadOnlyDictionary<Conversation, TailAnswer>> CheckAsync(IReadOnlyList<Conversation> conversations, PassTally tally, CancellationToken cancellationToken)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<Conversation, TailAnswer>();
        List<(string? Group, Conversation[] Batch)> batches =
        [
            .. conversations.Where(c => c.TopicId is null).Chunk(GroupInfo.MaxPerCall).Select(batch => ((string?)null, batch)),
            .. conversations.Where(c => c.TopicId is not null).GroupBy(c => c.GroupId).SelectMany(g => g.Chunk(TopicInfo.MaxPerCall).Select(batch => ((string?)g.Key, batch))),
        ];
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (item, token) =>
        {
            Interlocked.Increment(ref tally.Calls);
            Interlocked.Increment(ref tally.TailCheckCalls);
            try
            {
                if (item.Group is null)
                    await CheckGroupsAsync(item.Batch, answers, token).ConfigureAwait(false);
                else
                    await CheckTopicsAsync(item.Group, item.Batch, answers, token).ConfigureAwait(false);
            }
            catch (TencentApiException ex) when (ex.Failure is RestFailure.Refused or RestFailure.AnswerTooLarge || (ex.Failure == RestFailure.GroupGone && item.Group is null))
            {
                // Refused for this batch alone (a call-level 10010/10015 names no group of the 50): its conversations are checked one by one.
            }
        }).ConfigureAwait(false);
        return answers;
    }

    private async Task CheckGroupsAsync(Conversation[] batch, System.Collections.Concurrent.ConcurrentDictionary<Conversation, TailAnswer> answers, CancellationToken cancellationToken)
    {
        var profiles = await groups.ReadAsync([.. batch.Select(c => c.GroupId)], GroupInfo.TailFields, cancellationToken).ConfigureAwait(false);
        metrics.TailChecked(DiscoveryKind.Group, batch.Length);
        foreach (var profile in profiles)
        {
            var answer = profile.Gone ? new TailAnswer(null, true, false)
                : profile.ErrorCode != 0 ? (TailAnswer?)null
                : string.Equals(profile.Type, MessageIdentity.AudioVideoGroupType, StringComparison.OrdinalIgnoreCase) ? new TailAnswer(null, false, true)
                : profile.Newest is { } newest ? new TailAnswer(newest, false, false)
                : null;
            if (answer is { } known)
                answers[new Conversation(profile.GroupId, null)] = known;
        }
    }

    private async Task CheckTopicsAsync(string groupId, Conversation[] batch, System.Collections.Concurrent.ConcurrentDictionary<Conversation, TailAnswer> answers, CancellationToken cancellationToken)
    {
        IReadOnlyList<TopicProfile> profiles;
        try
        {
            profiles = await topics.ReadAsync(groupId, [.. batch.Select(c => c.TopicId!)], cancellationToken).ConfigureAwait(false);
        }
        catch (TencentApiException ex) when (ex.Failure == RestFailure.GroupGone)
        {
            // The community is gone, and every topic in it.
            foreach (var conversation in batch)
                answers[conversation] = new TailAnswer(null, true, false);
            return;
        }
        metrics.TailChecked(DiscoveryKind.Topic, batch.Length);
        foreach (var profile in profiles.Where(p => p.TopicId is not null))
        {
            var conversation = new Conversation(groupId, profile.TopicId);
            if (profile.Gone)
                answers[conversation] = new TailAnswer(null, true, false);
            else if (profile.ErrorCode == 0 && profile.Newest is { } newest)
                answers[conversation] = new TailAnswer(newest, false, false);
        }
    }
}

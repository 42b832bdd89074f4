using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Reconciling.Discovery;

/// <summary>
/// The topics of one Community the store lacks: one <c>get_topic</c> call lists them all, and each missing one gets its
/// discovered row. Returns whether the community is topic-enabled (a Community without the topic switch is refused).
/// </summary>
internal sealed class TopicFinder(TopicInfo topics, IGroupMessageStore store, BackfillFloor floor, TimeProvider clock, GroupWebhookMetrics metrics)
{
    public async Task<bool> FindAsync(string groupId, long since, DiscoveryTally tally, CancellationToken cancellationToken)
    {
        IReadOnlyList<TopicProfile> listed;
        try
        {
            Interlocked.Increment(ref tally.Calls);
            listed = await topics.ReadAsync(groupId, null, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentApiException ex) when (ex.Failure is RestFailure.Refused or RestFailure.GroupGone)
        {
            // Not topic-enabled (or gone since it was listed): nothing to find.
            return false;
        }
        foreach (var topic in listed.Where(t => t.ErrorCode == 0 && !string.IsNullOrEmpty(t.TopicId)))
        {
            var conversation = new Conversation(groupId, topic.TopicId);
            if (await DiscoveredRow.StoredAsync(store, conversation, cancellationToken).ConfigureAwait(false) is not null)
                continue;
            var before = await floor.LastBeforeAsync(conversation, topic.Newest ?? 0, topic.CreateTime, topic.LastMsgTime, since, tally.History, cancellationToken)
                .ConfigureAwait(false);
            if (await store.AddRowAsync(GroupTable.Summaries, DiscoveredRow.Of(conversation, null, before, false, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref tally.TopicsFound);
                metrics.Discovered(DiscoveryKind.Topic);
            }
        }
        // Answered at all: topic-enabled, even with no topic yet, so later runs look again for topics made since.
        return true;
    }
}

using System.Globalization;
using System.Text;
using System.Web;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>After-events are acknowledged once their delivery is queued, then reach the handler at least once, byte for byte.</summary>
public class AfterEventTests(Azurite azurite) : RelayTest(azurite)
{
    [Fact]
    public async Task After_events_arrive_at_the_handler_byte_for_byte_with_a_fresh_valid_signature()
    {
        var sendUrl = App.SignedUrl(AfterSendMsg.Command);
        var send = CallbackRequests.Message(msgSeq: 7, text: "stored and relayed");
        var joinUrl = App.SignedUrl(AfterJoin);
        var join = AfterJoinBody();
        AssertAcknowledged(await PostRawAsync(sendUrl, send));
        AssertAcknowledged(await PostRawAsync(joinUrl, join));
        Assert.Single(await QueuedEventsAsync());

        App.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([DeliveryOutcome.Delivered, DeliveryOutcome.Delivered], await DeliverQueuedAsync());

        var now = App.Clock.GetUtcNow();
        foreach (var (url, body) in new[] { (sendUrl, send), (joinUrl, join) })
        {
            var received = Assert.Single(Handler.Requests, r => r.Body.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(body)));
            var sent = HttpUtility.ParseQueryString(url.Query);
            var got = HttpUtility.ParseQueryString(received.Query);
            Assert.Equal(sent.AllKeys, got.AllKeys);
            foreach (var name in sent.AllKeys.Except([CallbackQuery.RequestTimeName, CallbackQuery.SignName]))
                Assert.Equal(sent[name], got[name]);
            Assert.Equal(now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), got[CallbackQuery.RequestTimeName]);
            Assert.Equal(SignatureCheck.Valid, CallbackSignature.Verify(CallbackRequests.Token, got[CallbackQuery.SignName], got[CallbackQuery.RequestTimeName], now, 60));
        }
    }

    [Fact]
    public async Task While_the_token_is_rotated_a_delivery_is_resigned_with_the_old_token_that_Tencent_signed_it_with()
    {
        using var app = new TestApp(Azurite.ConnectionString, token: "the-new-token", previousToken: CallbackRequests.Token, settings: RelaySettings);
        AssertAcknowledged(await PostSignedAsync(AfterJoin, AfterJoinBody(), app));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([DeliveryOutcome.Delivered], await DeliverQueuedAsync(app));

        var got = HttpUtility.ParseQueryString(Assert.Single(Handler.Requests).Query);
        Assert.Equal(SignatureCheck.Valid, CallbackSignature.Verify(CallbackRequests.Token, got[CallbackQuery.SignName], got[CallbackQuery.RequestTimeName], app.Clock.GetUtcNow(), 60));
    }

    [Fact]
    public async Task An_after_event_with_whitespace_around_its_JSON_arrives_at_the_handler_byte_for_byte_even_after_a_retry()
    {
        var body = " \r\n" + AfterJoinBody() + "\n";
        AssertAcknowledged(await PostSignedAsync(AfterJoin, body));

        Handler.FailWith = 503;
        Assert.Equal([DeliveryOutcome.Retried], await DeliverQueuedAsync(maxRounds: 1));
        Handler.FailWith = null;
        Assert.Equal([DeliveryOutcome.Delivered], await DeliverQueuedAsync());

        Assert.All(Handler.Requests, r => Assert.Equal(Encoding.UTF8.GetBytes(body), r.Body));
    }

    [Fact]
    public async Task With_the_handler_down_for_a_while_then_back_every_event_is_delivered_and_none_lost()
    {
        var bodies = Enumerable.Range(1, 6).Select(i => AfterJoinBody($"member-{i}")).ToList();
        foreach (var body in bodies)
            AssertAcknowledged(await PostSignedAsync(AfterJoin, body));

        Handler.FailWith = 503;
        var whileDown = await DeliverQueuedAsync(maxRounds: 3);
        Handler.FailWith = null;
        var whenBack = await DeliverQueuedAsync();

        Assert.All(whileDown, outcome => Assert.Equal(DeliveryOutcome.Retried, outcome));
        Assert.True(whileDown.Count >= bodies.Count);
        Assert.Equal(bodies.Count, whenBack.Count(o => o == DeliveryOutcome.Delivered));
        var delivered = Handler.Requests.Where(r => r.Status == 200).Select(r => Encoding.UTF8.GetString(r.Body)).Order().ToList();
        Assert.Equal(bodies.Order(), delivered);
        Assert.Empty(await TakeAllAsync(StorageNames.RelayPoisonQueue));
    }

    [Fact]
    public async Task A_delivery_too_big_for_a_queue_message_goes_through_a_blob_and_arrives_byte_for_byte()
    {
        var body = AfterJoinBody(padding: new string('x', 60 * 1024));
        AssertAcknowledged(await PostSignedAsync(AfterJoin, body));

        Assert.Equal([DeliveryOutcome.Delivered], await DeliverQueuedAsync());

        Assert.Equal(Encoding.UTF8.GetBytes(body), Assert.Single(Handler.Requests).Body);
    }

    [Fact]
    public async Task A_delivery_just_small_enough_for_a_queue_message_is_retried_with_backoff_when_the_handler_is_down()
    {
        // Measure the queued delivery of a small body, then pad the body so the delivery is exactly the largest inline size.
        AssertAcknowledged(await PostSignedAsync(AfterJoin, AfterJoinBody()));
        var probe = Assert.Single(await TakeAllAsync(StorageNames.RelayQueue));
        var body = AfterJoinBody(padding: new string('x', EventEnvelope.MaxQueuedBytes - probe.Body.ToMemory().Length));
        AssertAcknowledged(await PostSignedAsync(AfterJoin, body));

        Handler.FailWith = 503;
        var whileDown = await DeliverQueuedAsync(maxRounds: 1);
        Handler.FailWith = null;
        var whenBack = await DeliverQueuedAsync();

        Assert.Equal([DeliveryOutcome.Retried], whileDown);
        Assert.Equal([DeliveryOutcome.Delivered], whenBack);
        Assert.Equal(Encoding.UTF8.GetBytes(body), Handler.Requests[^1].Body);
    }

    [Fact]
    public async Task Relay_Commands_narrows_the_after_events_delivered()
    {
        using var app = new TestApp(Azurite.ConnectionString, settings: new Dictionary<string, string?>(RelaySettings) { ["Relay:Commands"] = AfterJoin });

        AssertAcknowledged(await PostSignedAsync(AfterSendMsg.Command, CallbackRequests.Message(msgSeq: 1), app));
        AssertAcknowledged(await PostSignedAsync(AfterJoin, AfterJoinBody(), app));
        AssertAcknowledged(await PostSignedAsync("Group.CallbackAfterQuitGroup", """{"CallbackCommand":"Group.CallbackAfterQuitGroup","GroupId":"@TGS#1"}""", app));

        Assert.Equal([DeliveryOutcome.Delivered], await DeliverQueuedAsync(app));
        Assert.Equal(Encoding.UTF8.GetBytes(AfterJoinBody()), Assert.Single(Handler.Requests).Body);
        Assert.Single(await QueuedEventsAsync());
    }

    [Fact]
    public async Task An_after_event_whose_delivery_cannot_be_queued_is_answered_503_not_OK()
    {
        using var app = new TestApp(Azurite.ConnectionStringWithout("Queue"), settings: RelaySettings);

        var (status, _) = await PostSignedAsync(AfterJoin, AfterJoinBody(), app);

        Assert.Equal(503, status);
        Assert.Empty(Handler.Requests);
    }
}

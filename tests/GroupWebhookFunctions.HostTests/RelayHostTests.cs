using System.Net;
using System.Text;
using GroupWebhookFunctions.HostTests.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.HostTests;

/// <summary>
/// Under the real host, with Relay__Url set to a stand-in handler: a before-event is answered by the handler through
/// the host, and an after-event is delivered by DeliverToRelay, which the host triggers from relay-deliveries. The
/// host runs on storage of its own, so the shared host (relay off) cannot take its deliveries.
/// </summary>
[Collection(HostCollection.Name)]
public class RelayHostTests(HostedApp app)
{
    private const string BeforeSend = "Group.CallbackBeforeSendMsg";
    private const string AfterJoin = "Group.CallbackAfterNewMemberJoin";

    [SkippableFact]
    public async Task A_before_event_round_trips_through_the_host_and_DeliverToRelay_is_triggered_from_relay_deliveries()
    {
        app.Require();
        await using var handler = new StandInHandler();
        await using var storage = await AzuriteServices.StartAsync(Repository.Root);
        var settings = new Dictionary<string, string>(app.Settings)
        {
            [StorageNames.Connection] = storage.ConnectionString,
            ["Relay__Url"] = handler.Url,
            ["Relay__RetryDelaySeconds"] = "0",
        };
        settings.Remove("APPLICATIONINSIGHTS_CONNECTION_STRING");
        await using var host = await app.StartHostAsync(settings, "relay");

        var deny = Encoding.UTF8.GetBytes("""{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":1}""");
        handler.Answer = deny;
        var before = """{"CallbackCommand":"Group.CallbackBeforeSendMsg","GroupId":"@TGS#relay","Type":"Public","From_Account":"jared","Random":1,"MsgBody":[]}""";
        using (var reply = await app.PostCallbackAsync(BeforeSend, before, host))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            Assert.Equal(deny, await reply.Content.ReadAsByteArrayAsync());
        }

        handler.Answer = StandInHandler.OkAnswer;
        var after = """{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#relay","Type":"Public","JoinType":"Apply","Operator_Account":"leckie","NewMemberList":[{"Member_Account":"tommy"}]}""";
        using (var reply = await app.PostCallbackAsync(AfterJoin, after, host))
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

        await HostedApp.WaitForAsync(() => Task.FromResult(handler.Requests.Any(r => r.Body.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(after)))),
            TimeSpan.FromSeconds(60), "DeliverToRelay to deliver the after-event");
        Assert.Equal(2, handler.Requests.Count);
    }
}

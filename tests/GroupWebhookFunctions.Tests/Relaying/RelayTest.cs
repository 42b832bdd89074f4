using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Relaying;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Relaying;

/// <summary>The app with its relay pointed at a stand-in handler on a loopback port; deliveries run as the host runs them.</summary>
public abstract class RelayTest(Azurite azurite) : StorageTest(azurite)
{
    protected StandInHandler Handler { get; } = new();

    /// <summary>Relay settings over the test's own; retries wait no time, so a test drains them at once.</summary>
    protected virtual IReadOnlyDictionary<string, string?> RelaySettings => new Dictionary<string, string?>
    {
        ["Relay:Url"] = Handler.Url,
        ["Relay:RetryDelaySeconds"] = "0",
        ["Relay:BeforeTimeoutMilliseconds"] = "300",
    };

    protected override TestApp CreateApp() => new(Azurite.ConnectionString, settings: RelaySettings);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Azurite.Queue(StorageNames.RelayQueue).DeleteIfExistsAsync();
        await Azurite.Queue(StorageNames.RelayPoisonQueue).DeleteIfExistsAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Handler.DisposeAsync();
    }

    public const string BeforeSend = "Group.CallbackBeforeSendMsg";
    public const string AfterJoin = "Group.CallbackAfterNewMemberJoin";

    public static string BeforeSendBody(string text = "hello") =>
        $$$"""{"CallbackCommand":"{{{BeforeSend}}}","GroupId":"@TGS#2J4SZEAEL","Type":"Public","From_Account":"jared","Operator_Account":"","Random":123456,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"{{{text}}}"}}],"EventTime":1670574414123}""";

    /// <summary>An after-event this app does not store, with its odd spacing kept: the handler must get exactly these bytes.</summary>
    public static string AfterJoinBody(string member = "tommy", string padding = "") =>
        $$$"""{ "CallbackCommand" : "{{{AfterJoin}}}", "GroupId":"@TGS#2J4SZEAEL","Type":"Public","JoinType":"Apply","Operator_Account":"leckie","NewMemberList":[{"Member_Account":"{{{member}}}"}],"Padding":"{{{padding}}}" }""";

    /// <summary>Posts to the callback function and returns its answer's status and exact bytes.</summary>
    protected async Task<(int Status, byte[] Body)> PostRawAsync(Uri url, string body, TestApp? app = null)
    {
        var response = await (app ?? App).Get<TencentChatCallbackFunction>().RunAsync(CallbackRequests.Request(url, body), CancellationToken.None);
        response.Body.Position = 0;
        using var bytes = new MemoryStream();
        await response.Body.CopyToAsync(bytes);
        return ((int)response.StatusCode, bytes.ToArray());
    }

    protected Task<(int Status, byte[] Body)> PostSignedAsync(string command, string body, TestApp? app = null) =>
        PostRawAsync((app ?? App).SignedUrl(command), body, app);

    protected static byte[] Ok => CallbackReply.Ok.Body.ToArray();

    /// <summary>200 with Tencent's plain OK: for a before-event, allow.</summary>
    protected static void AssertAllowed((int Status, byte[] Body) reply)
    {
        Assert.Equal(200, reply.Status);
        Assert.Equal(Ok, reply.Body);
    }

    /// <summary>For an after-event, the same answer says it is safely queued.</summary>
    protected static void AssertAcknowledged((int Status, byte[] Body) reply) => AssertAllowed(reply);

    /// <summary>Runs DeliverToRelay on each message of relay-deliveries, deleting it once the function returns, as the host does, until none is left.</summary>
    protected async Task<List<DeliveryOutcome>> DeliverQueuedAsync(TestApp? app = null, int maxRounds = 50)
    {
        var queue = Azurite.Queue(StorageNames.RelayQueue);
        var deliverer = (app ?? App).Get<RelayDeliverer>();
        var outcomes = new List<DeliveryOutcome>();
        for (var round = 0; round < maxRounds && await queue.ExistsAsync(); round++)
        {
            Azure.Storage.Queues.Models.QueueMessage[] batch = await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1));
            if (batch.Length == 0)
                break;
            foreach (var message in batch)
            {
                outcomes.Add(await deliverer.DeliverAsync(BinaryData.FromString(message.Body.ToString()), CancellationToken.None));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
        return outcomes;
    }
}

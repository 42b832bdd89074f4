using System.Net;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Functions;

/// <summary>The callback URL set in Tencent's console: answers within Tencent's 2 seconds, after the event is queued.</summary>
public sealed class TencentChatCallbackFunction(CallbackReceiver receiver)
{
    public const string Route = "tencent-chat/callback";
    public const string FunctionName = "TencentChatCallback";

    [Function(FunctionName)]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var forwardedFor = request.Headers.TryGetValues("X-Forwarded-For", out var values) ? string.Join(',', values) : null;
        var reply = await receiver.ReceiveAsync(CallbackQuery.From(request.Query) with { Raw = request.Url.Query }, request.Body, RemoteAddress.FromForwardedFor(forwardedFor), cancellationToken);
        return await JsonResponse.WriteAsync(request, (HttpStatusCode)reply.StatusCode, reply.Body, cancellationToken);
    }
}

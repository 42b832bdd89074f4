using System.Net;
using GroupWebhookFunctions.Archive;
using GroupWebhookFunctions.Receiving;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Functions;

/// <summary>Reading the archive back, with a function key: the store's own routes and Tencent's history API.</summary>
public sealed class ArchiveFunctions(ArchiveService archive, TencentHistoryService tencent)
{
    /// <summary>A history request is a few fields; anything longer is not one.</summary>
    private const int MaxRequestBytes = 16 * 1024;

    [Function("ArchiveMessages")]
    public async Task<HttpResponseData> MessagesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ArchiveRoutes.Messages)] HttpRequestData request,
        string groupId,
        CancellationToken cancellationToken) =>
        await WriteAsync(request, () => archive.MessagesAsync(GroupIdOf(request, groupId), request.Query, cancellationToken), cancellationToken);

    [Function("ArchiveGroup")]
    public async Task<HttpResponseData> GroupAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ArchiveRoutes.Group)] HttpRequestData request,
        string groupId,
        CancellationToken cancellationToken) =>
        await WriteAsync(request, () => archive.SummaryAsync(GroupIdOf(request, groupId), request.Query, cancellationToken), cancellationToken);

    [Function("ArchiveReaders")]
    public async Task<HttpResponseData> ReadersAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ArchiveRoutes.Readers)] HttpRequestData request,
        string groupId,
        string msgSeq,
        CancellationToken cancellationToken) =>
        await WriteAsync(request, () => archive.ReadersAsync(GroupIdOf(request, groupId), msgSeq, request.Query, cancellationToken), cancellationToken);

    /// <summary>Tencent's query parameters (sdkappid, identifier, usersig, random, contenttype) are accepted and ignored: the function key authorizes.</summary>
    [Function("ArchiveTencentHistory")]
    public async Task<HttpResponseData> TencentHistoryAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ArchiveRoutes.TencentHistory)] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        using var body = await BodyReader.ReadAsync(request.Body, MaxRequestBytes, cancellationToken);
        byte[] answer;
        try
        {
            answer = body is null
                ? TencentHistoryService.Fail(TencentHistoryRequest.InvalidParameter, $"A request is at most {MaxRequestBytes} bytes.")
                : await tencent.AnswerAsync(body.WrittenMemory, cancellationToken);
        }
        catch (Exception ex) when (StorageFailure.Is(ex))
        {
            answer = TencentHistoryService.Fail(TencentHistoryService.InternalError, "Storage did not answer; retry.");
        }
        // Tencent answers HTTP 200 whatever the outcome; its clients read ActionStatus and ErrorCode.
        return await JsonResponse.WriteAsync(request, HttpStatusCode.OK, answer, cancellationToken);
    }

    private static string GroupIdOf(HttpRequestData request, string bound) => ArchiveRoutes.GroupId(request.Url.AbsolutePath, bound);

    private static async Task<HttpResponseData> WriteAsync(HttpRequestData request, Func<Task<ArchiveAnswer>> read, CancellationToken cancellationToken)
    {
        ArchiveAnswer answer;
        try
        {
            answer = await read();
        }
        catch (Exception ex) when (StorageFailure.Is(ex))
        {
            answer = ArchiveAnswer.Error(HttpStatusCode.ServiceUnavailable, "Storage did not answer; try again when GET /api/ops/health is Healthy.");
        }
        return await JsonResponse.WriteAsync(request, answer.Status, answer.Body, cancellationToken);
    }

}

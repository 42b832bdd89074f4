using System.Globalization;
using System.Net;
using GroupWebhookFunctions.Importing;
using GroupWebhookFunctions.Operating;
using GroupWebhookFunctions.Receiving;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Functions;

/// <summary>
/// What the team that runs the app calls with a function key. Routes live under ops/: the Functions host keeps
/// routes beginning with admin for itself.
/// </summary>
public sealed class OperationsFunctions(HealthReport health, PoisonReplayer replayer, HistoryImporter importer, TencentChatOptions chat)
{
    public const string HealthRoute = "ops/health";
    public const string ReplayRoute = "ops/poison/replay";
    public const string ImportsRoute = "ops/history-imports";

    /// <summary>An import request is a few fields; anything longer is not one.</summary>
    private const int MaxImportRequestBytes = 16 * 1024;

    [Function("OpsHealth")]
    public async Task<HttpResponseData> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = HealthRoute)] HttpRequestData request,
        CancellationToken cancellationToken) =>
        await JsonResponse.WriteAsync(request, HttpStatusCode.OK, await health.RenderAsync(cancellationToken), cancellationToken);

    [Function("OpsPoisonReplay")]
    public async Task<HttpResponseData> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ReplayRoute)] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var text = request.Query["max"];
        var max = PoisonReplayer.DefaultMax;
        if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > PoisonReplayer.MaxMax))
            return await JsonResponse.WriteAsync(request, HttpStatusCode.BadRequest, OperationsJson.Error($"max must be a whole number from 1 to {PoisonReplayer.MaxMax}."), cancellationToken);
        var queue = request.Query["queue"] ?? PoisonReplayer.DefaultQueue;
        if (!PoisonReplayer.IsReplayable(queue))
            return await JsonResponse.WriteAsync(request, HttpStatusCode.BadRequest,
                OperationsJson.Error($"queue must be one of: {string.Join(", ", StorageNames.PoisonQueues)}."), cancellationToken);

        var (moved, remaining) = await replayer.ReplayAsync(queue, max, cancellationToken);
        return await JsonResponse.WriteAsync(request, HttpStatusCode.OK, OperationsJson.Replayed(moved, remaining), cancellationToken);
    }

    [Function("OpsStartHistoryImport")]
    public async Task<HttpResponseData> StartImportAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ImportsRoute)] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        if (!chat.ReconcilesHistory)
            return await JsonResponse.WriteAsync(request, HttpStatusCode.Conflict,
                OperationsJson.Error("History import needs TencentChat__AdminIdentifier and TencentChat__SecretKey: set both to call Tencent's REST API."), cancellationToken);

        using var body = await BodyReader.ReadAsync(request.Body, MaxImportRequestBytes, cancellationToken);
        if (body is null)
            return await JsonResponse.WriteAsync(request, HttpStatusCode.RequestEntityTooLarge, OperationsJson.Error($"An import request is at most {MaxImportRequestBytes} bytes."), cancellationToken);
        if (HistoryImportRequest.Parse(body.WrittenMemory, out var problem) is not { } import)
            return await JsonResponse.WriteAsync(request, HttpStatusCode.BadRequest, OperationsJson.Error(problem!), cancellationToken);

        string id;
        try
        {
            id = await importer.StartAsync(import, cancellationToken);
        }
        catch (Exception ex) when (StorageFailure.Is(ex))
        {
            return await StorageUnavailableAsync(request, cancellationToken);
        }
        var response = await JsonResponse.WriteAsync(request, HttpStatusCode.Accepted, OperationsJson.Write(writer => writer.WriteString("Id", id)), cancellationToken);
        response.Headers.Add("Location", $"/api/{ImportsRoute}/{id}");
        return response;
    }

    [Function("OpsGetHistoryImport")]
    public async Task<HttpResponseData> GetImportAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ImportsRoute + "/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!ImportRecord.IsImportId(id))
            return await JsonResponse.WriteAsync(request, HttpStatusCode.BadRequest, OperationsJson.Error("An import id is the 32 lower-case hex digits its POST answered."), cancellationToken);
        byte[]? progress;
        try
        {
            progress = await importer.DescribeAsync(id, cancellationToken);
        }
        catch (Exception ex) when (StorageFailure.Is(ex))
        {
            return await StorageUnavailableAsync(request, cancellationToken);
        }
        return progress is not null
            ? await JsonResponse.WriteAsync(request, HttpStatusCode.OK, progress, cancellationToken)
            : await JsonResponse.WriteAsync(request, HttpStatusCode.NotFound, OperationsJson.Error("No import has this id."), cancellationToken);
    }

    /// <summary>503 with JSON: storage did not answer (<see cref="StorageFailure.Is"/>), and nothing was started.</summary>
    private static async Task<HttpResponseData> StorageUnavailableAsync(HttpRequestData request, CancellationToken cancellationToken) =>
        await JsonResponse.WriteAsync(request, HttpStatusCode.ServiceUnavailable,
            OperationsJson.Error("Storage did not answer; nothing was started. Try again when GET /api/ops/health is Healthy."), cancellationToken);
}

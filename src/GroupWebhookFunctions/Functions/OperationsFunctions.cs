using System.Globalization;
using System.Net;
using GroupWebhookFunctions.Operating;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Functions;

/// <summary>
/// What the team that runs the app calls with a function key. Routes live under ops/: the Functions host keeps
/// routes beginning with admin for itself.
/// </summary>
public sealed class OperationsFunctions(HealthReport health, PoisonReplayer replayer)
{
    public const string HealthRoute = "ops/health";
    public const string ReplayRoute = "ops/poison/replay";

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

        var (moved, remaining) = await replayer.ReplayAsync(max, cancellationToken);
        return await JsonResponse.WriteAsync(request, HttpStatusCode.OK, OperationsJson.Replayed(moved, remaining), cancellationToken);
    }
}

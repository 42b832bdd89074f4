using System.Net;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Functions;

/// <summary>Every answer of this app is JSON bytes rendered beforehand.</summary>
internal static class JsonResponse
{
    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpStatusCode status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.Body.WriteAsync(body, cancellationToken);
        return response;
    }
}

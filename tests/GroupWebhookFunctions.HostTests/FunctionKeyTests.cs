using System.Net;
using System.Text;
using GroupWebhookFunctions.HostTests.Hosting;

namespace GroupWebhookFunctions.HostTests;

/// <summary>The operations and import endpoints are function-level: the host refuses them without a key.</summary>
[Collection(HostCollection.Name)]
public class FunctionKeyTests(HostedApp app)
{
    public static TheoryData<string, string, string?, HttpStatusCode> Endpoints => new()
    {
        { "GET", "api/ops/health", null, HttpStatusCode.OK },
        { "POST", "api/ops/poison/replay?max=1", null, HttpStatusCode.OK },
        { "POST", "api/ops/history-imports", """{"GroupId":"@TGS#keys","FromSeq":1,"ToSeq":1}""", HttpStatusCode.Accepted },
        { "GET", "api/ops/history-imports/0123456789abcdef0123456789abcdef", null, HttpStatusCode.NotFound },
    };

    [SkippableTheory]
    [MemberData(nameof(Endpoints))]
    public async Task An_operations_endpoint_answers_401_without_a_function_key_and_works_with_one(string method, string path, string? body, HttpStatusCode withKey)
    {
        app.Require();

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(method, path, body, key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(method, path, body, key: "not-" + app.Host.FunctionKey));
        Assert.Equal(withKey, await CallAsync(method, path, body, app.Host.FunctionKey));
    }

    private async Task<HttpStatusCode> CallAsync(string method, string path, string? body, string? key)
    {
        using var request = HostProcess.WithKey(new HttpMethod(method), path, key, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
        using var response = await app.Host.Http.SendAsync(request);
        return response.StatusCode;
    }
}

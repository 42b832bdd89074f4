using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>The Functions host's request and response, as the worker hands them to a function.</summary>
public sealed class TestHttpRequest(Uri url, Stream body) : HttpRequestData(new TestFunctionContext())
{
    public override Stream Body { get; } = body;
    public override HttpHeadersCollection Headers { get; } = [];
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; } = url;
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method => "POST";

    public override HttpResponseData CreateResponse() => new TestHttpResponse(FunctionContext);
}

public sealed class TestHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = [];
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies => throw new NotSupportedException("The callback sets no cookies.");
}

public sealed class TestFunctionContext(int? dequeueCount = null) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId => "TencentChatCallback";
    public override TraceContext TraceContext => null!;
    /// <summary>What the queue trigger's binding data holds: DequeueCount, when the test gives one.</summary>
    public override BindingContext BindingContext { get; } = new TestBindingContext(dequeueCount);
    public override RetryContext RetryContext => null!;
    public override IServiceProvider InstanceServices { get; set; } = null!;
    public override FunctionDefinition FunctionDefinition => null!;
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => null!;
}

internal sealed class TestBindingContext(int? dequeueCount) : BindingContext
{
    public override IReadOnlyDictionary<string, object?> BindingData { get; } =
        dequeueCount is { } count ? new Dictionary<string, object?> { ["DequeueCount"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) } : new Dictionary<string, object?>();
}

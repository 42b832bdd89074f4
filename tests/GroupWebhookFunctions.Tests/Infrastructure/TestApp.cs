using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.TencentChat.Callbacks;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Hosting;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>
/// The function app's own service registrations over real storage, with a clock the test sets and the logs kept.
/// Its functions are called as the Functions host calls them.
/// </summary>
public sealed class TestApp : IDisposable
{
    private readonly ServiceProvider _services;

    public TestApp(string storageConnectionString, string? token = CallbackRequests.Token, int? maxBodyBytes = null, string? previousToken = null,
        string? recalledContent = null, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? NewClock();
        var all = new Dictionary<string, string?>
        {
            [StorageNames.Connection] = storageConnectionString,
            ["TencentChat:SdkAppId"] = CallbackRequests.SdkAppId,
            ["TencentChat:CallbackToken"] = token,
            ["TencentChat:PreviousCallbackToken"] = previousToken,
        };
        if (recalledContent is not null)
            all["TencentChat:RecalledContent"] = recalledContent;
        if (maxBodyBytes is not null)
            all["TencentChat:MaxBodyBytes"] = maxBodyBytes.ToString();
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            all[name] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddGroupWebhooks(configuration)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<TencentChatCallbackFunction>()
            .AddSingleton<SynchronizeGroupMessageFunction>()
            .AddSingleton<OperationsFunctions>()
            .AddSingleton<ReconcileHistoryFunction>()
            .AddSingleton<ImportHistoryPageFunction>()
            .AddSingleton<ArchiveFunctions>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeTimeProvider Clock { get; }

    public static FakeTimeProvider NewClock() => new(DateTimeOffset.Parse("2026-11-26T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public LogCollector Logs { get; } = new();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<Reply> PostAsync(Uri url, string body) => await PostAsync(CallbackRequests.Request(url, body));

    public async Task<Reply> PostAsync(TestHttpRequest request)
    {
        var response = await Get<TencentChatCallbackFunction>().RunAsync(request, CancellationToken.None);
        response.Body.Position = 0;
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return new Reply((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.GetValues("Content-Type").Single());
    }

    /// <summary>A signed request URL at the test clock's time.</summary>
    public Uri SignedUrl(string? command = AfterSendMsg.Command) => CallbackRequests.Url(command: command, signedAt: Clock.GetUtcNow());

    /// <summary>Posts a body to the callback URL signed for its own command, as Tencent does.</summary>
    public Task<Reply> PostAsync(string command, string body) => PostAsync(SignedUrl(command), body);

    /// <summary>Calls an operations endpoint as the host would once the function key checked out.</summary>
    public async Task<(int StatusCode, JsonElement Body)> OperateAsync(Func<OperationsFunctions, HttpRequestData, Task<HttpResponseData>> endpoint, string query = "", string? body = null)
    {
        var request = new TestHttpRequest(new Uri("https://receiver.example/api/ops/x" + query), new MemoryStream(Encoding.UTF8.GetBytes(body ?? "")));
        var response = await endpoint(Get<OperationsFunctions>(), request);
        response.Body.Position = 0;
        return ((int)response.StatusCode, (await JsonDocument.ParseAsync(response.Body)).RootElement.Clone());
    }

    /// <summary>Runs the queue-triggered synchronizer on a message the queue has handed out <paramref name="dequeueCount"/> times.</summary>
    public Task SynchronizeAsync(string queueMessage, int? dequeueCount = null) =>
        Get<SynchronizeGroupMessageFunction>().RunAsync(queueMessage, new TestFunctionContext(dequeueCount), CancellationToken.None);

    public void Dispose() => _services.Dispose();
}

public sealed record Reply(int StatusCode, JsonElement Body, string ContentType)
{
    public string ActionStatus => Body.GetProperty("ActionStatus").GetString()!;
    public int ErrorCode => Body.GetProperty("ErrorCode").GetInt32();
    public string ErrorInfo => Body.GetProperty("ErrorInfo").GetString()!;
}

public sealed class LogCollector : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public string AllText => string.Join('\n', Entries.Select(e => e.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            lock (owner._entries)
                owner._entries.Add((logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception), fields));
        }
    }
}

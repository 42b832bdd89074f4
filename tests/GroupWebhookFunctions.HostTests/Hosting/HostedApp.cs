using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.Testing;
using GroupWebhookFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>
/// The app as a user runs it: published once, under a real Functions host, with Azurite's three services as separate
/// processes, the values of local.settings.sample.json plus this suite's own (a callback token, reconciliation
/// against a Tencent REST double on a fast schedule, telemetry exported to a local sink). Shared by every host test;
/// when no host can be found, every test is skipped with the reason.
/// </summary>
public sealed class HostedApp(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string Admin = "administrator";

    /// <summary>Every three seconds: the timer must be seen to run within a test's patience.</summary>
    public const string FastSchedule = "*/3 * * * * *";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private HostProcess? _host;
    private AzuriteServices? _storage;
    private TencentRestDouble? _tencent;
    private TelemetrySink? _telemetry;
    private string? _published;

    /// <summary>Why the suite is skipped, or null when a host runs the app.</summary>
    public string? Unavailable { get; private set; }

    public HostKind Kind { get; private set; } = null!;

    public HostProcess Host => _host ?? throw new InvalidOperationException(Unavailable ?? "The host has not started.");

    public AzuriteServices Storage => _storage!;

    public TencentRestDouble Tencent => _tencent!;

    public TelemetrySink Telemetry => _telemetry!;

    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string SecretKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The settings the shared host runs with.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    public string SdkAppId => Settings["TencentChat__SdkAppId"];

    /// <summary>Where the log of the start and of one webhook stored end: what a clean run wrote.</summary>
    public int CleanRunEnd { get; private set; }

    public string PublishedHostJson => Path.Combine(_published!, "host.json");

    public async Task InitializeAsync()
    {
        if (HostKind.Find(out var whyNot) is not { } kind)
        {
            Unavailable = whyNot;
            diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage(whyNot));
            return;
        }
        Kind = kind;
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _published = await PublishAsync();
        _storage = await AzuriteServices.StartAsync(Repository.Root);
        _telemetry = new TelemetrySink(LogPath("telemetry"));
        var sample = SampleSettings();
        _tencent = new TencentRestDouble(long.Parse(sample["TencentChat__SdkAppId"], CultureInfo.InvariantCulture), Admin, SecretKey);
        Settings = new Dictionary<string, string>(sample)
        {
            [StorageNames.Connection] = _storage.ConnectionString,
            ["TencentChat__CallbackToken"] = Token,
            ["TencentChat__AdminIdentifier"] = Admin,
            ["TencentChat__SecretKey"] = SecretKey,
            ["TencentChat__ApiBaseUrl"] = _tencent.BaseUrl,
            ["Reconcile__Schedule"] = FastSchedule,
            ["Reconcile__GraceSeconds"] = "0",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = _telemetry.ConnectionString,
        };
        _host = await StartHostAsync(Settings, "shared");

        // A clean run: the start, and one webhook acknowledged and stored.
        var reply = await PostCallbackAsync(TencentChat.Callbacks.AfterSendMsg.Command, Webhooks.Send("@TGS#warm-up", 1));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        await WaitForAsync(() => RowExistsAsync(StorageNames.MessageTable, TableKeys.ConversationPartition("@TGS#warm-up", null), TableKeys.SequenceRow(1)),
            TimeSpan.FromSeconds(60), "the warm-up message in its table");
        CleanRunEnd = Host.Log.Position;
    }

    /// <summary>Stops whatever was started; safe to call again, as after a start that failed half way.</summary>
    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        if (_storage is not null)
            await _storage.DisposeAsync();
        if (_tencent is not null)
            await _tencent.DisposeAsync();
        if (_telemetry is not null)
            await _telemetry.DisposeAsync();
        if (_published is not null)
            Directory.Delete(Path.GetDirectoryName(_published)!, recursive: true);
        (_host, _storage, _tencent, _telemetry, _published) = (null, null, null, null, null);
    }

    /// <summary>Skips the calling test, with the reason, when no host can be found.</summary>
    public void Require() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>Another host on the same storage with settings of its own; its log is kept beside the shared one's.</summary>
    public Task<HostProcess> StartHostAsync(IReadOnlyDictionary<string, string> settings, string name) =>
        HostProcess.StartAsync(Kind, _published!, settings, LogPath(name), StartTimeout);

    /// <summary>A callback as Tencent sends it: signed with the token at the current time, for its command.</summary>
    public Task<HttpResponseMessage> PostCallbackAsync(string command, string body, HostProcess? host = null) =>
        PostCallbackAsync(command, new StringContent(body, Encoding.UTF8, "application/json"), host);

    public async Task<HttpResponseMessage> PostCallbackAsync(string command, HttpContent body, HostProcess? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CallbackPath(command)) { Content = body };
        return await (host ?? Host).Http.SendAsync(request);
    }

    public string CallbackPath(string command)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"api/tencent-chat/callback?SdkAppid={SdkAppId}&CallbackCommand={command}&contenttype=json&ClientIP=203.0.113.7&OptPlatform=Android" +
            $"&RequestTime={time}&Sign={CallbackSignature.Compute(Token, time)}";
    }

    public TableClient Table(string name) => new(Storage.ConnectionString, name);

    public QueueClient Queue(string name) => new(Storage.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public async Task<bool> RowExistsAsync(string table, string partitionKey, string rowKey)
    {
        try
        {
            var row = await Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey);
            return row.HasValue;
        }
        catch (Azure.RequestFailedException)
        {
            return false;
        }
    }

    public async Task<List<TableEntity>> RowsAsync(string table, string partitionKey)
    {
        try
        {
            var rows = new List<TableEntity>();
            await foreach (var row in Table(table).QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey))
                rows.Add(row);
            return rows;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout} for {what}.");
            await Task.Delay(250);
        }
    }

    /// <summary>The values of local.settings.sample.json, as `func start` makes them environment variables.</summary>
    public static Dictionary<string, string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    private static string LogPath(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "host-logs")).FullName;
        return Path.Combine(folder, $"{name}-{DateTime.UtcNow:HHmmss}.log");
    }

    /// <summary>Publishes the function app as it is deployed; the build that ran the tests already compiled it.</summary>
    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("gwf-app-").FullName, "app");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", Repository.PathOf("src", "GroupWebhookFunctions", "GroupWebhookFunctions.csproj"),
                "-c", Repository.Configuration, "-o", output, "--no-build", "--nologo",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostedApp>
{
    public const string Name = "Functions host";
}

using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using GroupWebhookFunctions.Testing;

namespace GroupWebhookFunctions.HostTests.Hosting;

/// <summary>
/// Application Insights' ingestion endpoint as far as the Azure Monitor exporter needs it, on a free loopback port:
/// the app's own exporter (APPLICATIONINSIGHTS_CONNECTION_STRING, as infra/ sets it) sends its metrics here, so a
/// test reads the counters the dashboard and the alerts would read.
/// </summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly List<(DateTimeOffset Received, JsonElement Item)> _items = [];
    private readonly string? _copyPath;

    /// <param name="copyPath">A file that gets every item received, one JSON line each, for reading after a failed run.</param>
    public TelemetrySink(string? copyPath = null)
    {
        _copyPath = copyPath;
        _server = new LoopbackHttpServer(AcceptAsync);
    }

    public string Endpoint => _server.BaseUrl + "/";

    /// <summary>A connection string whose ingestion and live-metrics endpoints are this sink.</summary>
    public string ConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={Endpoint};LiveEndpoint={Endpoint}";

    /// <summary>The values of every exported data point of metric <paramref name="name"/> whose tags include <paramref name="tags"/>, received since <paramref name="since"/>.</summary>
    public IReadOnlyList<double> MetricValues(string name, IReadOnlyDictionary<string, string> tags, DateTimeOffset since)
    {
        var values = new List<double>();
        lock (_items)
        {
            foreach (var (received, item) in _items)
            {
                if (received < since || !item.TryGetProperty("data", out var data) || !data.TryGetProperty("baseData", out var baseData)
                    || !baseData.TryGetProperty("metrics", out var metrics))
                    continue;
                var properties = baseData.TryGetProperty("properties", out var p) ? p : default;
                if (tags.Any(tag => properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(tag.Key, out var v) || v.GetString() != tag.Value))
                    continue;
                values.AddRange(metrics.EnumerateArray().Where(m => m.GetProperty("name").GetString() == name).Select(m => m.GetProperty("value").GetDouble()));
            }
        }
        return values;
    }

    /// <summary>
    /// The log records exported since <paramref name="since"/> (Application Insights' traces and exceptions): with a
    /// connection string set, the worker sends the app's logs here rather than through the host.
    /// </summary>
    public IReadOnlyList<ExportedLog> Logs(DateTimeOffset since)
    {
        var logs = new List<ExportedLog>();
        lock (_items)
        {
            foreach (var (received, item) in _items)
            {
                var kind = item.TryGetProperty("name", out var name) ? name.GetString() : null;
                if (received < since || kind is not ("Message" or "Exception"))
                    continue;
                var data = item.GetProperty("data").GetProperty("baseData");
                var properties = data.TryGetProperty("properties", out var p) ? p.GetRawText() : "{}";
                var message = data.TryGetProperty("message", out var m) ? m.GetString() : null;
                var exceptions = data.TryGetProperty("exceptions", out var e) ? e.EnumerateArray().Select(x => x.GetProperty("typeName").GetString()!).ToList() : [];
                logs.Add(new ExportedLog(data.TryGetProperty("severityLevel", out var s) ? s.GetString()! : "", $"{message} {properties}", exceptions));
            }
        }
        return logs;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AcceptAsync(HttpListenerContext context)
    {
        var count = 0;
        try
        {
            Stream body = context.Request.InputStream;
            if (string.Equals(context.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
                body = new GZipStream(body, CompressionMode.Decompress);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var received = DateTimeOffset.UtcNow;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0 || line[0] != '{')
                    continue;
                using var document = JsonDocument.Parse(line);
                lock (_items)
                {
                    _items.Add((received, document.RootElement.Clone()));
                    if (_copyPath is not null)
                        File.AppendAllText(_copyPath, line + "\n");
                }
                count++;
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException)
        {
        }
        var answer = Encoding.UTF8.GetBytes($$"""{"itemsReceived":{{count}},"itemsAccepted":{{count}},"errors":[]}""");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }
}

/// <summary>One exported log record: its severity, its message and properties as text, and the types of its exception chain.</summary>
public sealed record ExportedLog(string Severity, string Text, IReadOnlyList<string> ExceptionTypes);

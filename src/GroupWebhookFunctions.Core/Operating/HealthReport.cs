using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Operating;

/// <summary>
/// What an operator needs to see at a glance: how deep the queues are, how old their oldest waiting message is, which
/// features are on, and the app's version. Each storage read has its own deadline, so the report always answers and
/// names the part it could not read. It never shows a secret.
/// </summary>
public sealed class HealthReport(IReadOnlyList<QueueClient> queues, TencentChatOptions options, TimeProvider clock, bool telemetryExported, Reconciling.ReconcileOptions reconcile)
{
    /// <summary>How long one storage read may take before the report says it could not be read.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    public static string Version { get; } =
        typeof(HealthReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<byte[]> RenderAsync(CancellationToken cancellationToken)
    {
        var states = await Task.WhenAll(queues.Select(queue => ReadAsync(queue, cancellationToken))).ConfigureAwait(false);
        var problems = states.Where(q => q.Problem is not null).Select(q => $"{q.Name}: {q.Problem}").ToList();

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("Status", problems.Count == 0 ? "Healthy" : "Degraded");
            writer.WriteString(nameof(Version), Version);
            writer.WriteString("CheckedAt", clock.GetUtcNow());
            writer.WriteStartObject("Queues");
            foreach (var queue in states)
            {
                writer.WriteStartObject(queue.Name);
                WriteNumberOrNull(writer, "ApproximateDepth", queue.Depth);
                WriteNumberOrNull(writer, "OldestMessageAgeSeconds", queue.OldestAgeSeconds);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartObject("Configuration");
            writer.WriteString("SdkAppId", options.SdkAppId);
            writer.WriteBoolean("SignatureRequired", options.RequiresSignature);
            writer.WriteBoolean("TokenRotationInProgress", !string.IsNullOrEmpty(options.PreviousCallbackToken));
            writer.WriteNumber("MaxClockSkewSeconds", options.MaxClockSkewSeconds);
            writer.WriteNumber("MaxBodyBytes", options.MaxBodyBytes);
            writer.WriteNumber("EnqueueTimeoutMilliseconds", options.EnqueueTimeoutMilliseconds);
            writer.WriteString("RecalledContent", options.RecalledContent.ToString());
            writer.WriteBoolean("TelemetryExported", telemetryExported);
            writer.WriteBoolean("Reconciliation", options.ReconcilesHistory);
            writer.WriteString("ReconcileSchedule", reconcile.Schedule);
            writer.WriteNumber("ReconcileMaxCallsPerSecond", reconcile.MaxCallsPerSecond);
            writer.WriteString("DiscoverSchedule", reconcile.DiscoverSchedule);
            writer.WriteString("ApiBaseUrl", options.ApiBaseUrl);
            writer.WriteEndObject();
            writer.WriteStartArray("Problems");
            foreach (var problem in problems)
                writer.WriteStringValue(problem);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async Task<QueueState> ReadAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadTimeout);
        try
        {
            var properties = await queue.GetPropertiesAsync(deadline.Token).ConfigureAwait(false);
            var oldest = await queue.PeekMessageAsync(deadline.Token).ConfigureAwait(false);
            double? age = oldest.Value?.InsertedOn is { } inserted ? Math.Max(0, (clock.GetUtcNow() - inserted).TotalSeconds) : null;
            return new QueueState(queue.Name, properties.Value.ApproximateMessagesCount, age, null);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Queues are created on first use: one not made yet holds nothing, and a report only reads.
            return new QueueState(queue.Name, 0, null, null);
        }
#pragma warning disable CA1031 // The report names what it could not read instead of failing.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? $"no answer within {ReadTimeout.TotalSeconds:0} s" : ex.GetType().Name;
            return new QueueState(queue.Name, null, null, $"could not be read ({reason})");
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
            writer.WriteNumber(name, Math.Round(number, 1));
        else
            writer.WriteNull(name);
    }

    private sealed record QueueState(string Name, double? Depth, double? OldestAgeSeconds, string? Problem);
}

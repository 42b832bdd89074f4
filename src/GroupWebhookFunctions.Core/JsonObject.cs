using System.Text.Json;

namespace GroupWebhookFunctions;

/// <summary>A JSON object written by a delegate: the answers, request bodies and JSON columns this app renders itself.</summary>
public static class JsonObject
{
    public static byte[] Write(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The body of every HTTP refusal of the app's own routes (Tencent's callback answers in Tencent's shape instead).</summary>
    public static byte[] Error(string message) => Write(writer => writer.WriteString("Error", message));

    public static string WriteText(Action<Utf8JsonWriter> properties) => System.Text.Encoding.UTF8.GetString(Write(properties));
}

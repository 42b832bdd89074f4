using System.Text.Json;

namespace GroupWebhookFunctions.Operating;

/// <summary>The operations endpoints' answers.</summary>
public static class OperationsJson
{
    public static byte[] Replayed(int moved, int remaining) => Write(writer =>
    {
        writer.WriteNumber("Moved", moved);
        writer.WriteNumber("Remaining", remaining);
    });

    public static byte[] Error(string message) => JsonObject.Error(message);

    public static byte[] Write(Action<Utf8JsonWriter> properties) => JsonObject.Write(properties);
}

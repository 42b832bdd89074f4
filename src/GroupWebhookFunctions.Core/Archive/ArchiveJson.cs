using System.Text.Json;

namespace GroupWebhookFunctions.Archive;

/// <summary>The archive's answers name every field they promise: a value the store lacks is null, not left out.</summary>
internal static class ArchiveJson
{
    public static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }

    public static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
            writer.WriteNumber(name, number);
        else
            writer.WriteNull(name);
    }

    public static void WriteTimeOrNull(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
            writer.WriteString(name, time.UtcDateTime);
        else
            writer.WriteNull(name);
    }
}

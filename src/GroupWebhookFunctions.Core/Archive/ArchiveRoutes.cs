namespace GroupWebhookFunctions.Archive;

/// <summary>The archive's routes (contracts) and how a group ID is read from the request's own path.</summary>
public static class ArchiveRoutes
{
    public const string Group = "groups/{groupId}";
    public const string Messages = "groups/{groupId}/messages";
    public const string Readers = "groups/{groupId}/messages/{msgSeq}/readers";

    /// <summary>Tencent's own path, so a Tencent client needs only a new base URL.</summary>
    public const string TencentHistory = "v4/group_open_http_svc/group_msg_get_simple";

    /// <summary>
    /// The group ID as the client encoded it in the path, decoded once: routing may hand over '%2F' undecoded (a
    /// segment cannot hold '/'), so the path's own segment is the one source, and the bound value only a fallback.
    /// </summary>
    public static string GroupId(string escapedPath, string bound)
    {
        const string Marker = "/groups/";
        var start = escapedPath.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
            return bound;
        start += Marker.Length;
        var end = escapedPath.IndexOf('/', start);
        var segment = end < 0 ? escapedPath[start..] : escapedPath[start..end];
        return segment.Length == 0 ? bound : Uri.UnescapeDataString(segment);
    }
}

using Azure.Data.Tables;

namespace GroupWebhookFunctions.Storage;

/// <summary>
/// A string longer than a table property holds (32K UTF-16 characters) lives in a blob, and the row holds the blob's
/// name in <c>&lt;Column&gt;Blob</c> instead. Every version of a row gets blobs of its own (row, column and a fresh
/// suffix), so the blob is part of what the row's ETag protects: a writer that loses the race for the row removes only
/// its own blobs, and never overwrites the winner's.
/// </summary>
public static class LargeValues
{
    /// <summary>Table Storage holds a string property of at most 32K UTF-16 characters.</summary>
    public const int MaxStringLength = 32 * 1024;

    public const string BlobSuffix = "Blob";

    private const string Prefix = "large-values/";

    /// <summary>Moves each over-long value of <paramref name="row"/> to a new blob of its own; returns the blobs written.</summary>
    public static async Task<List<string>> OffloadAsync(TableEntity row, BlobPayloadStore payloads, CancellationToken cancellationToken)
    {
        var offloaded = new List<string>();
        foreach (var (name, value) in row.ToArray())
        {
            if (value is not string { Length: > MaxStringLength } text)
                continue;
            var blobName = $"{Prefix}{row.PartitionKey}/{row.RowKey}/{name}-{Guid.NewGuid():N}.json";
            await payloads.WriteAsync(blobName, BinaryData.FromString(text), cancellationToken).ConfigureAwait(false);
            offloaded.Add(blobName);
            row.Remove(name);
            row[name + BlobSuffix] = blobName;
        }
        return offloaded;
    }

    /// <summary>Puts back the offloaded values of <paramref name="columns"/>, for a change that has to read them.</summary>
    public static async Task InflateAsync(TableEntity row, IReadOnlyCollection<string> columns, BlobPayloadStore payloads, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            if (row.GetString(column + BlobSuffix) is not { } blobName)
                continue;
            var content = await payloads.ReadAsync(blobName, cancellationToken).ConfigureAwait(false);
            row.Remove(column + BlobSuffix);
            if (content is not null)
                row[column] = content.ToString();
        }
    }

    /// <summary>The blobs a row names.</summary>
    public static HashSet<string> BlobsNamedBy(TableEntity? row) =>
        row is null ? [] : [.. row.Where(p => p.Key.EndsWith(BlobSuffix, StringComparison.Ordinal) && p.Value is string s && s.StartsWith(Prefix, StringComparison.Ordinal)).Select(p => (string)p.Value)];

    public static async Task DeleteAsync(IEnumerable<string> blobNames, BlobPayloadStore payloads, CancellationToken cancellationToken)
    {
        foreach (var blobName in blobNames)
            await payloads.DeleteAsync(blobName, cancellationToken).ConfigureAwait(false);
    }
}

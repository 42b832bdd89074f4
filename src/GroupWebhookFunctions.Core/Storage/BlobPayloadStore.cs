using Azure;
using Azure.Storage.Blobs;

namespace GroupWebhookFunctions.Storage;

/// <summary>The payload container: envelopes too big for a queue message, and table values too big for a property.</summary>
public sealed class BlobPayloadStore(BlobContainerClient container)
{
    public async Task WriteAsync(string name, BinaryData content, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        await MissingResource.CreateOnceIfMissingAsync(
            () => blob.UploadAsync(content, overwrite: true, cancellationToken),
            () => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The blob's content, or null when there is no such blob.</summary>
    public async Task<BinaryData?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var download = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}

namespace GroupWebhookFunctions.Receiving;

public static class BodyReader
{
    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes, whatever Content-Length claimed. Returns null when the body is
    /// longer, having read only one byte past the limit.
    /// </summary>
    public static async ValueTask<PooledBuffer?> ReadAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new PooledBuffer(Math.Min(limit + 1, 4096));
        try
        {
            while (true)
            {
                var space = buffer.GetMemory(Math.Min(4096, limit + 1 - buffer.Length));
                var room = Math.Min(space.Length, limit + 1 - buffer.Length);
                var read = await body.ReadAsync(space[..room], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return buffer;
                buffer.Advance(read);
                if (buffer.Length > limit)
                {
                    buffer.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}

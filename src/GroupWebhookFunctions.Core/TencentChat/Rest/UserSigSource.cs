namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>
/// The admin's UserSig, made in-process and reused: Tencent accepts one signature until it expires, and renewing
/// a day into a week's validity keeps every call well inside it, whatever the clocks say.
/// </summary>
public sealed class UserSigSource(TencentChatOptions options, TimeProvider clock)
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);
    public static readonly TimeSpan RenewAfter = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private (string Sig, DateTimeOffset MadeAt)? _current;

    public string Current
    {
        get
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (_current is not { } current || now - current.MadeAt >= RenewAfter || now < current.MadeAt)
                    _current = current = (Make(now), now);
                return current.Sig;
            }
        }
    }

    /// <summary>Tencent said the signature expired (70001): the next call signs afresh.</summary>
    public void Renew()
    {
        lock (_gate)
            _current = null;
    }

    private string Make(DateTimeOffset now) =>
        UserSig.Create(options.SdkAppIdNumber, options.AdminIdentifier!, options.SecretKey!, now.ToUnixTimeSeconds(), (long)Validity.TotalSeconds);
}

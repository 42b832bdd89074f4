namespace GroupWebhookFunctions.TencentChat.Rest;

/// <summary>Holds a call to Tencent until it may start without breaking a calls-per-second limit.</summary>
public interface ICallPacer
{
    /// <summary>Returns when the call may start now.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>An event that no retry can store; it goes to the poison queue at once instead of after five tries.</summary>
public sealed class UnprocessableEventException : Exception
{
    public UnprocessableEventException()
    {
    }

    public UnprocessableEventException(string message)
        : base(message)
    {
    }

    public UnprocessableEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using Azure;

namespace GroupWebhookFunctions.Synchronizing;

/// <summary>
/// Table Storage refused a row as invalid (HTTP 400: a value over its limits, two rows with one key in a
/// transaction): no retry can store it, so whoever wrote it stops now instead of trying again.
/// </summary>
public sealed class RowRefusedException : Exception
{
    public RowRefusedException()
    {
    }

    public RowRefusedException(string message)
        : base(message)
    {
    }

    public RowRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RowRefusedException(GroupTable table, RequestFailedException refusal)
        : base($"Table Storage refused a row of the {table} table as invalid ({refusal.ErrorCode ?? "HTTP 400"}); no retry can store it.", refusal)
    {
    }

    /// <summary>Whether Table Storage answered a write with its verdict on the row itself.</summary>
    public static bool IsRefusal(RequestFailedException exception) => exception.Status == 400;
}

using System.Net;

namespace GroupWebhookFunctions.Archive;

/// <summary>An archive route's answer: an HTTP status and the JSON body, rendered.</summary>
public sealed record ArchiveAnswer(HttpStatusCode Status, byte[] Body)
{
    public static ArchiveAnswer Ok(byte[] body) => new(HttpStatusCode.OK, body);

    public static ArchiveAnswer BadRequest(string problem) => Error(HttpStatusCode.BadRequest, problem);

    public static ArchiveAnswer NotFound(string problem) => Error(HttpStatusCode.NotFound, problem);

    public static ArchiveAnswer Error(HttpStatusCode status, string problem) => new(status, JsonObject.Error(problem));

    /// <summary>What a route answers when a next token is not one of this query's.</summary>
    public static ArchiveAnswer ForeignToken() =>
        BadRequest("next is not a token this query's pages gave out (it was changed, cut, or belongs to another group, topic or set of parameters): repeat the query without next.");
}

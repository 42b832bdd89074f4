using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Judging;

/// <summary>
/// The one judgement of a callback body. The receiver makes it before acknowledging and the synchronizer makes it
/// again, on the same bytes, before storing, and stores only from what it read: so whatever was acknowledged can be
/// stored. A body passes when it is one JSON object whose every string and property name is well-formed UTF-8 (no
/// half surrogate pairs, escaped or raw), nested at most <see cref="MaxDepth"/> deep, whose documented fields have
/// their documented kinds, each at most once, whose MsgBody elements are objects, and whose message keys fit a table.
/// </summary>
public static class CallbackJudge
{
    /// <summary>Deepest nesting of objects and arrays, the body itself counting as 1: room for relayed messages in relayed messages.</summary>
    public const int MaxDepth = 32;

    private const int StackCharacters = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth + 1 };

    /// <param name="json">The body as received.</param>
    /// <param name="queryCommand">CallbackCommand from the query (or, in the synchronizer, the envelope).</param>
    /// <param name="keepEveryField">Keep every string, for storing; otherwise only those that route and identify.</param>
    public static CallbackJudgement Judge(ReadOnlySpan<byte> json, string? queryCommand, bool keepEveryField)
    {
        var body = new JudgedBody(keepEveryField);
        if (Walk(json, body) is { } malformed)
            return CallbackJudgement.Refuse(malformed);

        var bodyCommand = body.Text(GroupMessageField.CallbackCommand);
        if (!string.IsNullOrEmpty(queryCommand) && !string.IsNullOrEmpty(bodyCommand) && !string.Equals(queryCommand, bodyCommand, StringComparison.Ordinal))
            return CallbackJudgement.Refuse(CallbackReply.CallbackCommandMismatch.WithDetail($"Query: '{new UntrustedText(queryCommand)}', body: '{new UntrustedText(bodyCommand)}'."));
        var command = (string.IsNullOrEmpty(queryCommand) ? bodyCommand : queryCommand) ?? "";
        if (command.Length == 0)
            return CallbackJudgement.Refuse(CallbackReply.CallbackCommandMissing);
        if (!CallbackCommands.IsHandled(command))
            return new CallbackJudgement(Verdict.NotHandled, command, body, default, null);
        if (body.FieldProblem is { } problem)
            return CallbackJudgement.Refuse(problem, command);

        return body.TryIdentify(out var identity) switch
        {
            IdentityProblem.None when !TableKeys.Fit(identity) => CallbackJudgement.Refuse(CallbackReply.IdentifierTooLong, command),
            IdentityProblem.None => new CallbackJudgement(Verdict.Accepted, command, body, identity, null),
            IdentityProblem.GroupIdMissing => CallbackJudgement.Refuse(CallbackReply.GroupIdMissing, command),
            _ => CallbackJudgement.Refuse(CallbackReply.MessageIdentityMissing, command),
        };
    }

    /// <summary>Reads the body once; returns why it is malformed, or null.</summary>
    private static CallbackReply? Walk(ReadOnlySpan<byte> json, JudgedBody body)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return CallbackReply.BodyNotJsonObject;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!IsWellFormedText(ref reader))
                    return CallbackReply.TextNotWellFormed.WithDetail("A top-level property name.");
                var field = GroupMessageFields.Match(ref reader);
                var unknownName = field == GroupMessageField.Unknown ? reader.GetString()! : null;
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                var problem = unknownName is null ? ReadField(ref reader, field, body) : WalkValue(ref reader, new FieldPath(unknownName));
                if (problem is not null)
                    return problem;
                if (unknownName is not null && body.KeepsEveryField)
                    body.AddUnknown(unknownName, valueStart..(int)reader.BytesConsumed);
            }
            // Anything after the closing brace makes the body something other than one JSON object.
            return reader.Read() ? CallbackReply.BodyNotJsonObject : null;
        }
        catch (JsonException)
        {
            return CallbackReply.BodyNotJsonObject;
        }
    }

    /// <summary>Checks a documented field's value against its kind, keeping what the body asks to keep.</summary>
    private static CallbackReply? ReadField(ref Utf8JsonReader reader, GroupMessageField field, JudgedBody body)
    {
        var name = GroupMessageFields.NameOf(field);
        if (!body.MarkSeen(field))
            body.Problem(CallbackReply.FieldRepeated.WithDetail($"'{name}' appears more than once."));
        if (reader.TokenType == JsonTokenType.String && !IsWellFormedText(ref reader))
            return CallbackReply.TextNotWellFormed.WithDetail($"The value of '{name}'.");

        var start = (int)reader.TokenStartIndex;
        switch (GroupMessageFields.KindOf(field))
        {
            case FieldKind.Text when reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                if (body.Keeps(field))
                    body.Set(field, reader.GetString());
                return null;
            case FieldKind.WholeNumber when FlexibleInteger.TryRead(ref reader, out var number):
                body.Set(field, number);
                return null;
            case FieldKind.Elements when reader.TokenType == JsonTokenType.Null:
                return null;
            case FieldKind.Elements when reader.TokenType == JsonTokenType.StartArray:
                var problem = WalkElements(ref reader, name, body);
                body.Set(field, start..(int)reader.BytesConsumed);
                return problem;
            default:
                body.Problem(CallbackReply.FieldHasWrongType.WithDetail($"'{name}' must be {GroupMessageFields.Describe(field)}."));
                return WalkValue(ref reader, new FieldPath(name));
        }
    }

    private static CallbackReply? WalkElements(ref Utf8JsonReader reader, string name, JudgedBody body)
    {
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                body.Problem(CallbackReply.ElementNotObject.WithDetail($"'{new FieldPath(name, index)}' is {Describe(reader.TokenType)}."));
            if (WalkValue(ref reader, new FieldPath(name, index)) is { } problem)
                return problem;
        }
        return null;
    }

    /// <summary>Reads one value to its end, checking every string and property name in it and how deep it nests.</summary>
    private static CallbackReply? WalkValue(ref Utf8JsonReader reader, FieldPath where)
    {
        if (reader.TokenType == JsonTokenType.String)
            return IsWellFormedText(ref reader) ? null : CallbackReply.TextNotWellFormed.WithDetail($"In '{where}'.");
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            return null;

        var depth = reader.CurrentDepth;
        while (true)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                    return CallbackReply.NestedTooDeep.WithDetail($"In '{where}'.");
                case JsonTokenType.String or JsonTokenType.PropertyName when !IsWellFormedText(ref reader):
                    return CallbackReply.TextNotWellFormed.WithDetail($"In '{where}'.");
                case JsonTokenType.EndObject or JsonTokenType.EndArray when reader.CurrentDepth == depth:
                    return null;
            }
            reader.Read();
        }
    }

    /// <summary>Valid UTF-8 that is also valid UTF-16 once unescaped: no byte or escape that leaves half a character.</summary>
    private static bool IsWellFormedText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return Utf8.IsValid(reader.ValueSpan);

        // Unescaping checks both the raw bytes and every \u escape; unescaped text is never longer than escaped.
        var length = reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = length <= StackCharacters ? stackalloc char[StackCharacters] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        _ => "a boolean",
    };

    /// <summary>Names the place of a problem, rendered only when there is one: judging a good body allocates no paths.</summary>
    private readonly struct FieldPath(string name, int index = -1)
    {
        public override string ToString() => index < 0 ? UntrustedText.Render(name) : $"{UntrustedText.Render(name)}[{index}]";
    }
}

using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Callbacks;

namespace GroupWebhookFunctions.Judging;

/// <summary>
/// The one judgement of a callback body. The receiver makes it before acknowledging and the synchronizer makes it
/// again, on the same bytes, before storing, and stores only from what it read: so whatever was acknowledged can be
/// stored. A body passes when it is one JSON object whose every string and property name is well-formed UTF-8 (no
/// half surrogate pairs, escaped or raw), nested at most <see cref="MaxDepth"/> deep, whose documented fields have
/// their documented shapes, each at most once, and which passes its command's own check (required fields, keys
/// that fit a table).
/// </summary>
public static class CallbackJudge
{
    /// <summary>Deepest nesting of objects and arrays, the body itself counting as 1: room for relayed messages in relayed messages.</summary>
    public const int MaxDepth = 32;

    private const int StackCharacters = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth + 1 };

    /// <summary>A body of a command this app does not handle is held to well-formed text and depth only.</summary>
    private static readonly FieldRule UnhandledCommand = new(GroupMessageFields.CallbackCommand, FieldKind.Text, identifies: true);
    private static readonly RecordSchema Unhandled = new([UnhandledCommand]);

    /// <param name="json">The body as received.</param>
    /// <param name="queryCommand">CallbackCommand from the query (or, in the synchronizer, the envelope).</param>
    /// <param name="keepEveryField">Keep every string, for storing; otherwise only those that route and identify.</param>
    public static CallbackJudgement Judge(ReadOnlySpan<byte> json, string? queryCommand, bool keepEveryField)
    {
        // Tencent always names the command in the query; only a body without it there needs a first look.
        var command = string.IsNullOrEmpty(queryCommand) ? PeekCommand(json) : queryCommand;
        var callback = command is null ? null : HandledCallbacks.Find(command);
        var body = new JudgedBody(callback?.Schema ?? Unhandled, keepEveryField);
        if (Walk(json, body) is { } unreadable)
            return CallbackJudgement.Refuse(unreadable, command ?? "");

        var bodyCommand = body.Text(callback?.CommandField ?? UnhandledCommand);
        if (!string.IsNullOrEmpty(queryCommand) && !string.IsNullOrEmpty(bodyCommand) && !string.Equals(queryCommand, bodyCommand, StringComparison.Ordinal))
            return CallbackJudgement.Refuse(CallbackReply.CallbackCommandMismatch.WithDetail($"Query: '{new UntrustedText(queryCommand)}', body: '{new UntrustedText(bodyCommand)}'."));
        if (string.IsNullOrEmpty(command))
            return CallbackJudgement.Refuse(CallbackReply.CallbackCommandMissing);
        if (callback is null)
            return new CallbackJudgement(Verdict.NotHandled, command, null, null, null);
        if ((body.FieldProblem ?? callback.Check(body)) is { } problem)
            return CallbackJudgement.Refuse(problem, command);
        return new CallbackJudgement(Verdict.Accepted, command, callback, body, null);
    }

    /// <summary>The body's CallbackCommand when it is a well-formed string; the walk that follows judges everything.</summary>
    private static string? PeekCommand(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCommand = reader.ValueTextEquals(GroupMessageFields.CallbackCommand);
                reader.Read();
                if (isCommand)
                    return reader.TokenType == JsonTokenType.String && IsWellFormedText(ref reader) ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the body once; returns why it is malformed, or null.</summary>
    private static CallbackReply? Walk(ReadOnlySpan<byte> json, JudgedBody body)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return CallbackReply.BodyNotJsonObject;
            var problem = ReadObject(ref reader, body, body, topLevel: true);
            if (problem is not null)
                return problem;
            // Anything after the closing brace makes the body something other than one JSON object.
            return reader.Read() ? CallbackReply.BodyNotJsonObject : null;
        }
        catch (JsonException)
        {
            return CallbackReply.BodyNotJsonObject;
        }
    }

    /// <summary>Reads an object's properties up to its closing brace, into <paramref name="record"/> by its schema.</summary>
    private static CallbackReply? ReadObject(ref Utf8JsonReader reader, JudgedRecord record, JudgedBody body, bool topLevel)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!IsWellFormedText(ref reader))
                return CallbackReply.TextNotWellFormed.WithDetail(topLevel ? "A top-level property name." : "A property name in a list item.");
            var field = record.Schema.Match(ref reader);
            var unknownName = field is null && topLevel ? reader.GetString()! : null;
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                return CallbackReply.NestedTooDeep.WithDetail($"In '{new FieldPath(field?.Name ?? unknownName ?? "a list item")}'.");
            var valueStart = (int)reader.TokenStartIndex;
            var problem = field is not null
                ? ReadField(ref reader, field, record, body)
                : WalkValue(ref reader, new FieldPath(unknownName ?? "a list item"));
            if (problem is not null)
                return problem;
            if (unknownName is not null && body.KeepsEveryField)
                body.AddUnknown(unknownName, valueStart..(int)reader.BytesConsumed);
        }
        return null;
    }

    /// <summary>Checks a documented field's value against its kind, keeping what the body asks to keep.</summary>
    private static CallbackReply? ReadField(ref Utf8JsonReader reader, FieldRule field, JudgedRecord record, JudgedBody body)
    {
        if (!record.MarkSeen(field))
            body.Problem(CallbackReply.FieldRepeated.WithDetail($"'{field.Name}' appears more than once."));
        if (reader.TokenType == JsonTokenType.String && !IsWellFormedText(ref reader))
            return CallbackReply.TextNotWellFormed.WithDetail($"The value of '{field.Name}'.");

        var start = (int)reader.TokenStartIndex;
        var keep = body.Keeps(field);
        switch (field.Kind)
        {
            case FieldKind.Text when reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                if (keep)
                    record.Set(field, reader.GetString());
                return null;
            case FieldKind.WholeNumber when FlexibleInteger.TryRead(ref reader, out var number):
                record.Set(field, number);
                return null;
            case FieldKind.Elements or FieldKind.Records or FieldKind.TextList when reader.TokenType == JsonTokenType.Null:
                return null;
            case FieldKind.Elements or FieldKind.Records or FieldKind.TextList when reader.TokenType == JsonTokenType.StartArray:
                var problem = ReadList(ref reader, field, record, body, keep);
                record.Set(field, start..(int)reader.BytesConsumed);
                return problem;
            default:
                body.Problem(CallbackReply.FieldHasWrongType.WithDetail($"'{field.Name}' must be {field.Describe()}."));
                return WalkValue(ref reader, new FieldPath(field.Name));
        }
    }

    private static CallbackReply? ReadList(ref Utf8JsonReader reader, FieldRule field, JudgedRecord record, JudgedBody body, bool keep)
    {
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            var path = new FieldPath(field.Name, index);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                return CallbackReply.NestedTooDeep.WithDetail($"In '{path}'.");
            CallbackReply? problem = null;
            switch (field.Kind)
            {
                case FieldKind.Elements when reader.TokenType == JsonTokenType.StartObject:
                case FieldKind.TextList when reader.TokenType == JsonTokenType.String:
                    problem = WalkValue(ref reader, path);
                    if (problem is null && keep && field.Kind == FieldKind.TextList)
                        record.ListOf<string>(field).Add(reader.GetString()!);
                    break;
                case FieldKind.Records when reader.TokenType == JsonTokenType.StartObject:
                    var item = new JudgedRecord(field.Items!);
                    problem = ReadObject(ref reader, item, body, topLevel: false);
                    if (keep)
                        record.ListOf<JudgedRecord>(field).Add(item);
                    break;
                case FieldKind.Records when reader.TokenType == JsonTokenType.Number && field.Items!.BareNumber is { } bare:
                    var bareItem = new JudgedRecord(field.Items);
                    if (FlexibleInteger.TryRead(ref reader, out var number))
                        bareItem.Set(bare, number);
                    else
                        body.Problem(CallbackReply.FieldHasWrongType.WithDetail($"'{path}' must be {field.Describe()}."));
                    if (keep)
                        record.ListOf<JudgedRecord>(field).Add(bareItem);
                    break;
                default:
                    body.Problem((field.Kind == FieldKind.Elements ? CallbackReply.ElementNotObject : CallbackReply.FieldHasWrongType)
                        .WithDetail($"'{path}' is {Describe(reader.TokenType)}; '{field.Name}' must be {field.Describe()}."));
                    problem = WalkValue(ref reader, path);
                    break;
            }
            if (problem is not null)
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
        JsonTokenType.StartObject => "an object",
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

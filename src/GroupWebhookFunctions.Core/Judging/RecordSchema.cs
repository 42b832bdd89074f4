using System.Text.Json;

namespace GroupWebhookFunctions.Judging;

/// <summary>The JSON a documented field holds; integers may also come as strings of digits.</summary>
public enum FieldKind
{
    Text,
    WholeNumber,

    /// <summary>An array of message elements, each a JSON object whose content is not ours to judge (MsgBody).</summary>
    Elements,

    /// <summary>An array of objects of a documented shape (<see cref="FieldRule.Items"/>), such as MsgSeqList.</summary>
    Records,

    /// <summary>An array of strings, such as TopicIdList.</summary>
    TextList,
}

/// <summary>One documented field of a callback body, or of the objects in one of its lists.</summary>
public sealed class FieldRule
{
    public FieldRule(string name, FieldKind kind, bool identifies = false, RecordSchema? items = null)
    {
        Name = name;
        Kind = kind;
        Identifies = identifies;
        Items = items;
    }

    public string Name { get; }

    public FieldKind Kind { get; }

    /// <summary>Kept when acknowledging too: the field routes the event, or names a row whose key must fit.</summary>
    public bool Identifies { get; }

    /// <summary>The shape of each object in a <see cref="FieldKind.Records"/> list.</summary>
    public RecordSchema? Items { get; }

    /// <summary>Where this field's value sits in a <see cref="JudgedRecord"/> of its schema.</summary>
    internal int Slot { get; set; } = -1;

    public string Describe() => Kind switch
    {
        FieldKind.WholeNumber => "an integer (a JSON integer or a string of digits)",
        FieldKind.Elements => "an array of message elements (JSON objects)",
        FieldKind.Records => Items!.BareNumber is null ? "an array of objects" : "an array of objects or integers",
        FieldKind.TextList => "an array of strings",
        _ => "a string",
    };
}

/// <summary>The documented fields of one JSON object: a callback body, or each item of one of its lists.</summary>
public sealed class RecordSchema
{
    public const int MaxFields = 31;

    public RecordSchema(IReadOnlyList<FieldRule> fields, FieldRule? bareNumber = null)
    {
        if (fields.Count > MaxFields)
            throw new ArgumentException($"A schema holds at most {MaxFields} fields.", nameof(fields));
        Fields = fields;
        BareNumber = bareNumber;
        for (var slot = 0; slot < fields.Count; slot++)
        {
            if (fields[slot].Slot >= 0)
                throw new ArgumentException($"'{fields[slot].Name}' already belongs to another schema.", nameof(fields));
            fields[slot].Slot = slot;
        }
    }

    public IReadOnlyList<FieldRule> Fields { get; }

    /// <summary>Tencent documents objects, but an item sent as a bare integer is read as this field (MsgSeqList).</summary>
    public FieldRule? BareNumber { get; }

    internal FieldRule? Match(ref Utf8JsonReader reader)
    {
        foreach (var field in Fields)
        {
            if (reader.ValueTextEquals(field.Name))
                return field;
        }
        return null;
    }
}

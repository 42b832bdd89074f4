namespace GroupWebhookFunctions.Judging;

/// <summary>
/// The values the judgement read from one JSON object of a known schema. Presence is kept in bit masks beside plain
/// arrays: a webhook is judged on the hot path, so its allocations are counted.
/// </summary>
public class JudgedRecord
{
    private readonly Slot[] _slots;
    private int _seen;
    private int _numbered;
    private int _rawSet;

    internal JudgedRecord(RecordSchema schema)
    {
        Schema = schema;
        _slots = new Slot[schema.Fields.Count];
    }

    public RecordSchema Schema { get; }

    public string? Text(FieldRule field) => _slots[field.Slot].Value as string;

    public long? Number(FieldRule field) => (_numbered & Bit(field)) != 0 ? _slots[field.Slot].Number : null;

    /// <summary>Where an array field's value lies in the body, when it was sent as an array.</summary>
    public Range? Raw(FieldRule field) => (_rawSet & Bit(field)) != 0 ? _slots[field.Slot].Raw : null;

    /// <summary>The objects of a <see cref="FieldKind.Records"/> field, in the order sent.</summary>
    public IReadOnlyList<JudgedRecord> Records(FieldRule field) => _slots[field.Slot].Value as List<JudgedRecord> ?? [];

    /// <summary>The strings of a <see cref="FieldKind.TextList"/> field, in the order sent.</summary>
    public IReadOnlyList<string> Texts(FieldRule field) => _slots[field.Slot].Value as List<string> ?? [];

    /// <summary>False when the field was already seen: a repeated field would leave its value ambiguous.</summary>
    internal bool MarkSeen(FieldRule field)
    {
        var bit = Bit(field);
        if ((_seen & bit) != 0)
            return false;
        _seen |= bit;
        return true;
    }

    internal void Set(FieldRule field, string? value) => _slots[field.Slot].Value = value;

    internal void Set(FieldRule field, long? value)
    {
        if (value is not { } number)
            return;
        _slots[field.Slot].Number = number;
        _numbered |= Bit(field);
    }

    internal void Set(FieldRule field, Range value)
    {
        _slots[field.Slot].Raw = value;
        _rawSet |= Bit(field);
    }

    internal List<T> ListOf<T>(FieldRule field) => (List<T>)(_slots[field.Slot].Value ??= new List<T>());

    private static int Bit(FieldRule field) => 1 << field.Slot;

    /// <summary>One field's value: its text or list, its integer, or where its array lies; one array of these per object.</summary>
    private struct Slot
    {
        public object? Value;
        public long Number;
        public Range Raw;
    }
}

/// <summary>
/// A judged callback body: its fields, top-level fields no version of this app names (in the order sent, each as its
/// name and raw JSON value), and the first documented field that breaks its documented shape.
/// </summary>
public sealed class JudgedBody : JudgedRecord
{
    internal JudgedBody(RecordSchema schema, bool keepsEveryField)
        : base(schema) => KeepsEveryField = keepsEveryField;

    /// <summary>Every string is kept, for storing; otherwise only the fields that identify, for acknowledging.</summary>
    public bool KeepsEveryField { get; }

    public List<(string Name, Range Value)>? UnknownFields { get; private set; }

    public TencentChat.CallbackReply? FieldProblem { get; private set; }

    internal bool Keeps(FieldRule field) => KeepsEveryField || field.Identifies;

    internal void AddUnknown(string name, Range value) => (UnknownFields ??= []).Add((name, value));

    internal void Problem(TencentChat.CallbackReply problem) => FieldProblem ??= problem;
}

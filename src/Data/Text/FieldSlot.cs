namespace MLNet.Transformers.Data;

/// <summary>
/// The current row's value of one loaded column, parsed from its field(s) when the cursor moves. Only the columns a
/// cursor is asked for get a slot, so the other fields of a row are split off but never converted.
/// </summary>
internal abstract class FieldSlot
{
    /// <summary>A slot for <paramref name="column"/>, read from fields <paramref name="start"/>..<paramref name="end"/>.</summary>
    public static FieldSlot Create(DataViewSchema.Column column, int start, int end) => column.Type switch
    {
        VectorDataViewType => new VectorSlot(column.Name, start, end),
        _ => (FieldSlot)Activator.CreateInstance(typeof(ScalarSlot<>).MakeGenericType(column.Type.RawType), column, start)!,
    };

    /// <summary>Parses the slot's field(s) of <paramref name="record"/>; returns the reason when it cannot.</summary>
    public abstract string? Parse(DelimitedRecordReader record);

    /// <summary>A getter of the parsed value.</summary>
    public abstract Delegate Getter { get; }

    protected static string MissingField(string column, int field, int count) =>
        $"column '{column}' reads field {field + 1}, but the row has {count} field{(count == 1 ? "" : "s")}";

    protected static string Invalid(string column, int field, ReadOnlyMemory<char> text, string type) =>
        $"column '{column}' (field {field + 1}): '{text}' is not a valid {type}";
}

internal sealed class ScalarSlot<T> : FieldSlot
{
    private readonly string _name;
    private readonly string _typeName;
    private readonly int _field;
    private readonly FieldParser<T> _parse;
    private T _value = default!;

    public ScalarSlot(DataViewSchema.Column column, int field)
    {
        _name = column.Name;
        _typeName = column.Type.ToString();
        _field = field;
        _parse = FieldParsers.For<T>(column.Type);
        ValueGetter<T> getter = (ref T value) => value = _value;
        Getter = getter;
    }

    public override Delegate Getter { get; }

    public override string? Parse(DelimitedRecordReader record)
    {
        if (_field >= record.FieldCount) return MissingField(_name, _field, record.FieldCount);
        var text = record.Field(_field);
        return _parse(text, out _value) ? null : Invalid(_name, _field, text, _typeName);
    }
}

internal sealed class VectorSlot : FieldSlot
{
    private readonly string _name;
    private readonly int _start;
    private readonly int _end;
    private VBuffer<float> _value;

    public VectorSlot(string name, int start, int end)
    {
        _name = name;
        _start = start;
        _end = end;
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) => value = _value;
        Getter = getter;
    }

    public override Delegate Getter { get; }

    public override string? Parse(DelimitedRecordReader record)
    {
        if (_end >= record.FieldCount) return MissingField(_name, _end, record.FieldCount);
        var values = new float[_end - _start + 1];
        for (int f = _start; f <= _end; f++)
        {
            var text = record.Field(f);
            if (!FieldParsers.Single(text, out values[f - _start])) return Invalid(_name, f, text, "Single");
        }
        _value = new VBuffer<float>(values.Length, values);
        return null;
    }
}

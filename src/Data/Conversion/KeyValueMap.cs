namespace MLNet.Transformers.Data;

/// <summary>
/// The categories of one key column: values in key order (key <c>k</c> is <c>Values[k - 1]</c>) and their lookup.
/// Values not in the map get key 0 (missing). Immutable once built, so shared by all cursors.
/// </summary>
internal abstract class KeyValueMap
{
    public abstract PrimitiveDataViewType ValueType { get; }

    public abstract int Count { get; }

    /// <summary>The key type of the mapped column: <see cref="Count"/> keys annotated with their values.</summary>
    public DataViewSchema.DetachedColumn OutputColumn(string name) =>
        new(name, new KeyDataViewType((ulong)Count), KeyValuesAnnotation());

    /// <summary>The values in key order, as text (see <see cref="FieldParsers.Format{T}"/>).</summary>
    public abstract string[] FormatValues();

    /// <summary>A getter of the key of <paramref name="input"/>'s value in <paramref name="column"/>.</summary>
    public abstract ValueGetter<uint> MakeKeyGetter(DataViewRow input, DataViewSchema.Column column);

    protected abstract DataViewSchema.Annotations KeyValuesAnnotation();

    /// <summary>Collects the distinct values of <paramref name="column"/> in <paramref name="data"/>.</summary>
    public static KeyValueMap Learn(IDataView data, DataViewSchema.Column column, int maximumNumberOfKeys, KeyOrdinality ordinality) =>
        Dispatch(column.Type, nameof(KeyValueMap<int>.LearnTyped), data, column, maximumNumberOfKeys, ordinality);

    /// <summary>A map of <paramref name="values"/> (their text forms) of <paramref name="type"/>.</summary>
    public static KeyValueMap Parse(DataViewType type, IReadOnlyList<string> values) => Dispatch(type, nameof(KeyValueMap<int>.ParseTyped), type, values);

    private static KeyValueMap Dispatch(DataViewType type, string method, params object[] args) =>
        (KeyValueMap)typeof(KeyValueMap<>).MakeGenericType(type.RawType).GetMethod(method)!.Invoke(null, args)!;

    /// <summary>Whether a column of <paramref name="type"/> can be mapped to keys.</summary>
    public static bool CanMap(DataViewType type) => type is TextDataViewType or NumberDataViewType or BooleanDataViewType;
}

internal sealed class KeyValueMap<T> : KeyValueMap where T : notnull
{
    private readonly T[] _values;
    private readonly Dictionary<T, uint> _keys;

    private KeyValueMap(PrimitiveDataViewType type, T[] values)
    {
        ValueType = type;
        _values = values;
        _keys = new Dictionary<T, uint>(values.Length, Comparer);
        for (int i = 0; i < values.Length; i++) _keys.Add(values[i], (uint)(i + 1));
    }

    private static IEqualityComparer<T> Comparer { get; } =
        typeof(T) == typeof(ReadOnlyMemory<char>) ? (IEqualityComparer<T>)new TextComparer() : EqualityComparer<T>.Default;

    public override PrimitiveDataViewType ValueType { get; }

    public override int Count => _values.Length;

    public override string[] FormatValues() => [.. _values.Select(FieldParsers.Format)];

    public override ValueGetter<uint> MakeKeyGetter(DataViewRow input, DataViewSchema.Column column)
    {
        var source = input.GetGetter<T>(column);
        T value = default!;
        return (ref uint key) =>
        {
            source(ref value);
            key = _keys.GetValueOrDefault(value);
        };
    }

    protected override DataViewSchema.Annotations KeyValuesAnnotation() =>
        DataViewSchema.Annotations.Empty.With(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(ValueType, _values.Length),
            new VBuffer<T>(_values.Length, _values));

    public static KeyValueMap LearnTyped(IDataView data, DataViewSchema.Column column, int maximumNumberOfKeys, KeyOrdinality ordinality)
    {
        var seen = new HashSet<T>(Comparer);
        var values = new List<T>();
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (values.Count < maximumNumberOfKeys && cursor.MoveNext())
            {
                getter(ref value);
                if (seen.Add(value)) values.Add(typeof(T) == typeof(ReadOnlyMemory<char>) ? (T)(object)value.ToString()!.AsMemory() : value);
            }
        }
        if (values.Count == 0) throw new InvalidOperationException($"Column '{column.Name}' has no rows, so there are no values to map to keys.");
        if (ordinality == KeyOrdinality.ByValue) values.Sort(OrderComparer);
        return new KeyValueMap<T>((PrimitiveDataViewType)column.Type, [.. values]);
    }

    public static KeyValueMap ParseTyped(DataViewType type, IReadOnlyList<string> values)
    {
        var parse = FieldParsers.For<T>(type);
        var parsed = new T[values.Count];
        for (int i = 0; i < parsed.Length; i++)
            if (!parse(values[i].AsMemory(), out parsed[i])) throw new FormatException($"key value {i + 1} '{values[i]}' is not a valid {type}");
        if (parsed.Distinct(Comparer).Count() != parsed.Length) throw new FormatException("key values repeat");
        return new KeyValueMap<T>((PrimitiveDataViewType)type, parsed);
    }

    private static Comparison<T> OrderComparer { get; } = typeof(T) == typeof(ReadOnlyMemory<char>)
        ? (a, b) => ((ReadOnlyMemory<char>)(object)a).Span.SequenceCompareTo(((ReadOnlyMemory<char>)(object)b).Span)
        : Comparer<T>.Default.Compare;

    /// <summary>Text compared by content (ordinal), not by the memory it points to.</summary>
    private sealed class TextComparer : IEqualityComparer<T>
    {
        public bool Equals(T? x, T? y) => Text(x).SequenceEqual(Text(y));

        public int GetHashCode(T obj) => string.GetHashCode(Text(obj));

        private static ReadOnlySpan<char> Text(T? value) => value is ReadOnlyMemory<char> m ? m.Span : default;
    }
}

/// <summary>The order of keys assigned by <see cref="ValueToKeyMappingEstimator"/>.</summary>
public enum KeyOrdinality
{
    /// <summary>Key 1 for the first value seen, 2 for the next new one, ...</summary>
    ByOccurrence,
    /// <summary>Keys in the sort order of the values (ordinal for text).</summary>
    ByValue,
}

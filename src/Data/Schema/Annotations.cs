namespace MLNet.Transformers.Data;

public sealed partial class DataViewSchema
{
    /// <summary>Named, typed facts attached to a column (such as <see cref="AnnotationUtils.Kinds.KeyValues"/>).</summary>
    public sealed class Annotations
    {
        private readonly Dictionary<string, (DataViewType Type, object Value)> _items;

        private Annotations(Dictionary<string, (DataViewType, object)> items) => _items = items;

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new([]);

        /// <summary>The names of the annotations present.</summary>
        public IEnumerable<string> Kinds => _items.Keys;

        /// <summary>The type of annotation <paramref name="kind"/>, or null when absent.</summary>
        public DataViewType? GetTypeOrNull(string kind) => _items.TryGetValue(kind, out var item) ? item.Type : null;

        /// <summary>Reads annotation <paramref name="kind"/> into <paramref name="value"/>.</summary>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            if (!_items.TryGetValue(kind, out var item))
                throw new InvalidOperationException($"No annotation '{kind}'.");
            if (item.Value is not TValue typed)
                throw new InvalidOperationException($"Annotation '{kind}' is {item.Type}, not {typeof(TValue).Name}.");
            value = typed;
        }

        /// <summary>These annotations with <paramref name="kind"/> set to <paramref name="value"/> of <paramref name="type"/>.</summary>
        public Annotations With<TValue>(string kind, DataViewType type, TValue value) where TValue : notnull
        {
            if (type.RawType != typeof(TValue))
                throw new ArgumentException($"Annotation '{kind}' of type {type} is held as {type.RawType.Name}, not {typeof(TValue).Name}.");
            return new Annotations(new Dictionary<string, (DataViewType, object)>(_items) { [kind] = (type, value) });
        }
    }
}

/// <summary>Names of the standard annotations and helpers to read them.</summary>
public static class AnnotationUtils
{
    /// <summary>Standard annotation names.</summary>
    public static class Kinds
    {
        /// <summary>The category names of a key column: a text vector with one item per key value, key 1 first.</summary>
        public const string KeyValues = "KeyValues";
    }

    /// <summary>Whether the column carries key values (category names) as text.</summary>
    public static bool HasKeyValues(this DataViewSchema.Column column) =>
        column.Annotations.GetTypeOrNull(Kinds.KeyValues) is VectorDataViewType { ItemType: TextDataViewType };

    /// <summary>Reads the column's key values (category names, key 1 first).</summary>
    public static void GetKeyValues(this DataViewSchema.Column column, ref VBuffer<ReadOnlyMemory<char>> keyValues) =>
        column.Annotations.GetValue(Kinds.KeyValues, ref keyValues);

    /// <summary>Annotations holding <paramref name="names"/> as key values.</summary>
    public static DataViewSchema.Annotations KeyValuesAnnotation(IReadOnlyList<string> names)
    {
        var values = names.Select(n => n.AsMemory()).ToArray();
        return DataViewSchema.Annotations.Empty.With(Kinds.KeyValues,
            new VectorDataViewType(TextDataViewType.Instance, values.Length), new VBuffer<ReadOnlyMemory<char>>(values.Length, values));
    }

    /// <summary>The column's key values in their text form (key 1 first), or null when it has none.</summary>
    public static string[]? GetKeyValueNames(this DataViewSchema.Column column) =>
        column.Annotations.GetTypeOrNull(Kinds.KeyValues) is VectorDataViewType { ItemType: var item }
            ? item switch
            {
                TextDataViewType => Names<ReadOnlyMemory<char>>(column),
                BooleanDataViewType => Names<bool>(column),
                _ when item.Equals(NumberDataViewType.Single) => Names<float>(column),
                _ when item.Equals(NumberDataViewType.Int32) => Names<int>(column),
                _ => null,
            }
            : null;

    private static string[] Names<T>(DataViewSchema.Column column)
    {
        var values = default(VBuffer<T>);
        column.Annotations.GetValue(Kinds.KeyValues, ref values);
        return [.. values.DenseValues().Select(FieldParsers.Format)];
    }
}

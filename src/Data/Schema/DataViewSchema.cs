using System.Collections;

namespace MLNet.Transformers.Data;

/// <summary>
/// The columns of a data view, in order: each with a name, a type and annotations. A later column with the same name
/// as an earlier one hides it (the earlier one stays, marked <see cref="Column.IsHidden"/>, so indices stay stable).
/// </summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _visibleByName;

    private DataViewSchema(IReadOnlyList<DetachedColumn> columns)
    {
        _columns = new Column[columns.Count];
        _visibleByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = columns.Count - 1; i >= 0; i--)
        {
            bool hidden = _visibleByName.ContainsKey(columns[i].Name);
            if (!hidden) _visibleByName[columns[i].Name] = i;
            _columns[i] = new Column(columns[i].Name, i, hidden, columns[i].Type, columns[i].Annotations);
        }
    }

    /// <summary>The number of columns, hidden ones included.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="columnIndex"/>.</summary>
    public Column this[int columnIndex] => _columns[columnIndex];

    /// <summary>The visible column named <paramref name="name"/>; throws naming the column and the ones there are.</summary>
    public Column this[string name] => GetColumnOrNull(name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), $"No column '{name}' (columns: {string.Join(", ", this.Where(c => !c.IsHidden).Select(c => c.Name))}).");

    /// <summary>The visible column named <paramref name="name"/>, or null.</summary>
    public Column? GetColumnOrNull(string name) => _visibleByName.TryGetValue(name, out int index) ? _columns[index] : null;

    /// <summary>A schema holding <paramref name="columns"/> in order.</summary>
    public static DataViewSchema Create(IReadOnlyList<DetachedColumn> columns) => new(columns);

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", this.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>One column of a schema.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>Whether a later column of the same name hides this one.</summary>
        public bool IsHidden { get; }

        /// <summary>The column's type.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra facts about the column, such as the names of a key column's categories.</summary>
        public Annotations Annotations { get; }

        /// <summary>This column without its position, to place in another schema.</summary>
        public DetachedColumn Detach() => new(Name, Type, Annotations);

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Index}): {Type}";
    }

    /// <summary>A column's name, type and annotations, not yet placed in a schema.</summary>
    /// <param name="Name">The column's name.</param>
    /// <param name="Type">The column's type.</param>
    /// <param name="Annotations">Extra facts about the column.</param>
    public sealed record DetachedColumn(string Name, DataViewType Type, Annotations Annotations)
    {
        /// <summary>A column without annotations.</summary>
        public DetachedColumn(string name, DataViewType type) : this(name, type, Annotations.Empty) { }
    }
}

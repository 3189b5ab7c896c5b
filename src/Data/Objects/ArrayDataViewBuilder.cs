namespace MLNet.Transformers.Data;

/// <summary>
/// Builds a data view from in-memory columns whose names are known only at run time (a command line's input file,
/// a service's request), where <see cref="DataOperationsCatalog.LoadFromEnumerable{TRow}"/> needs a class.
/// Every column must have the same number of rows.
/// </summary>
public sealed class ArrayDataViewBuilder
{
    private readonly List<(DataViewSchema.DetachedColumn Column, Func<DataViewRow, Delegate> MakeGetter, int Count)> _columns = [];

    /// <summary>Adds a text column.</summary>
    public ArrayDataViewBuilder AddColumn(string name, IReadOnlyList<string> values) =>
        AddColumn(name, TextDataViewType.Instance, values.Select(v => (v ?? "").AsMemory()).ToArray());

    /// <summary>Adds a float column.</summary>
    public ArrayDataViewBuilder AddColumn(string name, IReadOnlyList<float> values) => AddColumn(name, NumberDataViewType.Single, values);

    /// <summary>Adds a column of <paramref name="type"/> whose values are held as <typeparamref name="T"/> (its raw type).</summary>
    public ArrayDataViewBuilder AddColumn<T>(string name, DataViewType type, IReadOnlyList<T> values, DataViewSchema.Annotations? annotations = null)
    {
        if (type.RawType != typeof(T)) throw new ArgumentException($"Column '{name}' of type {type} holds {type.RawType.Name} values, not {typeof(T).Name}.", nameof(values));
        if (_columns.Count > 0 && _columns[0].Count != values.Count)
            throw new ArgumentException($"Column '{name}' has {values.Count} rows; the columns before it have {_columns[0].Count}.", nameof(values));
        _columns.Add((new DataViewSchema.DetachedColumn(name, type, annotations ?? DataViewSchema.Annotations.Empty), row =>
        {
            ValueGetter<T> getter = (ref T value) => value = values[(int)row.Position];
            return getter;
        }, values.Count));
        return this;
    }

    /// <summary>A view over the columns added so far.</summary>
    public IDataView GetDataView() => new ArrayDataView([.. _columns.Select(c => (c.Column, c.MakeGetter))], _columns.Count == 0 ? 0 : _columns[0].Count);

    private sealed class ArrayDataView((DataViewSchema.DetachedColumn Column, Func<DataViewRow, Delegate> MakeGetter)[] columns, int rowCount) : IDataView
    {
        private readonly Func<DataViewRow, Delegate>[] _makeGetters = [.. columns.Select(c => c.MakeGetter)];
        private readonly int _rowCount = rowCount;

        public DataViewSchema Schema { get; } = DataViewSchema.Create([.. columns.Select(c => c.Column)]);

        public long? GetRowCount() => _rowCount;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
            new Cursor(this, Getters.ActiveFlags(Schema, columnsNeeded));

        private sealed class Cursor(ArrayDataView view, bool[] active) : DataViewRowCursor
        {
            private readonly Delegate?[] _getters = new Delegate?[active.Length];
            private long _position = -1;

            public override long Position => _position;
            public override DataViewSchema Schema => view.Schema;
            public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

            public override bool MoveNext()
            {
                if (_position + 1 >= view._rowCount) return false;
                _position++;
                return true;
            }

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                Getters.RequireActive(this, column);
                return Getters.Cast<TValue>(_getters[column.Index] ??= view._makeGetters[column.Index](this), column);
            }
        }
    }
}

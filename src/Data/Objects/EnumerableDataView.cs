namespace MLNet.Transformers.Data;

/// <summary>
/// A data view over objects: each public member is a column (see <see cref="MemberColumn{TRow}"/>). The sequence is
/// enumerated once per cursor, lazily, so a generator of millions of rows is never held whole.
/// </summary>
internal sealed class EnumerableDataView<TRow>(IEnumerable<TRow> rows) : IDataView
{
    public DataViewSchema Schema { get; } = DataViewSchema.Create(
        [.. MemberColumn<TRow>.All.Select(m => new DataViewSchema.DetachedColumn(m.Name, m.Type))]);

    public long? GetRowCount() => rows.TryGetNonEnumeratedCount(out int count) ? count : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(Schema, rows.GetEnumerator(), Getters.ActiveFlags(Schema, columnsNeeded));

    private sealed class Cursor(DataViewSchema schema, IEnumerator<TRow> rows, bool[] active) : DataViewRowCursor
    {
        private readonly Delegate?[] _getters = new Delegate?[active.Length];
        private long _position = -1;

        public override long Position => _position;
        public override DataViewSchema Schema => schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override bool MoveNext()
        {
            if (!rows.MoveNext()) return false;
            _position++;
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Getters.RequireActive(this, column);
            return Getters.Cast<TValue>(_getters[column.Index] ??= MemberColumn<TRow>.All[column.Index].MakeGetter(() => rows.Current), column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rows.Dispose();
        }
    }
}

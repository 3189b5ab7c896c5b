namespace MLNet.Transformers.Data;

/// <summary>The rows of a source whose position a predicate keeps; streaming, with the same schema.</summary>
internal sealed class RowFilterDataView(IDataView source, Func<long, bool> keepPosition) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(source.GetRowCursor(columnsNeeded), keepPosition);

    private sealed class Cursor(DataViewRowCursor input, Func<long, bool> keep) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;
        public override DataViewSchema Schema => input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            while (input.MoveNext())
            {
                if (!keep(input.Position)) continue;
                _position++;
                return true;
            }
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
        }
    }
}

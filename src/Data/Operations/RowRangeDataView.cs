namespace MLNet.Transformers.Data;

/// <summary>The rows of a source from position <c>skip</c>, at most <c>take</c> of them; stops reading the source after the last.</summary>
internal sealed class RowRangeDataView(IDataView source, long skip, long take) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount() is long count ? Math.Clamp(count - skip, 0, take) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(source.GetRowCursor(columnsNeeded), skip, take);

    private sealed class Cursor(DataViewRowCursor input, long skip, long take) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;
        public override DataViewSchema Schema => input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            if (_position + 1 >= take) return false;
            while (input.Position + 1 < skip)
                if (!input.MoveNext()) return false;
            if (!input.MoveNext()) return false;
            _position++;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
        }
    }
}

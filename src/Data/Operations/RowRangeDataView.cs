namespace MLNet.Transformers.Data;

/// <summary>The rows of a source from position <c>skip</c>, at most <c>take</c> of them; stops reading the source after the last.</summary>
internal sealed class RowRangeDataView(IDataView source, long skip, long take) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount() is long count ? Math.Clamp(count - skip, 0, take) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(source.GetRowCursor(columnsNeeded), skip, take);

    private sealed class Cursor(DataViewRowCursor input, long skip, long take) : FilterCursor(input)
    {
        protected override bool MoveInputToNextKept()
        {
            if (Position + 1 >= take) return false;
            while (Input.Position + 1 < skip)
                if (!Input.MoveNext()) return false;
            return Input.MoveNext();
        }
    }
}

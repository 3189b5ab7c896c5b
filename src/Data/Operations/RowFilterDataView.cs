namespace MLNet.Transformers.Data;

/// <summary>
/// The rows of a source that a predicate keeps; streaming, with the same schema. The predicate is made per cursor
/// from the source row (so it can read <c>readColumns</c>, which the source cursor always reads).
/// </summary>
internal sealed class RowFilterDataView(IDataView source, Func<DataViewRow, Func<bool>> makeKeep, params DataViewSchema.Column[] readColumns) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var input = source.GetRowCursor(columnsNeeded.Concat(readColumns).DistinctBy(c => c.Index));
        return new Cursor(input, makeKeep(input));
    }

    private sealed class Cursor(DataViewRowCursor input, Func<bool> keep) : FilterCursor(input)
    {
        protected override bool MoveInputToNextKept()
        {
            while (Input.MoveNext())
                if (keep()) return true;
            return false;
        }
    }
}

namespace MLNet.Transformers.Data;

/// <summary>The rows of a source whose position a predicate keeps; streaming, with the same schema.</summary>
internal sealed class RowFilterDataView(IDataView source, Func<long, bool> keepPosition) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        new Cursor(source.GetRowCursor(columnsNeeded), keepPosition);

    private sealed class Cursor(DataViewRowCursor input, Func<long, bool> keep) : FilterCursor(input)
    {
        protected override bool MoveInputToNextKept()
        {
            while (Input.MoveNext())
                if (keep(Input.Position)) return true;
            return false;
        }
    }
}

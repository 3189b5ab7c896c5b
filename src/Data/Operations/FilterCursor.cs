namespace MLNet.Transformers.Data;

/// <summary>A cursor serving some of its input's rows unchanged; derived classes choose which.</summary>
internal abstract class FilterCursor(DataViewRowCursor input) : DataViewRowCursor
{
    private long _position = -1;

    protected DataViewRowCursor Input { get; } = input;

    public sealed override long Position => _position;
    public sealed override DataViewSchema Schema => Input.Schema;
    public sealed override bool IsColumnActive(DataViewSchema.Column column) => Input.IsColumnActive(column);
    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Input.GetGetter<TValue>(column);

    public sealed override bool MoveNext()
    {
        if (!MoveInputToNextKept()) return false;
        _position++;
        return true;
    }

    /// <summary>Moves the input to the next row to serve; false when there is none. <see cref="Position"/> is the
    /// number of rows served so far minus one.</summary>
    protected abstract bool MoveInputToNextKept();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Input.Dispose();
    }
}

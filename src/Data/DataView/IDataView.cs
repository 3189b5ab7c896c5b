namespace MLNet.Transformers.Data;

/// <summary>Reads the current row's value of one column into <paramref name="value"/>.</summary>
/// <typeparam name="TValue">The column type's <see cref="DataViewType.RawType"/>.</typeparam>
public delegate void ValueGetter<TValue>(ref TValue value);

/// <summary>
/// A lazy, streaming table: a schema, and cursors that walk its rows once, forward, reading only the columns asked
/// for. Nothing is computed until a cursor moves; a view over a file never holds the file in memory. Views are
/// immutable and any number of cursors may be open on one at once, from any threads.
/// </summary>
public interface IDataView
{
    /// <summary>The columns every row has.</summary>
    DataViewSchema Schema { get; }

    /// <summary>The number of rows when known without reading them all, else null.</summary>
    long? GetRowCount();

    /// <summary>A cursor over the rows that can read the columns in <paramref name="columnsNeeded"/> (and no others).</summary>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded);
}

/// <summary>One row of a data view: getters for the values of its active columns.</summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The index of the current row, -1 before the first.</summary>
    public abstract long Position { get; }

    /// <summary>The columns of the row.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Whether the cursor reads <paramref name="column"/> (only active columns have getters).</summary>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>
    /// A getter for <paramref name="column"/>'s value in the current row; call it again after each move. The getter
    /// belongs to this cursor and, like the cursor, is used from one thread.
    /// </summary>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>Releases files and buffers the row holds.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the row holds; <paramref name="disposing"/> is false from a finalizer.</summary>
    protected virtual void Dispose(bool disposing) { }
}

/// <summary>A row that moves forward through a data view.</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Moves to the next row; false when there are no more.</summary>
    public abstract bool MoveNext();
}

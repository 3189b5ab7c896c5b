using System.Reflection;

namespace MLNet.Transformers.Data;

/// <summary>The first rows of a view, read into plain objects for a debugger or a notebook (as ML.NET's <c>Preview</c>).</summary>
public sealed class DataDebuggerPreview
{
    private static readonly MethodInfo BoxingReaderMethod =
        typeof(DataDebuggerPreview).GetMethod(nameof(BoxingReader), BindingFlags.NonPublic | BindingFlags.Static)!;

    internal DataDebuggerPreview(IDataView data, int maxRows)
    {
        Schema = data.Schema;
        var columns = data.Schema.Where(c => !c.IsHidden).ToArray();
        var rows = new List<RowInfo>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var readers = columns.Select(c => (Func<object>)BoxingReaderMethod.MakeGenericMethod(c.Type.RawType).Invoke(null, [cursor, c])!).ToArray();
            while (rows.Count < maxRows && cursor.MoveNext())
                rows.Add(new RowInfo([.. columns.Select((c, i) => new KeyValuePair<string, object>(c.Name, readers[i]()))]));
        }
        RowView = rows;
        ColumnView = [.. columns.Select((c, i) => new ColumnInfo(c, [.. rows.Select(r => r.Values[i].Value)]))];
    }

    /// <summary>The schema of the view.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The rows read, each as (column name, value) pairs.</summary>
    public IReadOnlyList<RowInfo> RowView { get; }

    /// <summary>The visible columns, each with its values in the rows read.</summary>
    public IReadOnlyList<ColumnInfo> ColumnView { get; }

    /// <summary>One row: (column name, value) pairs; text is a string, a vector an array.</summary>
    /// <param name="Values">The row's values by column.</param>
    public sealed record RowInfo(IReadOnlyList<KeyValuePair<string, object>> Values)
    {
        /// <inheritdoc />
        public override string ToString() => string.Join(", ", Values.Select(v => $"{v.Key}: {Show(v.Value)}"));
    }

    /// <summary>One column and its values in the rows read.</summary>
    /// <param name="Column">The column.</param>
    /// <param name="Values">Its values, row by row.</param>
    public sealed record ColumnInfo(DataViewSchema.Column Column, IReadOnlyList<object> Values);

    private static string Show(object value) => value is Array items ? $"[{string.Join(", ", items.Cast<object>())}]" : $"{value}";

    private static Func<object> BoxingReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return value switch
            {
                ReadOnlyMemory<char> text => text.ToString(),
                VBuffer<float> vector => vector.GetValues().ToArray(),
                _ => value!,
            };
        };
    }
}

/// <summary>Debugging helpers on data views.</summary>
public static class DataViewExtensions
{
    /// <summary>The first <paramref name="maxRows"/> rows of <paramref name="data"/>, read into plain objects.</summary>
    public static DataDebuggerPreview Preview(this IDataView data, int maxRows = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return new DataDebuggerPreview(data, maxRows);
    }
}

using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Transformers.ModelLoadProbe;

/// <summary>
/// Writes the columns a model adds, one line per row and column (<c>row column value value ...</c>), floats as the
/// hexadecimal of their bits: two processes that compute the same bits write the same file.
/// </summary>
public static class OutputBits
{
    /// <summary>Writes every visible column of <paramref name="scored"/> that is not in <paramref name="inputSchema"/>.</summary>
    public static void Write(IDataView scored, DataViewSchema inputSchema, TextWriter output)
    {
        var inputNames = inputSchema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var added = scored.Schema.Where(c => !c.IsHidden && !inputNames.Contains(c.Name)).ToArray();
        using var cursor = scored.GetRowCursor(added);
        var readers = added.Select(c => (c.Name, Read: Reader(cursor, c))).ToArray();
        while (cursor.MoveNext())
            foreach (var (name, read) in readers)
                output.WriteLine($"{cursor.Position}\t{name}\t{string.Join(' ', read())}");
    }

    private static Func<IEnumerable<string>> Reader(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type switch
    {
        VectorDataViewType { ItemType: NumberDataViewType { RawType: var t } } when t == typeof(float) => Vector(cursor.GetGetter<VBuffer<float>>(column)),
        NumberDataViewType { RawType: var t } when t == typeof(float) => Scalar(cursor.GetGetter<float>(column), Bits),
        BooleanDataViewType => Scalar(cursor.GetGetter<bool>(column), b => b.ToString()),
        KeyDataViewType => Scalar(cursor.GetGetter<uint>(column), k => k.ToString(CultureInfo.InvariantCulture)),
        TextDataViewType => Scalar(cursor.GetGetter<ReadOnlyMemory<char>>(column), t => t.ToString()),
        _ => throw new NotSupportedException($"Output column '{column.Name}' is {column.Type}."),
    };

    private static Func<IEnumerable<string>> Scalar<T>(ValueGetter<T> getter, Func<T, string> format) => () =>
    {
        var value = default(T)!;
        getter(ref value);
        return [format(value)];
    };

    private static Func<IEnumerable<string>> Vector(ValueGetter<VBuffer<float>> getter) => () =>
    {
        var value = default(VBuffer<float>);
        getter(ref value);
        return value.DenseValues().Select(Bits).ToArray();
    };

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", CultureInfo.InvariantCulture);
}

using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>Embedding lookup: row gather forward, scatter-add backward.</summary>
public static class Embedding
{
    /// <summary>y (n, c) = table[ids[i], :] for each of the n ids; table is (rows, c).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, rows).</exception>
    public static void Forward(ReadOnlySpan<int> ids, ReadOnlySpan<float> table, Span<float> y, int c)
    {
        var rows = table.Length / c;
        Check.Length(y, ids.Length * c, nameof(y));
        for (var i = 0; i < ids.Length; i++)
            table.Slice(RowOf(ids, i, rows) * c, c).CopyTo(y.Slice(i * c, c));
    }

    /// <summary>dTable[ids[i], :] += dy[i, :] for each of the n ids (ids repeat: their gradients add up).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table.</exception>
    public static void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<float> dy, Span<float> dTable, int c)
    {
        var rows = dTable.Length / c;
        Check.Length(dy, ids.Length * c, nameof(dy));
        for (var i = 0; i < ids.Length; i++)
        {
            var row = dTable.Slice(RowOf(ids, i, rows) * c, c);
            TensorPrimitives.Add(row, dy.Slice(i * c, c), row);
        }
    }

    private static int RowOf(ReadOnlySpan<int> ids, int i, int rows)
    {
        var id = ids[i];
        if ((uint)id >= (uint)rows)
            throw new ArgumentOutOfRangeException(nameof(ids), id, $"Id at position {i} is outside the table's {rows} rows.");
        return id;
    }
}

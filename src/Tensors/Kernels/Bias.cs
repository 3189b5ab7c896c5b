using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>Per-column bias: broadcast over rows forward, column sums backward.</summary>
public static class Bias
{
    /// <summary>Writes <paramref name="bias"/> (c) into each of the <paramref name="rows"/> rows of y (rows, c).</summary>
    public static void Broadcast(ReadOnlySpan<float> bias, Span<float> y, int rows)
    {
        var c = bias.Length;
        Check.Length(y, rows * c, nameof(y));
        for (var r = 0; r < rows; r++) bias.CopyTo(y.Slice(r * c, c));
    }

    /// <summary>Columns summed together by one thread (its slice of every row stays in one cache line run).</summary>
    private const int ColumnBlock = 64;

    /// <summary>dBias (c) += Σ_rows dy (rows, c). Threads own disjoint column blocks, so sums are in row order.</summary>
    public static unsafe void AccumulateColumnSums(ReadOnlySpan<float> dy, Span<float> dBias, int rows)
    {
        var c = dBias.Length;
        Check.Length(dy, rows * c, nameof(dy));
        var blocks = (c + ColumnBlock - 1) / ColumnBlock;
        fixed (float* pdy = dy, pdb = dBias)
        {
            float* dys = pdy, sums = pdb;
            RowParallel.For(blocks, (long)rows * ColumnBlock, (_, start, end) =>
            {
                var first = start * ColumnBlock;
                var width = Math.Min(end * ColumnBlock, c) - first;
                var sum = new Span<float>(sums + first, width);
                for (var r = 0; r < rows; r++)
                    TensorPrimitives.Add(sum, new ReadOnlySpan<float>(dys + (long)r * c + first, width), sum);
            });
        }
    }
}

using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The backward pass of a per-column bias: column sums. (Forward, products add their bias as they store C, see
/// <see cref="Linear"/>; the fused kernels add theirs in their own passes.)
/// </summary>
public static class Bias
{
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

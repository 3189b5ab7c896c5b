using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The tail of a transformer sub-block before its LayerNorm, in one pass: y = dropout(x + bias) + residual, where x
/// (rows, c) is a bias-free product. Separately this is a bias pass, a dropout pass and a residual pass over the
/// activations. The dropout mask is <see cref="Dropout"/>'s for the same key over the flat (rows·c) index.
/// </summary>
public static unsafe class BiasDropoutResidual
{
    private const int Lanes = 8;

    /// <summary>y (rows, c) = dropout(x + bias) + residual; p = 0 means no dropout. y may alias x or residual.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y,
        int rows, float p, ulong key)
    {
        var c = bias.Length;
        Check.Length(x, rows * c, nameof(x));
        Check.Length(residual, rows * c, nameof(residual));
        Check.Length(y, rows * c, nameof(y));
        var mask = new DropoutMask(p, key);
        var dropout = p > 0f;
        fixed (float* px = x, pb = bias, pr = residual, py = y)
        {
            float* xs = px, bs = pb, rs = pr, ys = py;
            RowParallel.For(rows, c, (_, start, end) =>
            {
                for (var r = start; r < end; r++) Row(xs, bs, rs, ys, (long)r * c, c, dropout, mask);
            });
        }
    }

    /// <summary>
    /// Backward: dx = dropout′(dy) with the forward's mask, dBias (c) += Σ_rows dx. The residual's gradient is dy
    /// itself (add it with <see cref="Residual.Backward"/> or use dy directly).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, Span<float> dBias, int rows, float p, ulong key)
    {
        Dropout.Backward(dy, dx, p, key);
        Bias.AccumulateColumnSums(dx, dBias, rows);
    }

    /// <summary>One row: y[offset..offset+c) = dropout(x + bias) + residual, over flat indices from <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Row(float* x, float* bias, float* residual, float* y, long offset, int c, bool dropout, DropoutMask mask)
    {
        for (var j = 0; j < c; j += Lanes)
        {
            var count = Math.Min(Lanes, c - j);
            var index = offset + j;
            var v = Tail.Load(x + index, count, 0f) + Tail.Load(bias + j, count, 0f);
            if (dropout) v *= mask.Factors(index);
            Tail.Store(v + Tail.Load(residual + index, count, 0f), y + index, count);
        }
    }
}

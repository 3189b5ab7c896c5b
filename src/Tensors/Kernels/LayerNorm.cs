using System.Buffers;
using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Layer normalisation over the last dimension: y = (x − mean)·rstd·γ + β with rstd = 1/√(var + eps), the biased
/// variance as torch computes it.
/// </summary>
public static unsafe class LayerNorm
{
    /// <summary>
    /// Normalises each row of x (rows, c) into y. <paramref name="mean"/> and <paramref name="rstd"/> (rows) receive
    /// the statistics the backward pass needs; pass empty spans in inference.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int rows, float eps)
    {
        var c = gamma.Length;
        Check.Length(x, rows * c, nameof(x));
        Check.Length(beta, c, nameof(beta));
        Check.Length(y, rows * c, nameof(y));
        Check.OptionalLength(mean, rows, nameof(mean));
        Check.OptionalLength(rstd, rows, nameof(rstd));
        var keepStats = !mean.IsEmpty && !rstd.IsEmpty;
        fixed (float* px = x, pg = gamma, pb = beta, py = y, pm = mean, pr = rstd)
        {
            float* xs = px, gs = pg, bs = pb, ys = py, ms = pm, rs = pr;
            RowParallel.For(rows, c, (_, start, end) =>
            {
                var g = new ReadOnlySpan<float>(gs, c);
                var b = new ReadOnlySpan<float>(bs, c);
                for (var r = start; r < end; r++)
                {
                    var row = new ReadOnlySpan<float>(xs + (long)r * c, c);
                    var output = new Span<float>(ys + (long)r * c, c);
                    var mu = TensorPrimitives.Sum(row) / c;
                    TensorPrimitives.Subtract(row, mu, output);
                    var variance = TensorPrimitives.SumOfSquares(output) / c;
                    var inv = 1f / MathF.Sqrt(variance + eps);
                    TensorPrimitives.Multiply(output, inv, output);
                    TensorPrimitives.FusedMultiplyAdd(output, g, b, output);
                    if (keepStats)
                    {
                        ms[r] = mu;
                        rs[r] = inv;
                    }
                }
            });
        }
    }

    /// <summary>
    /// Backward: writes dx (rows, c) and adds to dGamma and dBeta (c). dx must not alias dy.
    /// dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) with ĝ = dy⊙γ and x̂ the normalised input.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta, int rows)
    {
        var c = gamma.Length;
        Check.Length(dy, rows * c, nameof(dy));
        Check.Length(x, rows * c, nameof(x));
        Check.Length(mean, rows, nameof(mean));
        Check.Length(rstd, rows, nameof(rstd));
        Check.Length(dx, rows * c, nameof(dx));
        Check.Length(dGamma, c, nameof(dGamma));
        Check.Length(dBeta, c, nameof(dBeta));
        var blocks = RowParallel.BlockCount(rows, c);
        var partials = ArrayPool<float>.Shared.Rent(blocks * 2 * c); // per block: dGamma then dBeta
        try
        {
            Array.Clear(partials, 0, blocks * 2 * c);
            fixed (float* pdy = dy, px = x, pg = gamma, pm = mean, pr = rstd, pdx = dx)
            {
                float* dys = pdy, xs = px, gs = pg, ms = pm, rs = pr, dxs = pdx;
                RowParallel.For(rows, c, (block, start, end) =>
                {
                    var g = new ReadOnlySpan<float>(gs, c);
                    var dg = partials.AsSpan(block * 2 * c, c);
                    var db = partials.AsSpan(block * 2 * c + c, c);
                    for (var r = start; r < end; r++)
                    {
                        var dyRow = new ReadOnlySpan<float>(dys + (long)r * c, c);
                        var xRow = new ReadOnlySpan<float>(xs + (long)r * c, c);
                        var dxRow = new Span<float>(dxs + (long)r * c, c); // holds x̂ first, then dx
                        TensorPrimitives.Subtract(xRow, ms[r], dxRow);
                        TensorPrimitives.Multiply(dxRow, rs[r], dxRow);
                        TensorPrimitives.FusedMultiplyAdd(dyRow, dxRow, dg, dg);
                        TensorPrimitives.Add(db, dyRow, db);
                        // Row means of ĝ = dy⊙γ and of ĝ⊙x̂.
                        var meanG = TensorPrimitives.Dot(dyRow, g) / c;
                        var meanGx = DotOfThree(dyRow, g, dxRow) / c;
                        // dx = rstd·(dy⊙γ − meanG − x̂·meanGx)
                        TensorPrimitives.Multiply(dxRow, -meanGx, dxRow);
                        TensorPrimitives.FusedMultiplyAdd(dyRow, g, dxRow, dxRow);
                        TensorPrimitives.Add(dxRow, -meanG, dxRow);
                        TensorPrimitives.Multiply(dxRow, rs[r], dxRow);
                    }
                });
            }
            for (var block = 0; block < blocks; block++)
            {
                TensorPrimitives.Add(dGamma, partials.AsSpan(block * 2 * c, c), dGamma);
                TensorPrimitives.Add(dBeta, partials.AsSpan(block * 2 * c + c, c), dBeta);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    private static float DotOfThree(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i] * c[i];
        return sum;
    }
}

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
                for (var r = start; r < end; r++)
                {
                    var (mu, inv) = NormalizeRow(xs + (long)r * c, gs, bs, ys + (long)r * c, c, eps);
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
    /// Inference fusion of <see cref="BiasDropoutResidual.Forward"/> without dropout and <see cref="Forward"/>:
    /// y (rows, c) = LayerNorm(x + bias + residual), each row's sum formed in its output row while that is in cache
    /// instead of in a buffer of its own (one pass over memory fewer). The same bits as the two kernels.
    /// </summary>
    public static void ForwardResidual(
        ReadOnlySpan<float> x, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int rows, float eps)
    {
        var c = gamma.Length;
        Check.Length(x, rows * c, nameof(x));
        Check.Length(bias, c, nameof(bias));
        Check.Length(residual, rows * c, nameof(residual));
        Check.Length(beta, c, nameof(beta));
        Check.Length(y, rows * c, nameof(y));
        fixed (float* px = x, pbias = bias, pres = residual, pg = gamma, pb = beta, py = y)
        {
            float* xs = px, biases = pbias, residuals = pres, gs = pg, bs = pb, ys = py;
            RowParallel.For(rows, c, (_, start, end) =>
            {
                for (var r = start; r < end; r++)
                {
                    var offset = (long)r * c;
                    BiasDropoutResidual.Row(xs, biases, residuals, ys, offset, c, dropout: false, mask: default);
                    NormalizeRow(ys + offset, gs, bs, ys + offset, c, eps);
                }
            });
        }
    }

    /// <summary>Normalises one row (output may alias it); returns its mean and 1/√(var + eps).</summary>
    private static (float Mean, float Rstd) NormalizeRow(float* x, float* gamma, float* beta, float* y, int c, float eps)
    {
        var row = new ReadOnlySpan<float>(x, c);
        var output = new Span<float>(y, c);
        var mu = TensorPrimitives.Sum(row) / c;
        TensorPrimitives.Subtract(row, mu, output);
        var variance = TensorPrimitives.SumOfSquares(output) / c;
        var inv = 1f / MathF.Sqrt(variance + eps);
        TensorPrimitives.Multiply(output, inv, output);
        TensorPrimitives.FusedMultiplyAdd(output, new ReadOnlySpan<float>(gamma, c), new ReadOnlySpan<float>(beta, c), output);
        return (mu, inv);
    }

    /// <summary>
    /// Backward: writes dx (rows, c) and adds to dGamma and dBeta (c). dx may alias neither dy nor x.
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
        var scratch = ArrayPool<float>.Shared.Rent(blocks * 3 * c); // per block: dGamma, dBeta, x̂ of the current row
        try
        {
            Array.Clear(scratch, 0, blocks * 3 * c);
            fixed (float* pdy = dy, px = x, pg = gamma, pm = mean, pr = rstd, pdx = dx)
            {
                float* dys = pdy, xs = px, gs = pg, ms = pm, rs = pr, dxs = pdx;
                RowParallel.For(rows, c, (block, start, end) =>
                {
                    var g = new ReadOnlySpan<float>(gs, c);
                    var dg = scratch.AsSpan(block * 3 * c, c);
                    var db = scratch.AsSpan(block * 3 * c + c, c);
                    var normalized = scratch.AsSpan(block * 3 * c + 2 * c, c);
                    for (var r = start; r < end; r++)
                    {
                        var dyRow = new ReadOnlySpan<float>(dys + (long)r * c, c);
                        var dxRow = new Span<float>(dxs + (long)r * c, c);
                        TensorPrimitives.Subtract(new ReadOnlySpan<float>(xs + (long)r * c, c), ms[r], normalized);
                        TensorPrimitives.Multiply(normalized, rs[r], normalized); // x̂
                        TensorPrimitives.FusedMultiplyAdd(dyRow, normalized, dg, dg);
                        TensorPrimitives.Add(db, dyRow, db);
                        TensorPrimitives.Multiply(dyRow, g, dxRow); // ĝ = dy⊙γ
                        var meanG = TensorPrimitives.Sum(dxRow) / c;
                        var meanGx = TensorPrimitives.Dot(dxRow, normalized) / c;
                        // dx = rstd·(ĝ − meanG − x̂·meanGx)
                        TensorPrimitives.MultiplyAdd(normalized, -meanGx, dxRow, dxRow);
                        TensorPrimitives.Add(dxRow, -meanG, dxRow);
                        TensorPrimitives.Multiply(dxRow, rs[r], dxRow);
                    }
                });
            }
            for (var block = 0; block < blocks; block++)
            {
                TensorPrimitives.Add(dGamma, scratch.AsSpan(block * 3 * c, c), dGamma);
                TensorPrimitives.Add(dBeta, scratch.AsSpan(block * 3 * c + c, c), dBeta);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}

using System.Numerics.Tensors;

namespace MLNet.Transformers.Models.Pooling;

/// <summary>
/// Forward/backward kernels that pool token states (B, T, C) over an attention mask (B, T) into one vector per
/// sequence (B, C). Padding positions (mask 0) never contribute; a sequence needs at least one real token.
/// </summary>
public static class PoolingKernels
{
    /// <summary>
    /// output (B, C) = pooling of hidden (B, T, C). For <see cref="PoolingMode.Max"/>, <paramref name="argMax"/>
    /// (B, C) receives the winning token of each channel for the backward pass (may be empty in inference);
    /// <see cref="PoolingMode.Cls"/> ignores the mask (it may be empty).
    /// </summary>
    /// <exception cref="ArgumentException">A sequence has no real token (mean, max and mean-sqrt-len need one).</exception>
    public static void Forward(PoolingMode mode, ReadOnlySpan<float> hidden, ReadOnlySpan<int> mask, Span<float> output,
        Span<int> argMax, int batch, int tokens, int channels)
    {
        for (var b = 0; b < batch; b++)
        {
            var rows = hidden.Slice(b * tokens * channels, tokens * channels);
            var y = output.Slice(b * channels, channels);
            if (mode == PoolingMode.Cls)
            {
                rows[..channels].CopyTo(y);
                continue;
            }
            var rowMask = mask.Slice(b * tokens, tokens);
            var count = RealTokens(rowMask, b);
            if (mode == PoolingMode.Max)
            {
                MaxForward(rows, rowMask, y, argMax.IsEmpty ? [] : argMax.Slice(b * channels, channels), channels);
                continue;
            }
            y.Clear();
            for (var t = 0; t < tokens; t++)
            {
                if (rowMask[t] != 0) TensorPrimitives.Add(y, rows.Slice(t * channels, channels), y);
            }
            TensorPrimitives.Multiply(y, Scale(mode, count), y);
        }
    }

    /// <summary>Adds the gradient of the pooled vectors dOutput (B, C) into dHidden (B, T, C); CLS needs no mask, max no mask but its arg-max.</summary>
    public static void Backward(PoolingMode mode, ReadOnlySpan<float> dOutput, ReadOnlySpan<int> mask, ReadOnlySpan<int> argMax,
        Span<float> dHidden, int batch, int tokens, int channels)
    {
        for (var b = 0; b < batch; b++)
        {
            var dy = dOutput.Slice(b * channels, channels);
            var dRows = dHidden.Slice(b * tokens * channels, tokens * channels);
            switch (mode)
            {
                case PoolingMode.Cls:
                    TensorPrimitives.Add(dRows[..channels], dy, dRows[..channels]);
                    break;
                case PoolingMode.Max:
                    var winners = argMax.Slice(b * channels, channels);
                    for (var c = 0; c < channels; c++) dRows[winners[c] * channels + c] += dy[c];
                    break;
                default:
                    var rowMask = mask.Slice(b * tokens, tokens);
                    var scale = Scale(mode, RealTokens(rowMask, b));
                    for (var t = 0; t < tokens; t++)
                    {
                        if (rowMask[t] == 0) continue;
                        var dRow = dRows.Slice(t * channels, channels);
                        TensorPrimitives.MultiplyAdd(dy, scale, dRow, dRow);
                    }
                    break;
            }
        }
    }

    private static void MaxForward(ReadOnlySpan<float> rows, ReadOnlySpan<int> mask, Span<float> y, Span<int> argMax, int channels)
    {
        y.Fill(float.NegativeInfinity);
        for (var t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            var row = rows.Slice(t * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                if (!(row[c] > y[c])) continue;
                y[c] = row[c];
                if (!argMax.IsEmpty) argMax[c] = t;
            }
        }
    }

    private static float Scale(PoolingMode mode, int count) =>
        mode == PoolingMode.MeanSqrtLen ? 1f / MathF.Sqrt(count) : 1f / count;

    private static int RealTokens(ReadOnlySpan<int> mask, int row)
    {
        var count = 0;
        foreach (var m in mask) count += m;
        return count > 0 ? count : throw new ArgumentException($"Sequence {row} has no real token to pool (its attention mask is all zero).");
    }
}

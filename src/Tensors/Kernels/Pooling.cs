using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Sentence pooling of hidden states (B, T, C) into (B, C): the first ([CLS]) token, the mean over real tokens (or
/// their sum over √count), or the maximum over real tokens. The attention mask (B, T) holds 1 for real tokens and 0
/// for padding; an empty mask means every token is real. Backward passes add into dHidden, so several poolings of
/// the same states (or a pooler beside the sequence output) accumulate their gradients.
/// </summary>
public static class Pooling
{
    /// <summary>Mean pooling's lower bound on the token count, as sentence-transformers clamps it (all-padding rows give 0).</summary>
    public const float MinTokenCount = 1e-9f;

    /// <summary>pooled[b] = hidden[b, 0].</summary>
    public static void ClsForward(ReadOnlySpan<float> hidden, Span<float> pooled, int batch, int tokens)
    {
        var c = Width(hidden.Length, pooled.Length, batch, tokens);
        for (var b = 0; b < batch; b++) hidden.Slice(b * tokens * c, c).CopyTo(pooled.Slice(b * c, c));
    }

    /// <summary>dHidden[b, 0] += dPooled[b]; no other token receives gradient.</summary>
    public static void ClsBackward(ReadOnlySpan<float> dPooled, Span<float> dHidden, int batch, int tokens)
    {
        var c = Width(dHidden.Length, dPooled.Length, batch, tokens);
        for (var b = 0; b < batch; b++)
        {
            var first = dHidden.Slice(b * tokens * c, c);
            TensorPrimitives.Add(first, dPooled.Slice(b * c, c), first);
        }
    }

    /// <summary>pooled[b] = Σ_t mask[b,t]·hidden[b,t] / max(Σ_t mask[b,t], <see cref="MinTokenCount"/>).</summary>
    public static void MeanForward(
        ReadOnlySpan<float> hidden, ReadOnlySpan<float> mask, Span<float> pooled, int batch, int tokens) =>
        MaskedSumForward(hidden, mask, pooled, batch, tokens, Mean);

    /// <summary>pooled[b] = Σ_t mask[b,t]·hidden[b,t] / √count[b] (sentence-transformers' mean-sqrt-len pooling).</summary>
    public static void MeanSqrtLenForward(
        ReadOnlySpan<float> hidden, ReadOnlySpan<float> mask, Span<float> pooled, int batch, int tokens) =>
        MaskedSumForward(hidden, mask, pooled, batch, tokens, MeanSqrtLen);

    /// <summary>dHidden[b, t] += mask[b,t]·dPooled[b] / count[b].</summary>
    public static void MeanBackward(
        ReadOnlySpan<float> dPooled, ReadOnlySpan<float> mask, Span<float> dHidden, int batch, int tokens) =>
        MaskedSumBackward(dPooled, mask, dHidden, batch, tokens, Mean);

    /// <summary>dHidden[b, t] += mask[b,t]·dPooled[b] / √count[b].</summary>
    public static void MeanSqrtLenBackward(
        ReadOnlySpan<float> dPooled, ReadOnlySpan<float> mask, Span<float> dHidden, int batch, int tokens) =>
        MaskedSumBackward(dPooled, mask, dHidden, batch, tokens, MeanSqrtLen);

    private static float Mean(float count) => 1f / count;

    private static float MeanSqrtLen(float count) => 1f / MathF.Sqrt(count);

    private static void MaskedSumForward(
        ReadOnlySpan<float> hidden, ReadOnlySpan<float> mask, Span<float> pooled, int batch, int tokens, Func<float, float> scaleOfCount)
    {
        var c = Width(hidden.Length, pooled.Length, batch, tokens);
        Check.OptionalLength(mask, batch * tokens, nameof(mask));
        pooled.Clear();
        for (var b = 0; b < batch; b++)
        {
            var sum = pooled.Slice(b * c, c);
            for (var t = 0; t < tokens; t++)
            {
                var m = MaskAt(mask, b * tokens + t);
                if (m != 0f) TensorPrimitives.MultiplyAdd(hidden.Slice((b * tokens + t) * c, c), m, sum, sum);
            }
            TensorPrimitives.Multiply(sum, scaleOfCount(TokenCount(mask, b, tokens)), sum);
        }
    }

    private static void MaskedSumBackward(
        ReadOnlySpan<float> dPooled, ReadOnlySpan<float> mask, Span<float> dHidden, int batch, int tokens, Func<float, float> scaleOfCount)
    {
        var c = Width(dHidden.Length, dPooled.Length, batch, tokens);
        Check.OptionalLength(mask, batch * tokens, nameof(mask));
        for (var b = 0; b < batch; b++)
        {
            var scale = scaleOfCount(TokenCount(mask, b, tokens));
            for (var t = 0; t < tokens; t++)
            {
                var m = MaskAt(mask, b * tokens + t);
                if (m == 0f) continue;
                var dRow = dHidden.Slice((b * tokens + t) * c, c);
                TensorPrimitives.MultiplyAdd(dPooled.Slice(b * c, c), m * scale, dRow, dRow);
            }
        }
    }

    /// <summary>
    /// pooled[b, c] = max over real tokens of hidden[b, t, c]; <paramref name="argmax"/> (B, C) receives the winning
    /// token for the backward pass. A row with no real token pools to zero with argmax −1.
    /// </summary>
    public static void MaxForward(
        ReadOnlySpan<float> hidden, ReadOnlySpan<float> mask, Span<float> pooled, Span<int> argmax, int batch, int tokens)
    {
        var c = Width(hidden.Length, pooled.Length, batch, tokens);
        Check.OptionalLength(mask, batch * tokens, nameof(mask));
        Check.Length(argmax, batch * c, nameof(argmax));
        pooled.Fill(float.NegativeInfinity);
        argmax.Fill(-1);
        for (var b = 0; b < batch; b++)
        for (var t = 0; t < tokens; t++)
        {
            if (MaskAt(mask, b * tokens + t) == 0f) continue;
            var row = hidden.Slice((b * tokens + t) * c, c);
            for (var j = 0; j < c; j++)
            {
                if (!(row[j] > pooled[b * c + j])) continue;
                pooled[b * c + j] = row[j];
                argmax[b * c + j] = t;
            }
        }
        for (var i = 0; i < pooled.Length; i++)
            if (argmax[i] < 0) pooled[i] = 0f;
    }

    /// <summary>Adds dPooled[b, c] to the gradient of the token that won the maximum; no other token receives any.</summary>
    public static void MaxBackward(ReadOnlySpan<float> dPooled, ReadOnlySpan<int> argmax, Span<float> dHidden, int batch, int tokens)
    {
        var c = Width(dHidden.Length, dPooled.Length, batch, tokens);
        Check.Length(argmax, batch * c, nameof(argmax));
        for (var b = 0; b < batch; b++)
        for (var j = 0; j < c; j++)
        {
            var t = argmax[b * c + j];
            if (t >= 0) dHidden[(b * tokens + t) * c + j] += dPooled[b * c + j];
        }
    }

    private static float MaskAt(ReadOnlySpan<float> mask, int index) => mask.IsEmpty ? 1f : mask[index];

    private static float TokenCount(ReadOnlySpan<float> mask, int b, int tokens)
    {
        if (mask.IsEmpty) return tokens;
        var count = 0f;
        foreach (var m in mask.Slice(b * tokens, tokens)) count += m;
        return Math.Max(count, MinTokenCount);
    }

    private static int Width(int hiddenLength, int pooledLength, int batch, int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        var c = pooledLength / batch;
        if (pooledLength != batch * c || hiddenLength != batch * tokens * c)
            throw new ArgumentException($"hidden has {hiddenLength} elements and pooled {pooledLength}; expected (B={batch}, T={tokens}, C) and (B, C).");
        return c;
    }
}

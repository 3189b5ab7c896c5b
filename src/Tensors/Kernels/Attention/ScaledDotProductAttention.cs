namespace MLNet.Transformers.Tensors;

/// <summary>
/// Multi-head scaled dot-product attention over head layout (B, H, T, D):
/// P = softmax(Q·Kᵀ/√D + mask), context = dropout(P)·V. The scale, the padding and causal masks and the softmax run
/// as one pass over each row of scores. The padding mask follows Hugging Face: <c>attention_mask</c> (B, T) holds 1
/// for tokens to attend to and 0 for padding, which adds the most negative float to those scores.
/// </summary>
public static unsafe class ScaledDotProductAttention
{
    /// <summary>
    /// Forward. <paramref name="probabilities"/> (B, H, T, T) receives P; <paramref name="dropped"/> (same size)
    /// receives dropout(P) when dropout is active (else pass empty); <paramref name="context"/> (B, H, T, D) the output.
    /// <paramref name="attentionMask"/> (B, T) may be empty (attend everywhere).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value, ReadOnlySpan<float> attentionMask,
        Span<float> probabilities, Span<float> dropped, Span<float> context, AttentionShape shape, AttentionOptions options)
    {
        CheckShapes(query, key, value, attentionMask, probabilities, dropped, context, shape, options);
        var (bh, t, d) = (shape.Batch * shape.Heads, shape.Tokens, shape.HeadSize);
        Gemm.BatchedMultiply(query, key, probabilities, bh, t, t, d, transposeB: true); // (BH, T, T) = Q·Kᵀ
        SoftmaxWithDropout(probabilities, dropped, attentionMask, shape, options);
        var mixing = options.HasDropout ? dropped : probabilities;
        Gemm.BatchedMultiply(mixing, value, context, bh, t, d, t); // (BH, T, D) = dropout(P)·V
    }

    /// <summary>
    /// Backward: from dContext (B, H, T, D) writes dQuery, dKey, dValue (B, H, T, D), using the forward's
    /// probabilities and dropped probabilities. <paramref name="scratch"/> (B, H, T, T) is overwritten.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> dContext, ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value,
        ReadOnlySpan<float> probabilities, ReadOnlySpan<float> dropped, Span<float> scratch,
        Span<float> dQuery, Span<float> dKey, Span<float> dValue, AttentionShape shape, AttentionOptions options)
    {
        CheckShapes(query, key, value, [], probabilities, dropped, dContext, shape, options);
        Check.Length(scratch, shape.ScoreElements, nameof(scratch));
        Check.Length(dQuery, shape.HeadElements, nameof(dQuery));
        Check.Length(dKey, shape.HeadElements, nameof(dKey));
        Check.Length(dValue, shape.HeadElements, nameof(dValue));
        var (bh, t, d) = (shape.Batch * shape.Heads, shape.Tokens, shape.HeadSize);
        var mixing = options.HasDropout ? dropped : probabilities;
        Gemm.BatchedMultiply(mixing, dContext, dValue, bh, t, d, t, transposeA: true); // dV = Pᵀ·dC
        Gemm.BatchedMultiply(dContext, value, scratch, bh, t, t, d, transposeB: true); // dP = dC·Vᵀ
        if (options.HasDropout) Dropout.Backward(scratch, scratch, options.DropoutProbability, options.DropoutKey);
        SoftmaxBackward(scratch, probabilities, shape, 1f / MathF.Sqrt(d)); // scratch becomes dS (of Q·Kᵀ)
        Gemm.BatchedMultiply(scratch, key, dQuery, bh, t, d, t); // dQ = dS·K
        Gemm.BatchedMultiply(scratch, query, dKey, bh, t, d, t, transposeA: true); // dK = dSᵀ·Q
    }

    private static void SoftmaxWithDropout(
        Span<float> scores, Span<float> dropped, ReadOnlySpan<float> attentionMask, AttentionShape shape,
        AttentionOptions options)
    {
        var (h, t) = (shape.Heads, shape.Tokens);
        var scale = 1f / MathF.Sqrt(shape.HeadSize);
        var dropout = options.HasDropout ? new DropoutMask(options.DropoutProbability, options.DropoutKey) : default;
        fixed (float* ps = scores, pd = dropped, pm = attentionMask)
        {
            float* s = ps, dp = options.HasDropout ? pd : null, m = attentionMask.IsEmpty ? null : pm;
            RowParallel.For(shape.Batch * h * t, t, (_, start, end) =>
            {
                for (var row = start; row < end; row++) // row = (b·H + head)·T + i
                {
                    var offset = (long)row * t;
                    var visible = options.Causal ? row % t + 1 : t;
                    var keyMask = m == null ? null : m + (long)(row / (h * t)) * t;
                    AttentionSoftmax.Forward(s + offset, keyMask, visible, t, scale, dp == null ? null : dp + offset, dropout, offset);
                }
            });
        }
    }

    private static void SoftmaxBackward(Span<float> dProbabilities, ReadOnlySpan<float> probabilities, AttentionShape shape, float scale)
    {
        var t = shape.Tokens;
        fixed (float* pd = dProbabilities, pp = probabilities)
        {
            float* dp = pd, p = pp;
            RowParallel.For(shape.Batch * shape.Heads * t, t, (_, start, end) =>
            {
                for (var row = start; row < end; row++)
                {
                    var dRow = new Span<float>(dp + (long)row * t, t);
                    Softmax.RowBackward(dRow, new ReadOnlySpan<float>(p + (long)row * t, t), dRow, scale);
                }
            });
        }
    }

    private static void CheckShapes(
        ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value, ReadOnlySpan<float> attentionMask,
        ReadOnlySpan<float> probabilities, ReadOnlySpan<float> dropped, ReadOnlySpan<float> context,
        AttentionShape shape, AttentionOptions options)
    {
        Check.Length(query, shape.HeadElements, nameof(query));
        Check.Length(key, shape.HeadElements, nameof(key));
        Check.Length(value, shape.HeadElements, nameof(value));
        Check.Length(context, shape.HeadElements, nameof(context));
        Check.OptionalLength(attentionMask, shape.Batch * shape.Tokens, nameof(attentionMask));
        Check.Length(probabilities, shape.ScoreElements, nameof(probabilities));
        if (options.HasDropout) Check.Length(dropped, shape.ScoreElements, nameof(dropped));
    }
}

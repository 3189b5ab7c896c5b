namespace MLNet.Transformers.Tensors;

/// <summary>
/// Multi-head scaled dot-product attention, P = softmax(Q·Kᵀ/√D + mask), context = dropout(P)·V, reading each head's
/// Q, K and V in place from the packed projections (B, T, 3C) (query, key, value side by side in each token's row,
/// heads side by side within each) and writing the context straight into token layout (B, T, C), so no head
/// transposes are needed. The scale, the padding and causal masks, the softmax and the dropout run as one pass over
/// each row of scores. The padding mask follows Hugging Face: <c>attention_mask</c> (B, T) holds 1 for tokens to
/// attend to and 0 for padding, which adds the most negative float to those scores.
/// </summary>
public static unsafe class ScaledDotProductAttention
{
    /// <summary>
    /// Forward. <paramref name="probabilities"/> (B, H, T, T) receives P; <paramref name="dropped"/> (same size)
    /// receives dropout(P) when dropout is active (else pass empty); <paramref name="context"/> (B, T, C) the output.
    /// <paramref name="attentionMask"/> (B, T) may be empty (attend everywhere).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> qkv, ReadOnlySpan<float> attentionMask, Span<float> probabilities, Span<float> dropped,
        Span<float> context, AttentionShape shape, AttentionOptions options)
    {
        CheckShapes(qkv, probabilities, dropped, context, shape, options);
        Check.OptionalLength(attentionMask, shape.Batch * shape.Tokens, nameof(attentionMask));
        var (b, h, t, d, c) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize, shape.Hidden);
        var (packed, scores, tokens) = (Heads(shape, 3 * c), Scores(shape), Heads(shape, c));
        Gemm.BatchedMultiply(qkv, packed, qkv[c..], packed, probabilities, scores, b, h, t, t, d,
            transposeB: true); // (B, H, T, T) = Q·Kᵀ
        SoftmaxWithDropout(probabilities, dropped, attentionMask, shape, options);
        var mixing = options.HasDropout ? dropped : probabilities;
        Gemm.BatchedMultiply(mixing, scores, qkv[(2 * c)..], packed, context, tokens, b, h, t, d, t); // dropout(P)·V
    }

    /// <summary>
    /// Inference forward one sequence at a time, the sequences spread over the threads, each computed directly by
    /// <see cref="SequenceAttention"/> (no packed products, no dispatch per product). No dropout, and P is not kept:
    /// <paramref name="scratch"/> (<see cref="SequenceScratchLength"/> floats) holds each thread's transposed keys and
    /// row of scores. Gives the values of <see cref="Forward"/> without dropout, up to rounding.
    /// </summary>
    public static void ForwardBySequence(
        ReadOnlySpan<float> qkv, ReadOnlySpan<float> attentionMask, Span<float> scratch, Span<float> context,
        AttentionShape shape, bool causal = false)
    {
        var (b, h, t, d, c) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize, shape.Hidden);
        var (parts, perPart) = (SequenceParts(shape), SequenceAttention.ScratchLength(t, d));
        Check.Length(qkv, 3 * shape.HeadElements, nameof(qkv));
        Check.Length(context, shape.HeadElements, nameof(context));
        Check.OptionalLength(attentionMask, b * t, nameof(attentionMask));
        Check.Length(scratch, parts * perPart, nameof(scratch));
        fixed (float* pq = qkv, pm = attentionMask, ps = scratch, pc = context)
        {
            float* q = pq, m = attentionMask.IsEmpty ? null : pm, sc = ps, cx = pc;
            Parallelism.ForEachPart(parts, part =>
            {
                var (start, end) = Parallelism.PartRange(b, parts, part);
                for (var s = start; s < end; s++)
                {
                    SequenceAttention.Forward(q + (long)s * t * 3 * c, m == null ? null : m + (long)s * t,
                        cx + (long)s * t * c, sc + (long)part * perPart, t, h, d, causal);
                }
            });
        }
    }

    /// <summary>Floats of scratch <see cref="ForwardBySequence"/> needs at the current <see cref="Parallelism.Degree"/>.</summary>
    public static int SequenceScratchLength(AttentionShape shape) =>
        SequenceParts(shape) * SequenceAttention.ScratchLength(shape.Tokens, shape.HeadSize);

    private static int SequenceParts(AttentionShape shape) => Math.Max(1, Math.Min(shape.Batch, Parallelism.Degree));

    /// <summary>
    /// Backward: from dContext (B, T, C) writes the gradient of the packed projections dQkv (B, T, 3C), using the
    /// forward's probabilities and dropped probabilities. <paramref name="scratch"/> (B, H, T, T) is overwritten.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> dContext, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> dropped, Span<float> scratch, Span<float> dQkv, AttentionShape shape, AttentionOptions options)
    {
        CheckShapes(qkv, probabilities, dropped, dContext, shape, options);
        Check.Length(scratch, shape.ScoreElements, nameof(scratch));
        Check.Length(dQkv, qkv.Length, nameof(dQkv));
        var (b, h, t, d, c) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize, shape.Hidden);
        var (packed, scores, tokens) = (Heads(shape, 3 * c), Scores(shape), Heads(shape, c));
        var mixing = options.HasDropout ? dropped : probabilities;
        Gemm.BatchedMultiply(mixing, scores, dContext, tokens, dQkv[(2 * c)..], packed, b, h, t, d, t,
            transposeA: true); // dV = dropout(P)ᵀ·dC
        Gemm.BatchedMultiply(dContext, tokens, qkv[(2 * c)..], packed, scratch, scores, b, h, t, t, d,
            transposeB: true); // d dropout(P) = dC·Vᵀ
        if (options.HasDropout) Dropout.Backward(scratch, scratch, options.DropoutProbability, options.DropoutKey);
        SoftmaxBackward(scratch, probabilities, shape, 1f / MathF.Sqrt(d)); // scratch becomes dS, the gradient of Q·Kᵀ
        Gemm.BatchedMultiply(scratch, scores, qkv[c..], packed, dQkv, packed, b, h, t, d, t); // dQ = dS·K
        Gemm.BatchedMultiply(scratch, scores, qkv, packed, dQkv[c..], packed, b, h, t, d, t,
            transposeA: true); // dK = dSᵀ·Q
    }

    /// <summary>Head (b, h) of a (B, T, width) token-layout buffer: rows <paramref name="width"/> apart, head h at column h·D.</summary>
    private static MatrixLayout Heads(AttentionShape shape, int width) =>
        new(width, (long)shape.Tokens * width, shape.HeadSize);

    /// <summary>The (T, T) score matrix of head (b, h) in (B, H, T, T).</summary>
    private static MatrixLayout Scores(AttentionShape shape) =>
        new(shape.Tokens, (long)shape.Heads * shape.Tokens * shape.Tokens, (long)shape.Tokens * shape.Tokens);

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
        ReadOnlySpan<float> qkv, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> dropped,
        ReadOnlySpan<float> context, AttentionShape shape, AttentionOptions options)
    {
        Check.Length(qkv, 3 * shape.HeadElements, nameof(qkv));
        Check.Length(context, shape.HeadElements, nameof(context));
        Check.Length(probabilities, shape.ScoreElements, nameof(probabilities));
        if (options.HasDropout) Check.Length(dropped, shape.ScoreElements, nameof(dropped));
    }
}

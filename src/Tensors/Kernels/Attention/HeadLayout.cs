namespace MLNet.Transformers.Tensors;

/// <summary>
/// Moves activations between token layout (B, T, parts·C), where heads sit side by side in each row, and head layout
/// (B, H, T, D), where each head's (T, D) matrix is contiguous for the batched products of attention.
/// </summary>
public static unsafe class HeadLayout
{
    /// <summary>
    /// Copies part <paramref name="part"/> of <paramref name="parts"/> packed projections (e.g. the key of a packed
    /// query/key/value row (B, T, 3C)) into head layout (B, H, T, D).
    /// </summary>
    public static void Split(ReadOnlySpan<float> tokens, Span<float> heads, AttentionShape shape, int parts, int part)
    {
        Check.Length(tokens, shape.Batch * shape.Tokens * parts * shape.Hidden, nameof(tokens));
        Check.Length(heads, shape.HeadElements, nameof(heads));
        fixed (float* pt = tokens, ph = heads)
            Copy(pt, ph, shape, parts, part, toHeads: true);
    }

    /// <summary>The inverse of <see cref="Split"/>: writes head layout (B, H, T, D) into part of a token row.</summary>
    public static void Merge(ReadOnlySpan<float> heads, Span<float> tokens, AttentionShape shape, int parts, int part)
    {
        Check.Length(tokens, shape.Batch * shape.Tokens * parts * shape.Hidden, nameof(tokens));
        Check.Length(heads, shape.HeadElements, nameof(heads));
        fixed (float* pt = tokens, ph = heads)
            Copy(pt, ph, shape, parts, part, toHeads: false);
    }

    private static void Copy(float* tokens, float* heads, AttentionShape shape, int parts, int part, bool toHeads)
    {
        var (h, t, d) = (shape.Heads, shape.Tokens, shape.HeadSize);
        var rowWidth = parts * shape.Hidden;
        var bytes = d * sizeof(float);
        RowParallel.For(shape.Batch * t, rowWidth, (_, start, end) =>
        {
            for (var row = start; row < end; row++) // row = b·T + i
            {
                var (b, i) = Math.DivRem(row, t);
                var token = tokens + (long)row * rowWidth + part * shape.Hidden;
                for (var head = 0; head < h; head++)
                {
                    var inHeads = heads + (((long)b * h + head) * t + i) * d;
                    var inTokens = token + head * d;
                    if (toHeads) Buffer.MemoryCopy(inTokens, inHeads, bytes, bytes);
                    else Buffer.MemoryCopy(inHeads, inTokens, bytes, bytes);
                }
            }
        });
    }
}

using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Causal multi-head attention of new tokens over a key/value cache, for generation: the keys and values of every
/// earlier token are kept, so a new token costs O(T) (its scores against the T cached keys) instead of recomputing the
/// whole sequence. Query i of the new tokens, at position past + i, attends to keys 0 … past + i. The cache holds
/// (B, capacity, C) keys and values in token layout, heads side by side within each row, as the packed projections do.
/// An optional key mask (B, capacity) marks padding (0) as Hugging Face's <c>attention_mask</c> does: a masked key's
/// score is the most negative float, so it gets no weight unless every visible key is masked.
/// </summary>
public static class CachedAttention
{
    /// <summary>
    /// context (B, Tn, C) = softmax(Q·Kᵀ/√D)·V per head, for the Tn new queries read from <paramref name="qkv"/>
    /// (B, Tn, 3C; query in columns [0, C)) against the first past + Tn rows of <paramref name="keys"/> and
    /// <paramref name="values"/> (B, capacity, C), which must already hold the new tokens' keys and values.
    /// <paramref name="scores"/> needs past + Tn floats. <paramref name="keyMask"/> (B, capacity) holds 1 for tokens to
    /// attend to and 0 for padding, or is empty (attend to every visible key).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short or the tokens exceed the capacity.</exception>
    public static void Forward(
        ReadOnlySpan<float> qkv, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, Span<float> context,
        Span<float> scores, AttentionShape shape, int past, int capacity, ReadOnlySpan<float> keyMask = default)
    {
        var (b, h, tn, d, c) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize, shape.Hidden);
        ArgumentOutOfRangeException.ThrowIfNegative(past);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(past + tn, capacity, nameof(past));
        Check.Length(qkv, b * tn * 3 * c, nameof(qkv));
        Check.Length(keys, b * capacity * c, nameof(keys));
        Check.Length(values, b * capacity * c, nameof(values));
        Check.Length(context, b * tn * c, nameof(context));
        Check.Length(scores, past + tn, nameof(scores));
        Check.OptionalLength(keyMask, b * capacity, nameof(keyMask));
        var scale = 1f / MathF.Sqrt(d);
        for (var s = 0; s < b; s++)
        {
            var sequenceKeys = keys.Slice(s * capacity * c);
            var sequenceValues = values.Slice(s * capacity * c);
            var sequenceMask = keyMask.IsEmpty ? keyMask : keyMask.Slice(s * capacity, capacity);
            for (var i = 0; i < tn; i++)
            {
                var visible = past + i + 1;
                var row = (s * tn + i) * c; // (b, i) in (B, Tn, C)
                for (var head = 0; head < h; head++)
                {
                    var query = qkv.Slice((s * tn + i) * 3 * c + head * d, d);
                    var p = scores[..visible];
                    for (var j = 0; j < visible; j++)
                    {
                        p[j] = !sequenceMask.IsEmpty && sequenceMask[j] == 0f
                            ? AttentionSoftmax.Masked
                            : TensorPrimitives.Dot(query, sequenceKeys.Slice(j * c + head * d, d)) * scale;
                    }
                    Softmax.Row(p, p);
                    var output = context.Slice(row + head * d, d);
                    output.Clear();
                    for (var j = 0; j < visible; j++)
                        TensorPrimitives.MultiplyAdd(sequenceValues.Slice(j * c + head * d, d), p[j], output, output);
                }
            }
        }
    }
}

using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Additive (Bahdanau) attention over a sequence of hidden states, pooling them into one context vector per sequence:
/// scores <c>e_t = vᵀ tanh(W h_t + b)</c>, weights <c>α = softmax(e)</c> over each sequence's own positions (padding
/// gets weight 0), context <c>c = Σ_t α_t h_t</c>. With a learned query <c>v</c> in place of a decoder state, this is the
/// attention a classifier reads its RNN's states with (Bahdanau, Cho and Bengio 2015; Yang et al. 2016).
/// </summary>
public static class AdditiveAttention
{
    /// <summary>context (B, D) and weights α (B, T) of hidden states h (B, T, D); keeps tanh(W h + b) (B, T, A) for backward.</summary>
    /// <param name="h">Hidden states (B, T, D).</param>
    /// <param name="lengths">Each sequence's length (B); later positions are padding.</param>
    /// <param name="weight">W (A, D).</param>
    /// <param name="bias">b (A).</param>
    /// <param name="query">v (A).</param>
    /// <param name="projected">tanh(W h + b) (B, T, A), kept for backward.</param>
    /// <param name="attention">α (B, T): each sequence's weights, summing to 1 over its positions (all 0 for an empty one).</param>
    /// <param name="context">c (B, D).</param>
    /// <param name="batch">B.</param>
    /// <param name="steps">T.</param>
    public static void Forward(ReadOnlySpan<float> h, ReadOnlySpan<int> lengths, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> query, Span<float> projected, Span<float> attention, Span<float> context, int batch, int steps)
    {
        var (width, size) = CheckSizes(h, lengths, weight, query, batch, steps);
        Check.Length(projected, batch * steps * size, nameof(projected));
        Check.Length(attention, batch * steps, nameof(attention));
        Check.Length(context, batch * width, nameof(context));
        Linear.Forward(h, weight, bias, projected, batch * steps, width, size); // (BT, A)
        TensorPrimitives.Tanh(projected, projected);
        attention.Clear();
        context.Clear();
        for (var b = 0; b < batch; b++)
        {
            var length = lengths[b];
            if (length == 0) continue;
            var alpha = attention.Slice(b * steps, length);
            for (var t = 0; t < length; t++) alpha[t] = TensorPrimitives.Dot(projected.Slice((b * steps + t) * size, size), query);
            TensorPrimitives.SoftMax(alpha, alpha);
            var c = context.Slice(b * width, width);
            for (var t = 0; t < length; t++) TensorPrimitives.MultiplyAdd(h.Slice((b * steps + t) * width, width), alpha[t], c, c);
        }
    }

    /// <summary>
    /// Backward from dContext (B, D): adds to dh (B, T, D; empty to skip), dWeight (A, D), dBias (A) and dQuery (A).
    /// <paramref name="dProjected"/> (B, T, A) is scratch.
    /// </summary>
    /// <param name="dContext">Gradient of the context (B, D).</param>
    /// <param name="h">The forward's hidden states (B, T, D).</param>
    /// <param name="lengths">Each sequence's length (B).</param>
    /// <param name="weight">W (A, D).</param>
    /// <param name="query">v (A).</param>
    /// <param name="projected">The forward's tanh(W h + b) (B, T, A).</param>
    /// <param name="attention">The forward's α (B, T).</param>
    /// <param name="dh">Gradient of the hidden states (B, T, D), added to; empty to skip.</param>
    /// <param name="dWeight">Gradient of W, added to.</param>
    /// <param name="dBias">Gradient of b, added to.</param>
    /// <param name="dQuery">Gradient of v, added to.</param>
    /// <param name="dProjected">Scratch (B, T, A).</param>
    /// <param name="batch">B.</param>
    /// <param name="steps">T.</param>
    public static void Backward(ReadOnlySpan<float> dContext, ReadOnlySpan<float> h, ReadOnlySpan<int> lengths, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> query, ReadOnlySpan<float> projected, ReadOnlySpan<float> attention, Span<float> dh,
        Span<float> dWeight, Span<float> dBias, Span<float> dQuery, Span<float> dProjected, int batch, int steps)
    {
        var (width, size) = CheckSizes(h, lengths, weight, query, batch, steps);
        Check.Length(dContext, batch * width, nameof(dContext));
        Check.Length(dProjected, batch * steps * size, nameof(dProjected));
        Check.OptionalLength(dh, batch * steps * width, nameof(dh));
        Check.Length(dBias, size, nameof(dBias));
        Check.Length(dQuery, size, nameof(dQuery));
        dProjected.Clear();
        for (var b = 0; b < batch; b++)
        {
            var length = lengths[b];
            var dc = dContext.Slice(b * width, width);
            var alpha = attention.Slice(b * steps, length);
            var dScoreMean = 0.0f; // Σ_t α_t dα_t, the softmax's backward
            for (var t = 0; t < length; t++) dScoreMean += alpha[t] * TensorPrimitives.Dot(h.Slice((b * steps + t) * width, width), dc);
            for (var t = 0; t < length; t++)
            {
                var at = b * steps + t;
                var ht = h.Slice(at * width, width);
                var dScore = alpha[t] * (TensorPrimitives.Dot(ht, dc) - dScoreMean);
                if (!dh.IsEmpty) TensorPrimitives.MultiplyAdd(dc, alpha[t], dh.Slice(at * width, width), dh.Slice(at * width, width));
                var u = projected.Slice(at * size, size);
                TensorPrimitives.MultiplyAdd(u, dScore, dQuery, dQuery);
                var du = dProjected.Slice(at * size, size);
                for (var a = 0; a < size; a++) du[a] = dScore * query[a] * (1f - u[a] * u[a]);
            }
        }
        var rows = batch * steps;
        if (!dh.IsEmpty) Gemm.Multiply(dProjected, weight, dh, rows, width, size, accumulate: true);       // (BT, A) · (A, D)
        Gemm.Multiply(dProjected, h, dWeight, size, width, rows, transposeA: true, accumulate: true);       // (A, BT) · (BT, D)
        Bias.AccumulateColumnSums(dProjected, dBias, rows);
    }

    private static (int Width, int Size) CheckSizes(ReadOnlySpan<float> h, ReadOnlySpan<int> lengths, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> query, int batch, int steps)
    {
        new RecurrentShape(batch, steps, 1, 1).CheckLengths(lengths);
        var size = query.Length;
        ArgumentOutOfRangeException.ThrowIfZero(size, nameof(query));
        var width = weight.Length / size;
        Check.Length(weight, size * width, nameof(weight));
        Check.Length(h, batch * steps * width, nameof(h));
        return (width, size);
    }
}

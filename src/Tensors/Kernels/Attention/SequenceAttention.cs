using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Inference attention of one sequence computed directly, head by head: the scores of the queries against every key in
/// vector steps over the keys (reading a transposed copy of the head's keys), the softmax of
/// <see cref="AttentionSoftmax"/>, then the probability-weighted sums of the values in vector steps over the head's
/// width. The (T, T) products of short sequences are far too small for the packed GEMM, whose packing and partial edge
/// tiles cost more than the arithmetic; here only the keys are copied, and one head's scores are kept.
/// </summary>
internal static unsafe class SequenceAttention
{
    private const int Lanes = 8;

    /// <summary>
    /// Floats of scratch one sequence of <paramref name="tokens"/> needs: the keys transposed (D, T⁺), the scores
    /// (T rounded up to whole query blocks, T⁺) and the key mask (T⁺), T⁺ = T rounded up to whole vectors.
    /// </summary>
    public static int ScratchLength(int tokens, int headSize) => (headSize + ScoreRows(tokens) + 1) * PaddedTokens(tokens);

    /// <summary>
    /// context (T, C) = softmax(Q·Kᵀ/√D + mask)·V for every head of one sequence, reading Q, K and V in place from its
    /// packed projections <paramref name="qkv"/> (T, 3C). <paramref name="keyMask"/> (T) holds 1 for real tokens and
    /// 0 for padding, or is null; with <paramref name="causal"/> query i sees keys 0..i only. Every score and every
    /// output is one chain of fused multiply-adds in the order of the GEMM's micro-kernel (so the values are those of
    /// the batched path); several rows run at once so that the chains overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* qkv, float* keyMask, float* context, float* scratch, int t, int heads, int d, bool causal)
    {
        var (c, padded) = (heads * d, PaddedTokens(t));
        var stride = 3 * c;
        var scale = 1f / MathF.Sqrt(d);
        float* keysT = scratch, scores = keysT + (long)d * padded, keys = scores + (long)ScoreRows(t) * padded; // (D, T⁺), (T', T⁺), (T⁺)
        for (var j = 0; j < padded; j++) keys[j] = j < t && (keyMask == null || keyMask[j] != 0f) ? 1f : 0f;
        for (var head = 0; head < heads; head++)
        {
            float* q = qkv + head * d, k = q + c, v = q + 2 * c;
            Transpose(k, stride, keysT, padded, t, d);
            for (var block = 0; block < t; block += QueryBlock) ScoreBlock(q, stride, block, t, keysT, padded, scores + (long)block * padded, d);
            for (var row = 0; row < t; row++)
                AttentionSoftmax.ForwardPadded(scores + (long)row * padded, keys, causal ? row + 1 : t, padded, scale);
            var output = context + head * d;
            var i = 0;
            for (; i + 2 <= t; i += 2) MixPair(scores + (long)i * padded, padded, v, stride, t, output + (long)i * c, c, d);
            if (i < t) MixPair(scores + (long)i * padded, 0, v, stride, t, output + (long)i * c, 0, d);
        }
    }

    /// <summary>Query rows whose scores are computed together: four rows by two key vectors keep eight chains in flight.</summary>
    private const int QueryBlock = 4;

    private static int PaddedTokens(int tokens) => (tokens + Lanes - 1) / Lanes * Lanes;

    /// <summary>Rows of the score scratch: T rounded up to whole query blocks (a last partial block fills the spare rows).</summary>
    private static int ScoreRows(int tokens) => (tokens + QueryBlock - 1) / QueryBlock * QueryBlock;

    /// <summary>keysT (D, T⁺) = the head's keys (T, D) read with row stride <paramref name="stride"/>; padding columns zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(float* keys, int stride, float* keysT, int padded, int t, int d)
    {
        for (var e = 0; e < d; e++)
        {
            var row = keysT + (long)e * padded;
            for (var j = 0; j < t; j++) row[j] = keys[(long)j * stride + e];
            for (var j = t; j < padded; j++) row[j] = 0f;
        }
    }

    /// <summary>
    /// Scores (4, T⁺) of the four queries from <paramref name="first"/> against every key, two key vectors at a time;
    /// queries past the last (<paramref name="t"/>) repeat it, their rows landing in the spare rows of the scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreBlock(float* queries, int stride, int first, int t, float* keysT, int padded, float* scores, int d)
    {
        var q0 = queries + (long)first * stride;
        var q1 = queries + (long)Math.Min(first + 1, t - 1) * stride;
        var q2 = queries + (long)Math.Min(first + 2, t - 1) * stride;
        var q3 = queries + (long)Math.Min(first + 3, t - 1) * stride;
        for (var j = 0; j < padded; j += 2 * Lanes)
        {
            var pair = j + Lanes < padded;
            Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default;
            Vector256<float> s20 = default, s21 = default, s30 = default, s31 = default;
            for (var e = 0; e < d; e++)
            {
                var keys = keysT + (long)e * padded + j;
                var k0 = Vector256.Load(keys);
                var k1 = pair ? Vector256.Load(keys + Lanes) : default;
                Step(q0[e], k0, k1, ref s00, ref s01);
                Step(q1[e], k0, k1, ref s10, ref s11);
                Step(q2[e], k0, k1, ref s20, ref s21);
                Step(q3[e], k0, k1, ref s30, ref s31);
            }
            StoreRow(s00, s01, scores + j, pair);
            StoreRow(s10, s11, scores + padded + j, pair);
            StoreRow(s20, s21, scores + 2 * padded + j, pair);
            StoreRow(s30, s31, scores + 3 * padded + j, pair);
        }
    }

    /// <summary>
    /// Outputs (D) of two queries (the second <paramref name="rowStride"/> rows on; 0 repeats the first, for an odd
    /// last row) = Σ_j p[j] · v_j over all T keys (masked keys have p = 0): sixteen columns at a time in vectors, the
    /// columns past the last whole vector one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MixPair(float* probabilities, int rowStride, float* values, int stride, int t, float* output, int outputStride, int d)
    {
        var e = 0;
        for (; e + 2 * Lanes <= d; e += 2 * Lanes)
        {
            Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default;
            for (var j = 0; j < t; j++)
            {
                var value = values + (long)j * stride + e;
                var (v0, v1) = (Vector256.Load(value), Vector256.Load(value + Lanes));
                var (p, q) = (Vector256.Create(probabilities[j]), Vector256.Create(probabilities[rowStride + j]));
                a0 = Vector256.FusedMultiplyAdd(p, v0, a0);
                a1 = Vector256.FusedMultiplyAdd(p, v1, a1);
                b0 = Vector256.FusedMultiplyAdd(q, v0, b0);
                b1 = Vector256.FusedMultiplyAdd(q, v1, b1);
            }
            a0.Store(output + e);
            a1.Store(output + e + Lanes);
            b0.Store(output + outputStride + e);
            b1.Store(output + outputStride + e + Lanes);
        }
        for (; e < d; e++)
        {
            float a = 0f, b = 0f;
            for (var j = 0; j < t; j++)
            {
                var value = values[(long)j * stride + e];
                a = MathF.FusedMultiplyAdd(probabilities[j], value, a);
                b = MathF.FusedMultiplyAdd(probabilities[rowStride + j], value, b);
            }
            (output[e], output[outputStride + e]) = (a, b);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(float a, Vector256<float> b0, Vector256<float> b1, ref Vector256<float> left, ref Vector256<float> right)
    {
        var broadcast = Vector256.Create(a);
        left = Vector256.FusedMultiplyAdd(broadcast, b0, left);
        right = Vector256.FusedMultiplyAdd(broadcast, b1, right);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<float> left, Vector256<float> right, float* row, bool pair)
    {
        left.Store(row);
        if (pair) right.Store(row + Lanes);
    }
}

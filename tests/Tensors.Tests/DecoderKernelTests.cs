namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// The kernels GPT-2 adds: Conv1D (a linear layer with its weight stored (in, out)) against <see cref="Linear"/> on the
/// transposed weight, and attention over a key/value cache against causal attention over the whole sequence.
/// </summary>
[TestClass]
public sealed class DecoderKernelTests
{
    private const float Tolerance = 1e-5f;

    [TestMethod]
    public void Conv1DIsLinearOnTheTransposedWeightForwardBackwardAndPacked()
    {
        const int n = 5, inF = 7, outF = 11;
        var (x, w, b, dy) = (TestData.Normal(n * inF, 1), TestData.Normal(inF * outF, 2), TestData.Normal(outF, 3), TestData.Normal(n * outF, 4));
        var transposed = new float[outF * inF];
        for (var i = 0; i < inF; i++)
            for (var o = 0; o < outF; o++) transposed[o * inF + i] = w[i * outF + o];
        var (y, expectedY, packedY) = (new float[n * outF], new float[n * outF], new float[n * outF]);
        var (dx, expectedDx, dw, expectedDw, db, expectedDb) = (new float[n * inF], new float[n * inF], new float[inF * outF], new float[outF * inF], new float[outF], new float[outF]);

        Conv1D.Forward(x, w, b, y, n, inF, outF);
        Conv1D.Forward(x, Conv1D.Pack(w, inF, outF), b, packedY, n);
        Conv1D.Backward(dy, x, w, dx, dw, db, n, inF, outF);
        Linear.Forward(x, transposed, b, expectedY, n, inF, outF);
        Linear.Backward(dy, x, transposed, expectedDx, expectedDw, expectedDb, n, inF, outF);

        AssertClose(expectedY, y);
        CollectionAssert.AreEqual(y, packedY, "packed: the same bits");
        AssertClose(expectedDx, dx);
        for (var i = 0; i < inF; i++)
            for (var o = 0; o < outF; o++) Assert.AreEqual(expectedDw[o * inF + i], dw[i * outF + o], Tolerance, $"dW[{i}, {o}]");
        AssertClose(expectedDb, db);
    }

    [TestMethod]
    public void CachedAttentionOfTheLastTokensIsCausalAttentionOverTheSequence() => AssertCachedAttentionMatchesFull(padding: 0);

    [TestMethod]
    public void CachedAttentionWithAKeyMaskIsMaskedCausalAttention() => AssertCachedAttentionMatchesFull(padding: 3);

    /// <summary>
    /// The last tokens through the cache equal the full causal attention over the sequences, the second sequence's
    /// first <paramref name="padding"/> tokens masked out in both (as left padding is).
    /// </summary>
    private static void AssertCachedAttentionMatchesFull(int padding)
    {
        const int b = 2, h = 3, d = 5, t = 9, past = 6, capacity = 12;
        const int c = h * d;
        var qkv = TestData.Normal(b * t * 3 * c, 5); // (B, T, 3C)
        var mask = Enumerable.Range(0, b * t).Select(i => i >= t && i - t < padding ? 0f : 1f).ToArray(); // (B, T)
        var keyMask = Enumerable.Range(0, b * capacity).Select(i => i >= capacity && i - capacity < padding ? 0f : 1f).ToArray(); // (B, capacity)
        var full = new float[b * t * c];
        var shape = new AttentionShape(b, h, t, d);
        ScaledDotProductAttention.Forward(qkv, mask, new float[shape.ScoreElements], [], full, shape, new AttentionOptions(Causal: true));
        var (keys, values) = (new float[b * capacity * c], new float[b * capacity * c]);
        for (var s = 0; s < b; s++)
            for (var j = 0; j < t; j++)
            {
                qkv.AsSpan((s * t + j) * 3 * c + c, c).CopyTo(keys.AsSpan((s * capacity + j) * c));
                qkv.AsSpan((s * t + j) * 3 * c + 2 * c, c).CopyTo(values.AsSpan((s * capacity + j) * c));
            }
        var newTokens = t - past;
        var fresh = Enumerable.Range(0, b).SelectMany(s => qkv.Skip((s * t + past) * 3 * c).Take(newTokens * 3 * c)).ToArray();
        var context = new float[b * newTokens * c];

        CachedAttention.Forward(fresh, keys, values, context, new float[t], new AttentionShape(b, h, newTokens, d), past, capacity, keyMask);

        var expected = Enumerable.Range(0, b).SelectMany(s => full.Skip((s * t + past) * c).Take(newTokens * c)).ToArray();
        AssertClose(expected, context);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], Tolerance, $"element {i}");
    }
}

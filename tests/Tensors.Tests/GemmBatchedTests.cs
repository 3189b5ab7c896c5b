namespace MLNet.Transformers.Tensors.Tests;

[TestClass]
public sealed class GemmBatchedTests
{
    [TestMethod]
    [DataRow(false, false, false)]
    [DataRow(false, true, true)]
    [DataRow(true, false, false)]
    [DataRow(true, true, true)]
    public void ContiguousBatchMatchesDoublePrecision(bool transposeA, bool transposeB, bool accumulate)
    {
        const int batch = 6, m = 33, n = 17, k = 64;
        var a = GemmReference.RandomMatrix(batch * m * k, 7);
        var b = GemmReference.RandomMatrix(batch * k * n, 8);
        var initial = GemmReference.RandomMatrix(batch * m * n, 9);
        var c = (float[])initial.Clone();

        Gemm.BatchedMultiply(a, b, c, batch, m, n, k, transposeA, transposeB, accumulate);

        for (var i = 0; i < batch; i++)
            GemmReference.AssertProduct(
                a[(i * m * k)..((i + 1) * m * k)], transposeA ? m : k, transposeA,
                b[(i * k * n)..((i + 1) * k * n)], transposeB ? k : n, transposeB,
                accumulate ? initial[(i * m * n)..((i + 1) * m * n)] : null, c[(i * m * n)..((i + 1) * m * n)],
                n, m, n, k, $"product {i}");
    }

    [TestMethod]
    public void AttentionHeadsAreReadInPlace()
    {
        // Scores (B, H, T, T) = Q_h · K_hᵀ for Q, K of (B, T, H·D): each head strided inside the activation.
        const int sequences = 3, heads = 4, tokens = 13, headSize = 8, width = heads * headSize;
        var q = GemmReference.RandomMatrix(sequences * tokens * width, 10); // (B, T, H·D)
        var key = GemmReference.RandomMatrix(sequences * tokens * width, 11); // (B, T, H·D)
        var scores = new float[sequences * heads * tokens * tokens]; // (B, H, T, T)
        var activation = new MatrixLayout(width, (long)tokens * width, headSize);

        Gemm.BatchedMultiply(q, activation, key, activation, scores, new MatrixLayout(tokens, (long)heads * tokens * tokens, tokens * tokens),
            sequences, heads, tokens, tokens, headSize, transposeB: true);

        for (var s = 0; s < sequences; s++)
        for (var h = 0; h < heads; h++)
        {
            var offset = s * tokens * width + h * headSize;
            var scoresOffset = (s * heads + h) * tokens * tokens;
            GemmReference.AssertProduct(q[offset..], width, false, key[offset..], width, true, null,
                scores[scoresOffset..(scoresOffset + tokens * tokens)], tokens, tokens, tokens, headSize, $"sequence {s} head {h}");
        }
    }

    [TestMethod]
    public void BatchGivesTheSameBitsAsOneProductAtATime()
    {
        const int batch = 24, m = 128, n = 128, k = 64; // attention-sized: spread over the threads
        var a = GemmReference.RandomMatrix(batch * m * k, 12);
        var b = GemmReference.RandomMatrix(batch * k * n, 13);
        var batched = new float[batch * m * n];
        var single = new float[batch * m * n];

        Gemm.BatchedMultiply(a, b, batched, batch, m, n, k, transposeB: true);
        for (var i = 0; i < batch; i++)
            Gemm.Multiply(a.AsSpan(i * m * k, m * k), b.AsSpan(i * k * n, k * n), single.AsSpan(i * m * n, m * n), m, n, k, transposeB: true);

        CollectionAssert.AreEqual(single, batched);
    }

    [TestMethod]
    public void BatchBufferTooShortNamesTheOperand()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Gemm.BatchedMultiply(new float[24], new float[24], new float[15], 4, 2, 2, 3));
        Assert.AreEqual("c", error.ParamName);
        StringAssert.Contains(error.Message, "batch of 4×1");
    }
}

namespace MLNet.Transformers.Tensors.Tests;

[TestClass]
public sealed class GemmTests
{
    /// <summary>(m, n, k): odd sizes, edges of every tile, and blocks of rows (384) and depth (384) crossed.</summary>
    public static IEnumerable<object[]> Shapes =>
    [
        [1, 1, 1], [3, 17, 33], [17, 3, 1], [33, 100, 17], [100, 33, 385], [385, 100, 3], [13, 385, 777], [64, 64, 64],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void MultiplyMatchesDoublePrecisionInEveryLayout(int m, int n, int k)
    {
        foreach (var transposeA in new[] { false, true })
        foreach (var transposeB in new[] { false, true })
        foreach (var accumulate in new[] { false, true })
            GemmReference.CheckDense(m, n, k, transposeA, transposeB, accumulate, "default kernel");
    }

    [TestMethod]
    public void WideProductCrossesPackedColumnBlocks()
    {
        // K·N above the packed-B budget splits the columns into blocks; five rows split the work by column panels.
        GemmReference.CheckDense(5, 4500, 1000, transposeA: false, transposeB: true, accumulate: true, "wide");
    }

    [TestMethod]
    public void LeadingDimensionsAddressSubMatrices()
    {
        const int m = 19, n = 37, k = 29, lda = 41, ldb = 53, ldc = 61;
        var a = GemmReference.RandomMatrix(k * lda, 4); // A transposed: k rows of m (padded to lda)
        var b = GemmReference.RandomMatrix(k * ldb, 5);
        var c = GemmReference.RandomMatrix(m * ldc, 6);
        var initial = (float[])c.Clone();

        Gemm.Multiply(a, lda, b, ldb, c, ldc, m, n, k, transposeA: true, accumulate: true);

        GemmReference.AssertProduct(a, lda, true, b, ldb, false, initial, c, ldc, m, n, k, "strided");
        for (var i = 0; i < m; i++)
            CollectionAssert.AreEqual(initial[(i * ldc + n)..((i + 1) * ldc)], c[(i * ldc + n)..((i + 1) * ldc)], "padding of C changed");
    }

    [TestMethod]
    public void EmptySharedDimensionClearsOrKeepsC()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        Gemm.Multiply([], [], c, 2, 2, 0, accumulate: true);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, c);
        Gemm.Multiply([], [], c, 2, 2, 0);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 0f }, c);
    }

    [TestMethod]
    public void ShortBufferIsRejectedWithItsName()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply(new float[6], new float[5], new float[4], 2, 2, 3));
        Assert.AreEqual("b", error.ParamName);
        StringAssert.Contains(error.Message, "needs 6");
    }

    [TestMethod]
    public void RowStrideShorterThanRowIsRejected()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            Gemm.Multiply(new float[100], 2, new float[100], 4, new float[100], 4, 4, 4, 3));
        Assert.AreEqual("a", error.ParamName);
    }
}

using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Tensors.Tests;

[TestClass]
public sealed class GemmTests
{
    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(false, true)]
    [DataRow(true, true)]
    public void MultiplyMatchesDoublePrecisionProduct(bool transposeA, bool transposeB)
    {
        const int m = 7, n = 5, k = 3;
        var random = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var c = new float[m * n];

        Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB);

        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double expected = 0;
            for (var p = 0; p < k; p++)
                expected += (double)(transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
            Assert.AreEqual(expected, c[i * n + j], 1e-6);
        }
    }
}

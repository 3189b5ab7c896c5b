namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// Single-row products over a packed B run on the row kernel (GEMV) instead of the register tile: they must give the
/// bits of the blocked product (the unpacked GEMM, and a row of a many-row product) for every kernel, at any degree,
/// and match a double-precision reference.
/// </summary>
[TestClass]
public sealed class RowKernelTests
{
    private static readonly GemmKernel[] AllKernels = [GemmKernel.Vector512, GemmKernel.Vector256, GemmKernel.Vector128, GemmKernel.Scalar];

    public static IEnumerable<object[]> Kernels => AllKernels.Select(kernel => new object[] { kernel });

    /// <summary>
    /// Depths of one, several and a partial depth block; widths below, at and past one panel, one and several groups of
    /// four panels with partial tails for every panel width (2, 8, 16, 32 columns).
    /// </summary>
    private static readonly (int K, int N)[] Shapes =
        [(1, 1), (17, 5), (384, 31), (385, 32), (1000, 33), (64, 127), (300, 128), (65, 131), (768, 387)];

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void OneRowGivesTheBitsOfTheBlockedProduct(GemmKernel kernel)
    {
        RunWith(kernel, () =>
        {
            foreach (var (k, n) in Shapes)
            foreach (var transposeB in new[] { false, true })
            foreach (var withBias in new[] { false, true })
            {
                var a = TestData.Normal(k, 1);
                var b = TestData.Normal(k * n, 2);
                var bias = withBias ? TestData.Normal(n, 3) : [];
                var expected = new float[n];
                if (transposeB) Linear.Forward(a, b, bias, expected, 1, k, n); // B stored (n, k)
                else Conv1D.Forward(a, b, bias, expected, 1, k, n); // B stored (k, n)
                var actual = new float[n];
                Gemm.Multiply(a, PackedMatrix.Pack(b, k, n, transposeB), bias, actual, 1);
                CollectionAssert.AreEqual(expected, actual, $"{kernel} k={k} n={n} transposeB={transposeB} bias={withBias}");
            }
        });
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void OneRowGivesTheBitsOfItsRowInAManyRowProduct(GemmKernel kernel)
    {
        // What batched generation relies on: a sequence's token gets the same logits alone (one row) as in a batch.
        const int m = 13, k = 800, n = 75;
        RunWith(kernel, () =>
        {
            var a = TestData.Normal(m * k, 4);
            var packed = PackedMatrix.Pack(TestData.Normal(k * n, 5), k, n);
            var bias = TestData.Normal(n, 6);
            var all = new float[m * n];
            Gemm.Multiply(a, packed, bias, all, m);
            for (var row = 0; row < m; row++)
            {
                var single = new float[n];
                Gemm.Multiply(a.AsSpan(row * k, k), packed, bias, single, 1);
                CollectionAssert.AreEqual(all.AsSpan(row * n, n).ToArray(), single, $"{kernel} row {row}");
            }
        });
    }

    [TestMethod]
    public void EveryKernelAndDegreeGivesTheSameBits()
    {
        // Wide enough to be cut into parts (an LM head's shape); two column blocks for the last one.
        foreach (var (k, n) in new[] { (384, 8000), (64, 70_000) })
        {
            var a = TestData.Normal(k, 7);
            var b = TestData.Normal(n * k, 8);
            var bias = TestData.Normal(n, 9);
            float[]? first = null;
            foreach (var kernel in AllKernels.Where(Gemm.IsSupported))
            {
                var packed = Gemm.WithKernel(kernel, () => PackedMatrix.Pack(b, k, n, transposeB: true));
                foreach (var degree in new[] { 1, 2, 3 })
                {
                    var c = new float[n];
                    Parallelism.WithDegree(degree, () =>
                    {
                        Gemm.Multiply(a, packed, bias, c, 1);
                        return 0;
                    });
                    first ??= c;
                    CollectionAssert.AreEqual(first, c, $"k={k} n={n} {kernel} at degree {degree}");
                }
            }
        }
    }

    [TestMethod]
    public void OneRowMatchesDoublePrecision()
    {
        const int k = 1000, n = 45;
        var a = TestData.Normal(k, 10);
        var b = TestData.Normal(k * n, 11);
        var c = new float[n];
        Gemm.Multiply(a, PackedMatrix.Pack(b, k, n), [], c, 1);
        GemmReference.AssertProduct(a, k, false, b, n, false, null, c, n, 1, n, k, "row kernel");
    }

    [TestMethod]
    public void ZeroRowGivesPositiveZerosOrTheBias()
    {
        // Sums start from +0 as the tile's do: (+0) + (−0 products) is +0, and a zero row leaves exactly the bias.
        const int k = 40, n = 37;
        var b = TestData.Normal(k * n, 12).Select(v => -Math.Abs(v)).ToArray();
        var packed = PackedMatrix.Pack(b, k, n);
        var c = new float[n];
        Gemm.Multiply(new float[k], packed, [], c, 1);
        Assert.IsTrue(c.All(v => v == 0f && !float.IsNegative(v)), "+0 everywhere");
        var bias = TestData.Normal(n, 13);
        Gemm.Multiply(new float[k], packed, bias, c, 1);
        CollectionAssert.AreEqual(bias, c);
    }

    private static void RunWith(GemmKernel kernel, Action body)
    {
        if (!Gemm.IsSupported(kernel))
            Assert.Inconclusive($"This CPU does not run the {kernel} kernel.");
        Gemm.WithKernel(kernel, () =>
        {
            body();
            return 0;
        });
    }
}

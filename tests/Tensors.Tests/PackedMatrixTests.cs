namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Products over a packed right operand against the same products packing it on the fly.</summary>
[TestClass]
public sealed class PackedMatrixTests
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(13, 17, 33)]
    [DataRow(100, 385, 65)] // two depth blocks
    [DataRow(400, 384, 1536)] // two row blocks, cut by rows on two threads
    [DataRow(5, 64, 70_000)] // k·n above one packed block: two column blocks
    public void PackedLinearGivesTheBitsOfTheUnpackedOne(int n, int inFeatures, int outFeatures)
    {
        var x = TestData.Normal(n * inFeatures, 1);
        var weight = TestData.Normal(outFeatures * inFeatures, 2);
        var packed = Linear.Pack(weight, inFeatures, outFeatures);
        foreach (var bias in new[] { TestData.Normal(outFeatures, 3), [] })
        {
            var expected = new float[n * outFeatures];
            Linear.Forward(x, weight, bias, expected, n, inFeatures, outFeatures);
            var actual = new float[n * outFeatures];
            Linear.Forward(x, packed, bias, actual, n);
            CollectionAssert.AreEqual(expected, actual, $"({n}, {inFeatures}) -> {outFeatures}, bias: {bias.Length > 0}");
        }
    }

    [TestMethod]
    public void PackedRowMajorOperandMatchesDoublePrecision()
    {
        const int m = 37, n = 45, k = 400;
        var a = TestData.Normal(m * k, 4);
        var b = TestData.Normal(k * n, 5);
        var c = new float[m * n];
        Gemm.Multiply(a, PackedMatrix.Pack(b, k, n), [], c, m);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            for (var p = 0; p < k; p++) sum += (double)a[i * k + p] * b[p * n + j];
            Assert.AreEqual(sum, c[i * n + j], 1e-4, $"C[{i}, {j}]");
        }
    }

    [TestMethod]
    public void PackingSharedByTheThreadsGivesTheSamePanels()
    {
        // Large enough for the threads to share the packing (ranges of panels); products read every panel.
        const int m = 3, k = 500, n = 1000;
        var a = TestData.Normal(m * k, 8);
        var b = TestData.Normal(k * n, 9);
        float[] Product(int degree)
        {
            var packed = Parallelism.WithDegree(degree, () => PackedMatrix.Pack(b, k, n));
            var c = new float[m * n];
            Gemm.Multiply(a, packed, [], c, m);
            return c;
        }
        var serial = Product(1);
        CollectionAssert.AreEqual(serial, Product(2));
        CollectionAssert.AreEqual(serial, Product(3));
        var unpacked = new float[m * n];
        Gemm.Multiply(a, b, unpacked, m, n, k);
        CollectionAssert.AreEqual(unpacked, serial);
    }

    [TestMethod]
    public void PackingIsASnapshotOfTheSource()
    {
        var weight = TestData.Normal(8 * 6, 6);
        var x = TestData.Normal(3 * 6, 7);
        var packed = Linear.Pack(weight, inFeatures: 6, outFeatures: 8);
        var before = new float[3 * 8];
        Linear.Forward(x, packed, [], before, 3);
        Array.Clear(weight);
        var after = new float[3 * 8];
        Linear.Forward(x, packed, [], after, 3);
        CollectionAssert.AreEqual(before, after);
        Assert.IsTrue(after.Any(v => v != 0f));
    }

    [TestMethod]
    public void WrongSizesAreNamed()
    {
        var packed = PackedMatrix.Pack(new float[6], k: 2, n: 3);
        Assert.AreEqual((2, 3), (packed.Depth, packed.Columns));
        Assert.AreEqual("a", Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply(new float[3], packed, [], new float[6], 2)).ParamName);
        Assert.AreEqual("c", Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply(new float[4], packed, [], new float[5], 2)).ParamName);
        Assert.AreEqual("bias", Assert.ThrowsExactly<ArgumentException>(() => Gemm.Multiply(new float[4], packed, new float[2], new float[6], 2)).ParamName);
        Assert.AreEqual("b", Assert.ThrowsExactly<ArgumentException>(() => PackedMatrix.Pack(new float[5], k: 2, n: 3)).ParamName);
    }
}

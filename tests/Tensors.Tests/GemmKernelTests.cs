namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Forces each micro-kernel in turn, on the test's thread only (<see cref="Gemm.WithKernel{T}"/>).</summary>
[TestClass]
public sealed class GemmKernelTests
{
    public static IEnumerable<object[]> Kernels =>
        new[] { GemmKernel.Vector512, GemmKernel.Vector256, GemmKernel.Vector128, GemmKernel.Scalar }.Select(kernel => new object[] { kernel });

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void KernelMatchesDoublePrecisionOnOddShapes(GemmKernel kernel)
    {
        RunWith(kernel, () =>
        {
            foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 17, 33), (25, 33, 100), (100, 65, 385), (385, 3, 17) })
            foreach (var transposeA in new[] { false, true })
            foreach (var transposeB in new[] { false, true })
            foreach (var accumulate in new[] { false, true })
                GemmReference.CheckDense(m, n, k, transposeA, transposeB, accumulate, kernel.ToString());
        });
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void KernelGivesTheSameBitsAsScalar(GemmKernel kernel)
    {
        const int m = 97, n = 71, k = 800;
        var scalar = RunWith(GemmKernel.Scalar, () => GemmReference.CheckDense(m, n, k, true, false, true, "scalar"));
        var vector = RunWith(kernel, () => GemmReference.CheckDense(m, n, k, true, false, true, kernel.ToString()));
        CollectionAssert.AreEqual(scalar, vector);
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void LinearAddsItsBiasAsTheProductIsStoredWithTheBitsOfAccumulatingOntoTheBias(GemmKernel kernel)
    {
        RunWith(kernel, () =>
        {
            foreach (var (n, inFeatures, outFeatures) in new[] { (1, 1, 1), (13, 17, 33), (100, 385, 65), (30, 800, 40) })
            {
                var x = TestData.Normal(n * inFeatures, 1);
                var weight = TestData.Normal(outFeatures * inFeatures, 2);
                var bias = TestData.Normal(outFeatures, 3);
                var expected = new float[n * outFeatures];
                for (var row = 0; row < n; row++) bias.CopyTo(expected, row * outFeatures);
                Gemm.Multiply(x, weight, expected, n, outFeatures, inFeatures, transposeB: true, accumulate: true);
                var actual = new float[n * outFeatures];
                Linear.Forward(x, weight, bias, actual, n, inFeatures, outFeatures);
                CollectionAssert.AreEqual(expected, actual, $"{kernel} ({n}, {inFeatures}) -> {outFeatures}");
            }
        });
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void PackedMatrixRunsOnTheKernelItWasPackedForWithTheSameBits(GemmKernel kernel)
    {
        const int n = 30, inFeatures = 400, outFeatures = 70;
        var x = TestData.Normal(n * inFeatures, 1);
        var weight = TestData.Normal(outFeatures * inFeatures, 2);
        var bias = TestData.Normal(outFeatures, 3);
        var expected = new float[n * outFeatures];
        Linear.Forward(x, weight, bias, expected, n, inFeatures, outFeatures);
        var packed = RunWith(kernel, () => Linear.Pack(weight, inFeatures, outFeatures));
        var actual = new float[n * outFeatures];
        Linear.Forward(x, packed, bias, actual, n); // outside WithKernel, on Auto: the panels keep their own layout
        CollectionAssert.AreEqual(expected, actual, kernel.ToString());
    }

    [TestMethod]
    public void UnsupportedKernelCannotBeSelected()
    {
        foreach (var kernel in Enum.GetValues<GemmKernel>().Where(kernel => !Gemm.IsSupported(kernel)))
        {
            Assert.ThrowsExactly<NotSupportedException>(() => Gemm.WithKernel(kernel, () => 0));
            Assert.ThrowsExactly<NotSupportedException>(() => EngineScope.Enter(1, kernel).Dispose());
        }
        Assert.IsTrue(Gemm.IsSupported(GemmKernel.Auto) && Gemm.IsSupported(GemmKernel.Scalar));
    }

    private static void RunWith(GemmKernel kernel, Action body) => RunWith(kernel, () => { body(); return 0; });

    private static T RunWith<T>(GemmKernel kernel, Func<T> body)
    {
        if (!Gemm.IsSupported(kernel))
            Assert.Inconclusive($"This CPU does not run the {kernel} kernel.");
        return Gemm.WithKernel(kernel, body);
    }
}

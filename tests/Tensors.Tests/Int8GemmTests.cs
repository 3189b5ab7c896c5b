namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// 8-bit products against exact integer references, on every kernel (forced by packing the weight for it), odd sizes,
/// with and without a bias, at one and two threads.
/// </summary>
[TestClass]
public sealed class Int8GemmTests
{
    public static IEnumerable<object[]> Kernels =>
        new[] { Int8Kernel.AvxVnni, Int8Kernel.Avx2, Int8Kernel.Scalar }.Select(kernel => new object[] { kernel });

    private static readonly (int M, int N, int K)[] OddSizes =
        [(1, 1, 1), (3, 17, 33), (13, 5, 7), (25, 33, 100), (100, 65, 385), (385, 3, 17), (7, 40, 1001)];

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void IntegerOperandsGiveTheExactIntegerProduct(Int8Kernel kernel)
    {
        RequireSupported(kernel);
        foreach (var (m, n, k) in OddSizes.Append((400, 48, 384))) // the last one cut by rows on two threads
        {
            // Activation rows spanning 255 and weight rows whose largest magnitude is 127 quantise with scale 1 to
            // themselves (the activations shifted by their zero points); the sums of these random rows stay far below
            // 2^24, exact in a float.
            var a = ActivationRows(m, k, seed: 1);
            var w = WeightRows(n, k, seed: 2);
            var bias = WeightRows(1, n, seed: 3);
            var weight = QuantizedMatrix.Quantize(w, k, n, kernel);
            foreach (var withBias in new[] { false, true })
            {
                var c = new float[m * n];
                Parallelism.WithDegree(2, () => { Int8Gemm.Multiply(a, weight, withBias ? bias : [], c, m); return 0; });
                for (var i = 0; i < m; i++)
                for (var j = 0; j < n; j++)
                {
                    long sum = withBias ? (long)bias[j] : 0;
                    for (var p = 0; p < k; p++) sum += (long)a[i * k + p] * (long)w[j * k + p];
                    Assert.AreEqual(sum, c[i * n + j], $"{kernel} ({m}, {n}, {k}) bias {withBias}: C[{i}, {j}]");
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void ScaledOperandsGiveTheDequantisedIntegerProduct(Int8Kernel kernel)
    {
        RequireSupported(kernel);
        foreach (var (m, n, k) in OddSizes)
        {
            var a = TestData.Normal(m * k, 4);
            var w = TestData.Normal(n * k, 5, scale: 0.05f);
            var bias = TestData.Normal(n, 6);
            var weight = QuantizedMatrix.Quantize(w, k, n, kernel);
            var c = new float[m * n];
            Int8Gemm.Multiply(a, weight, bias, c, m);
            var (qa, sa, za) = QuantizeActivations(a, m, k);
            var (qw, sw) = QuantizeWeights(w, n, k);
            for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                long sum = 0;
                for (var p = 0; p < k; p++) sum += (qa[i * k + p] - za[i]) * qw[j * k + p];
                var expected = sum * ((double)sa[i] * sw[j]) + bias[j];
                Assert.AreEqual(expected, c[i * n + j], 1e-5 * (Math.Abs(expected) + 1), $"{kernel} ({m}, {n}, {k}): C[{i}, {j}]");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Kernels))]
    public void KernelGivesTheBitsOfTheScalarKernelAtAnyDegree(Int8Kernel kernel)
    {
        RequireSupported(kernel);
        const int m = 397, n = 71, k = 800;
        var a = TestData.Normal(m * k, 7);
        var w = TestData.Normal(n * k, 8);
        var bias = TestData.Normal(n, 9);
        var scalar = new float[m * n];
        Parallelism.WithDegree(1, () => { Int8Gemm.Multiply(a, QuantizedMatrix.Quantize(w, k, n, Int8Kernel.Scalar), bias, scalar, m); return 0; });
        var weight = QuantizedMatrix.Quantize(w, k, n, kernel);
        foreach (var degree in new[] { 1, 2 })
        {
            var c = new float[m * n];
            Parallelism.WithDegree(degree, () => { Int8Gemm.Multiply(a, weight, bias, c, m); return 0; });
            CollectionAssert.AreEqual(scalar, c, $"{kernel} at degree {degree}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ProductIsCloseToTheFloatProduct(bool gelu)
    {
        const int m = 64, n = 96, k = 384;
        var a = TestData.Normal(m * k, 10);
        if (gelu) for (var i = 0; i < a.Length; i++) a[i] = Gelu(a[i]);
        var w = TestData.Normal(n * k, 11, scale: 0.05f);
        var exact = new float[m * n];
        Linear.Forward(a, w, [], exact, m, k, n);
        var approximate = new float[m * n];
        Linear.Forward(a, Linear.Quantize(w, k, n), [], approximate, m);
        double error = 0, norm = 0;
        for (var i = 0; i < exact.Length; i++)
        {
            error += Math.Pow(exact[i] - approximate[i], 2);
            norm += Math.Pow(exact[i], 2);
        }
        // Two roundings of at most half a step: 1/127 of a weight row's largest magnitude, 1/255 of an activation row's
        // range (GELU outputs, almost all of one sign, get their whole range): a relative error of about 1 % on sums of
        // k products (measured 0.0098 for Gaussian rows, 0.0091 for GELU rows).
        var relative = Math.Sqrt(error / norm);
        Assert.IsLessThan(0.012, relative, $"relative error {relative}");
    }

    [TestMethod]
    public void EmptyProductsAndAnEmptyDepth()
    {
        var weight = QuantizedMatrix.Quantize([], inFeatures: 0, outFeatures: 3);
        var c = new float[2 * 3];
        c.AsSpan().Fill(float.NaN);
        Int8Gemm.Multiply([], weight, [1f, 2f, 3f], c, 2);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 1f, 2f, 3f }, c);
        Int8Gemm.Multiply([], QuantizedMatrix.Quantize([], 4, 0), [], [], 0);
    }

    [TestMethod]
    public void WrongLengthsAreRejectedNamingTheBuffer()
    {
        var weight = QuantizedMatrix.Quantize(new float[6], inFeatures: 3, outFeatures: 2);
        Assert.AreEqual("a", Assert.ThrowsExactly<ArgumentException>(() => Int8Gemm.Multiply(new float[5], weight, [], new float[4], 2)).ParamName);
        Assert.AreEqual("c", Assert.ThrowsExactly<ArgumentException>(() => Int8Gemm.Multiply(new float[6], weight, [], new float[3], 2)).ParamName);
        Assert.AreEqual("bias", Assert.ThrowsExactly<ArgumentException>(() => Int8Gemm.Multiply(new float[6], weight, [1f], new float[4], 2)).ParamName);
        Assert.AreEqual("weight", Assert.ThrowsExactly<ArgumentException>(() => QuantizedMatrix.Quantize(new float[5], 3, 2)).ParamName);
    }

    /// <summary>GELU in its tanh form: the activations the FFN's down projection reads.</summary>
    private static float Gelu(float x) => 0.5f * x * (1f + MathF.Tanh(MathF.Sqrt(2f / MathF.PI) * (x + 0.044715f * x * x * x)));

    private static void RequireSupported(Int8Kernel kernel)
    {
        if (!Int8Gemm.IsSupported(kernel))
        {
            Assert.ThrowsExactly<NotSupportedException>(() => QuantizedMatrix.Quantize(new float[1], 1, 1, kernel));
            Assert.Inconclusive($"This CPU does not run the {kernel} kernel.");
        }
    }

    /// <summary>rows × columns integers in [-127, 127], each row holding ±127 at least once.</summary>
    private static float[] WeightRows(int rows, int columns, ulong seed)
    {
        var values = TestData.Normal(rows * columns, seed, scale: 60f);
        for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp(MathF.Round(values[i]), -127f, 127f);
        for (var r = 0; r < rows; r++) values[r * columns + (int)(seed + (ulong)r) % columns] = r % 2 == 0 ? 127f : -127f;
        return values;
    }

    /// <summary>
    /// rows × columns integers, row r holding both ends of <c>[low, low + 255]</c> for a low in [-255, 0] that varies by
    /// row (zero points 0, 255 and others in between); a single column holds the end that is not 0.
    /// </summary>
    private static float[] ActivationRows(int rows, int columns, ulong seed)
    {
        const int span = AsymmetricQuantization.Levels;
        var values = TestData.Normal(rows * columns, seed, scale: 60f);
        for (var r = 0; r < rows; r++)
        {
            var low = (r % 3, columns) switch { (0, _) => 0, (1, _) or (_, 1) => -span, _ => -(r * 37 % span) };
            var row = values.AsSpan(r * columns, columns);
            for (var p = 0; p < columns; p++) row[p] = Math.Clamp(MathF.Round(row[p] + low + span / 2f), low, low + span);
            var (first, second) = low == 0 ? (low, low + span) : (low + span, low); // the end that is not 0 last
            var at = (int)(seed + (ulong)r) % columns;
            row[(at + 1) % columns] = first;
            row[at] = second;
        }
        return values;
    }

    /// <summary>Each row quantised by <see cref="AsymmetricQuantization.Quantize"/>: the values, row scales and zero points.</summary>
    private static (byte[] Values, float[] Scales, int[] ZeroPoints) QuantizeActivations(float[] x, int rows, int columns)
    {
        var (values, scales, zeroPoints) = (new byte[x.Length], new float[rows], new int[rows]);
        for (var r = 0; r < rows; r++)
            scales[r] = AsymmetricQuantization.Quantize(x.AsSpan(r * columns, columns), values.AsSpan(r * columns, columns), out zeroPoints[r]);
        return (values, scales, zeroPoints);
    }

    /// <summary>Each row quantised by <see cref="Int8Quantization.Quantize"/>: the values and the row scales.</summary>
    private static (sbyte[] Values, float[] Scales) QuantizeWeights(float[] x, int rows, int columns)
    {
        var values = new sbyte[x.Length];
        var scales = new float[rows];
        for (var r = 0; r < rows; r++)
            scales[r] = Int8Quantization.Quantize(x.AsSpan(r * columns, columns), values.AsSpan(r * columns, columns));
        return (values, scales);
    }
}

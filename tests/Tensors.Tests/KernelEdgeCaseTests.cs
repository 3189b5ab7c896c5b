namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Boundary behaviour of the kernels and the errors they raise on bad input.</summary>
[TestClass]
public sealed class KernelEdgeCaseTests
{
    [TestMethod]
    public void CrossEntropyOverOnlyIgnoredTargetsIsZeroWithZeroGradient()
    {
        float[] logits = [1f, 2f, 3f, 4f];
        int[] targets = [-100, -100];
        var (p, d) = (new float[4], new float[] { 9f, 9f, 9f, 9f });

        Assert.AreEqual(0f, CrossEntropy.Forward(logits, targets, p, 2));
        CrossEntropy.Backward(p, targets, d, 2);
        CollectionAssert.AreEqual(new float[4], d);
    }

    [TestMethod]
    public void CrossEntropyStaysFiniteWhenATargetsProbabilityUnderflows()
    {
        float[] logits = [0f, 200f, 0f, 200f];
        var p = new float[4];

        var loss = CrossEntropy.Forward(logits, [0, 1], p, 2, new CrossEntropyOptions { LabelSmoothing = 0.1f });

        Assert.AreEqual(0f, p[0]);
        // Row 0: 0.9·200 + 0.05·(200 + 0); row 1: 0.9·0 + 0.05·(0 + 200); mean over the two rows.
        Assert.AreEqual((0.9 * 200 + 0.05 * 200 + 0.05 * 200) / 2, loss, 1e-3);
    }

    [TestMethod]
    public void CrossEntropyNamesTheRowOfABadTarget()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => CrossEntropy.Forward(new float[6], [0, 3], new float[6], 3));
        StringAssert.Contains(error.Message, "row 1");
    }

    [TestMethod]
    public void EmbeddingNamesThePositionOfAnUnknownId()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => Embedding.Forward([1, 7], new float[4 * 2], new float[2 * 2], 2));
        StringAssert.Contains(error.Message, "position 1");
    }

    [TestMethod]
    public void PoolingARowWithoutRealTokensGivesZeros()
    {
        var hidden = TestData.Normal(2 * 3 * 2, 1);
        float[] mask = [1, 1, 0, 0, 0, 0];
        var (mean, max, argmax) = (new float[4], new float[4], new int[4]);

        Pooling.MeanForward(hidden, mask, mean, 2, 3);
        Pooling.MaxForward(hidden, mask, max, argmax, 2, 3);

        CollectionAssert.AreEqual(new[] { 0f, 0f }, mean[2..]);
        CollectionAssert.AreEqual(new[] { 0f, 0f }, max[2..]);
        CollectionAssert.AreEqual(new[] { -1, -1 }, argmax[2..]);
    }

    [TestMethod]
    public void AttentionToOnlyPaddingIsUniformLikeHuggingFace()
    {
        var shape = new AttentionShape(1, 1, 3, 2);
        var (p, context) = (new float[shape.ScoreElements], new float[shape.HeadElements]);

        ScaledDotProductAttention.Forward(TestData.Normal(3 * shape.HeadElements, 2), new float[3], p, [], context, shape, new AttentionOptions());

        foreach (var probability in p) Assert.AreEqual(1f / 3, probability, 1e-6f);
    }

    [TestMethod]
    public void FusedBiasDropoutResidualEqualsTheSeparateKernels()
    {
        var (rows, c) = (5, 21);
        var (x, bias, residual) = (TestData.Normal(rows * c, 40), TestData.Normal(c, 41), TestData.Normal(rows * c, 42));
        var (fused, separate) = (new float[rows * c], x.ToArray());

        BiasDropoutResidual.Forward(x, bias, residual, fused, rows, 0.25f, key: 3);
        for (var r = 0; r < rows; r++)
            System.Numerics.Tensors.TensorPrimitives.Add(separate.AsSpan(r * c, c), bias, separate.AsSpan(r * c, c));
        Dropout.Forward(separate, separate, 0.25f, key: 3);
        Residual.Forward(separate, residual, separate);

        CollectionAssert.AreEqual(separate, fused);
    }

    [TestMethod]
    public void LinearWithoutBiasIsThePlainProduct()
    {
        float[] x = [1f, 2f], w = [3f, 4f, 5f, 6f]; // (1, 2) · (2, 2)ᵀ
        var y = new float[2];

        Linear.Forward(x, w, [], y, 1, 2, 2);

        CollectionAssert.AreEqual(new[] { 11f, 17f }, y);
    }

    [TestMethod]
    public void ActivationNamesFollowHuggingFaceConfigs()
    {
        Assert.AreEqual(ActivationKind.Gelu, ActivationNames.Parse("gelu"));
        Assert.AreEqual(ActivationKind.GeluTanh, ActivationNames.Parse("gelu_new"));
        Assert.AreEqual(ActivationKind.GeluTanh, ActivationNames.Parse("gelu_pytorch_tanh"));
        Assert.AreEqual(ActivationKind.Relu, ActivationNames.Parse("relu"));
        var error = Assert.ThrowsExactly<ArgumentException>(() => ActivationNames.Parse("swish"));
        StringAssert.Contains(error.Message, "swish");
    }

    [TestMethod]
    public void DropoutRejectsProbabilitiesOutsideTheUnitInterval()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Dropout.Forward(new float[4], new float[4], 1f, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Dropout.Forward(new float[4], new float[4], -0.1f, 0));
    }

    [TestMethod]
    public void KernelsNameTheArgumentOfTheWrongLength()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(
            () => LayerNorm.Forward(new float[6], new float[3], new float[3], new float[5], [], [], 2, 1e-5f));
        Assert.AreEqual("y", error.ParamName);
    }

    [TestMethod]
    public void ActivationsAreAccurateRelativeToEachValueNearZero()
    {
        float[] x = [1e-4f, -3e-3f, 0.02f, -0.3f, 0.6f, 0.7f];
        var y = new float[x.Length];

        Activation.Forward(ActivationKind.Tanh, x, y);
        for (var i = 0; i < x.Length; i++) Assert.AreEqual(Math.Tanh(x[i]), y[i], 2e-7 * Math.Abs(Math.Tanh(x[i])), $"tanh({x[i]})");
        Activation.Forward(ActivationKind.Gelu, x, y);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = 0.5 * x[i] * (1 + Erf(x[i] / Math.Sqrt(2)));
            Assert.AreEqual(expected, y[i], 1e-6 * Math.Abs(expected), $"gelu({x[i]})");
        }
    }

    [TestMethod]
    public void GeluGivesTheSameBitsSixteenAndEightLanesAtATime()
    {
        var x = TestData.Normal(16 * 40, 8, scale: 4f); // wide lanes where the CPU has them, then the narrow ones
        x[5] = -40f; // exp(−x²/2) far below float range
        x[6] = 40f;
        var wide = new float[x.Length];
        Activation.Forward(ActivationKind.Gelu, x, wide);

        for (var i = 0; i < x.Length; i++)
        {
            var narrow = new float[1]; // one element: the eight-lane tail path
            Activation.Forward(ActivationKind.Gelu, x.AsSpan(i, 1), narrow);
            Assert.AreEqual(narrow[0], wide[i], $"gelu({x[i]})");
        }
        Assert.AreEqual(-0f, wide[5]);
        Assert.AreEqual(40f, wide[6]);
    }

    [TestMethod]
    [DataRow(5, 37)]
    [DataRow(300, 384)] // rows spread over the threads
    public void FusedResidualLayerNormGivesTheBitsOfItsTwoKernels(int rows, int c)
    {
        var (x, bias, residual) = (TestData.Normal(rows * c, 1), TestData.Normal(c, 2), TestData.Normal(rows * c, 3));
        var (gamma, beta) = (TestData.Normal(c, 4), TestData.Normal(c, 5));
        var sum = new float[rows * c];
        BiasDropoutResidual.Forward(x, bias, residual, sum, rows, p: 0f, key: 0);
        var expected = new float[rows * c];
        LayerNorm.Forward(sum, gamma, beta, expected, [], [], rows, 1e-12f);

        var actual = new float[rows * c];
        LayerNorm.ForwardResidual(x, bias, residual, gamma, beta, actual, rows, 1e-12f);

        CollectionAssert.AreEqual(expected, actual);
    }

    /// <summary>erf by its Taylor series (converges fast for the small arguments used here).</summary>
    private static double Erf(double x)
    {
        double sum = 0, term = x;
        for (var n = 0; n < 30; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}

namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Per-row asymmetric (zero-point) quantisation of activations, checked by its round trips and its levels.</summary>
[TestClass]
public sealed class AsymmetricQuantizationTests
{
    [TestMethod]
    [DataRow(2)]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(1000)]
    public void RoundTripIsWithinHalfAStepAndTheRangeTakesEveryLevel(int length)
    {
        var x = TestData.Normal(length, (ulong)length, scale: 3f);
        for (var i = 0; i < length; i++) x[i] += 2f; // mostly positive, as GELU outputs are
        x[0] = -1.5f;
        x[1] = 9f;
        var q = new byte[length];
        var scale = AsymmetricQuantization.Quantize(x, q, out var zeroPoint);
        Assert.AreEqual((x.Max() - x.Min()) / 255f, scale);
        Assert.AreEqual((int)Math.Round(-x.Min() / (double)scale), zeroPoint);
        var back = new float[length];
        AsymmetricQuantization.Dequantize(q, scale, zeroPoint, back);
        for (var i = 0; i < length; i++)
        {
            Assert.AreEqual(Math.Round(x[i] / (double)scale, MidpointRounding.ToEven) + zeroPoint, q[i], 1, $"q[{i}]");
            Assert.AreEqual(x[i], back[i], scale / 2 * (1 + 1e-5), $"x[{i}]");
        }
        Assert.AreEqual(0, q.Min(), "the minimum's level");
        Assert.AreEqual(255, q.Max(), "the maximum's level");
    }

    [TestMethod]
    public void ZeroDequantisesToExactlyZero()
    {
        float[] x = [0.3f, -0.17f, 0f, 5.25f, 0f];
        var q = new byte[x.Length];
        var scale = AsymmetricQuantization.Quantize(x, q, out var zeroPoint);
        var back = new float[x.Length];
        AsymmetricQuantization.Dequantize(q, scale, zeroPoint, back);
        Assert.AreEqual(zeroPoint, q[2]);
        Assert.AreEqual(0f, back[2]);
        Assert.AreEqual(0f, back[4]);
    }

    [TestMethod]
    public void RowsOfOneSignSpendEveryLevelOnThatSign()
    {
        float[] positive = [0.5f, 2f, 1f];
        var q = new byte[3];
        Assert.AreEqual(2f / 255f, AsymmetricQuantization.Quantize(positive, q, out var zeroPoint));
        Assert.AreEqual(0, zeroPoint);
        CollectionAssert.AreEqual(new byte[] { 64, 255, 128 }, q); // 63.75, 255, 127.5 rounded to nearest, ties to even

        float[] negative = [-0.5f, -2f, 0f];
        Assert.AreEqual(2f / 255f, AsymmetricQuantization.Quantize(negative, q, out zeroPoint));
        Assert.AreEqual(255, zeroPoint);
        CollectionAssert.AreEqual(new byte[] { 191, 0, 255 }, q); // 255 − 64, 0, 255
    }

    [TestMethod]
    public void VectorAndScalarStepsRoundAlikeTiesToEven()
    {
        // A range of 255 (from -128 to 127) gives scale 1 and zero point 128: halves land on ties, in the vector body
        // (first 32) and the scalar tail (last 3).
        var x = Enumerable.Range(0, 35).Select(i => i switch { 0 => 127f, 1 => -128f, _ => (i % 9) - 4.5f }).ToArray();
        var q = new byte[x.Length];
        Assert.AreEqual(1f, AsymmetricQuantization.Quantize(x, q, out var zeroPoint));
        Assert.AreEqual(128, zeroPoint);
        for (var i = 0; i < x.Length; i++) Assert.AreEqual(Math.Round(x[i], MidpointRounding.ToEven) + 128, q[i], $"q[{i}] of {x[i]}");
    }

    [TestMethod]
    public void AZeroRowHasScaleZeroAndZeroPointZero()
    {
        var q = new byte[5];
        Assert.AreEqual(0f, AsymmetricQuantization.Quantize(new float[5], q, out var zeroPoint));
        Assert.AreEqual(0, zeroPoint);
        CollectionAssert.AreEqual(new byte[5], q);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(40)]
    public void ARowHoldingNaNHasScaleNaN(int at)
    {
        var x = TestData.Normal(41, 13);
        x[at] = float.NaN; // in the vector body, then in the scalar tail
        Assert.IsTrue(float.IsNaN(AsymmetricQuantization.Quantize(x, new byte[x.Length], out _)));
    }

    [TestMethod]
    public void SpansOfDifferentLengthsAreRejectedNamingTheOutput()
    {
        Assert.AreEqual("quantized", Assert.ThrowsExactly<ArgumentException>(() => AsymmetricQuantization.Quantize(new float[3], new byte[2], out _)).ParamName);
        Assert.AreEqual("values", Assert.ThrowsExactly<ArgumentException>(() => AsymmetricQuantization.Dequantize(new byte[3], 1f, 0, new float[2])).ParamName);
    }
}

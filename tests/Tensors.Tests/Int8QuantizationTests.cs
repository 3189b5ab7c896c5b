namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Per-row symmetric quantisation and the per-channel quantised weight, checked by their round trips.</summary>
[TestClass]
public sealed class Int8QuantizationTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(1000)]
    public void RoundTripIsWithinHalfAStepAndTheLargestValueTakesTheWholeRange(int length)
    {
        var x = TestData.Normal(length, (ulong)length, scale: 3f);
        var q = new sbyte[length];
        var scale = Int8Quantization.Quantize(x, q);
        var largest = x.Max(MathF.Abs);
        Assert.AreEqual(largest / 127f, scale);
        var back = new float[length];
        Int8Quantization.Dequantize(q, scale, back);
        for (var i = 0; i < length; i++)
        {
            Assert.AreEqual((sbyte)Math.Round(x[i] / (double)scale, MidpointRounding.ToEven), q[i], 1, $"q[{i}]");
            Assert.AreEqual(x[i], back[i], scale / 2 * (1 + 1e-5), $"x[{i}]");
        }
        Assert.AreEqual(127, q.Max(v => Math.Abs((int)v)));
    }

    [TestMethod]
    public void VectorAndScalarStepsRoundAlikeTiesToEven()
    {
        // 127 · x / 127 = x: halves land on ties, in the vector body (first 32) and the scalar tail (last 3).
        var x = Enumerable.Range(0, 35).Select(i => i == 0 ? 127f : (i % 9) - 4.5f).ToArray();
        var q = new sbyte[x.Length];
        Assert.AreEqual(1f, Int8Quantization.Quantize(x, q));
        for (var i = 1; i < x.Length; i++) Assert.AreEqual((sbyte)Math.Round(x[i], MidpointRounding.ToEven), q[i], $"q[{i}] of {x[i]}");
    }

    [TestMethod]
    public void AZeroRowHasScaleZero()
    {
        var q = new sbyte[5];
        Assert.AreEqual(0f, Int8Quantization.Quantize(new float[5], q));
        CollectionAssert.AreEqual(new sbyte[5], q);
    }

    [TestMethod]
    public void QuantizedWeightDequantisesPerChannelWithinHalfAStep()
    {
        const int outFeatures = 37, inFeatures = 45;
        var w = TestData.Normal(outFeatures * inFeatures, 12);
        for (var p = 0; p < inFeatures; p++) w[3 * inFeatures + p] *= 100f; // one channel far larger than the others
        foreach (var kernel in new[] { Int8Kernel.Auto, Int8Kernel.Scalar })
        {
            var weight = QuantizedMatrix.Quantize(w, inFeatures, outFeatures, kernel);
            var back = new float[w.Length];
            weight.Dequantize(back);
            for (var j = 0; j < outFeatures; j++)
            {
                var row = w.AsSpan(j * inFeatures, inFeatures).ToArray();
                Assert.AreEqual(row.Max(MathF.Abs) / 127f, weight.Scales[j], $"scale of channel {j}");
                for (var p = 0; p < inFeatures; p++)
                    Assert.AreEqual(w[j * inFeatures + p], back[j * inFeatures + p], weight.Scales[j] / 2 * (1 + 1e-5), $"W[{j}, {p}] ({kernel})");
            }
        }
    }
}

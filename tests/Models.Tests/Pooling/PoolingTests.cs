using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Pooling;

[TestClass]
public sealed class PoolingTests
{
    [TestMethod]
    [DataRow(PoolingMode.Cls, "pool.cls")]
    [DataRow(PoolingMode.Mean, "pool.mean")]
    [DataRow(PoolingMode.Max, "pool.max")]
    [DataRow(PoolingMode.MeanSqrtLen, "pool.mean_sqrt_len")]
    public void EachModeMatchesSentenceTransformersOnTheReferenceStates(PoolingMode mode, string expected)
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var hidden = Tensor.Wrap(reference.Expected.ReadSingle("last_hidden_state"), 0, 2, 12, 128);
        var pooler = new SentencePooler(new PoolingConfig { WordEmbeddingDimension = 128, Modes = [mode] }, normalize: false);

        reference.AssertMatches(expected, pooler.Forward(hidden, reference.Batch.AttentionMask, false).Span, 1e-6);
    }

    [TestMethod]
    public void SeveralModesConcatenateInSentenceTransformersOrderAndNormalize()
    {
        using var reference = ReferenceCase.Open("bert-tiny");
        var hidden = Tensor.Wrap(reference.Expected.ReadSingle("last_hidden_state"), 0, 2, 12, 128);
        var pooler = new SentencePooler(
            new PoolingConfig { WordEmbeddingDimension = 128, Modes = [PoolingMode.Mean, PoolingMode.Cls] }, normalize: true);

        var output = pooler.Forward(hidden, reference.Batch.AttentionMask, false); // (2, 256)

        var cls = reference.Expected.ReadSingle("pool.cls");
        var mean = reference.Expected.ReadSingle("pool.mean");
        for (var row = 0; row < 2; row++)
        {
            float[] joined = [.. cls.AsSpan(row * 128, 128), .. mean.AsSpan(row * 128, 128)];
            var norm = MathF.Sqrt(joined.Sum(v => v * v));
            Assert.AreEqual(0, ReferenceCase.RelativeError(output.Span.Slice(row * 256, 256), [.. joined.Select(v => v / norm)]), 1e-6);
        }
    }

    [TestMethod]
    [DataRow(PoolingMode.Cls, false)]
    [DataRow(PoolingMode.Mean, true)]
    [DataRow(PoolingMode.Max, false)]
    [DataRow(PoolingMode.MeanSqrtLen, true)]
    public void BackwardMatchesFiniteDifferences(PoolingMode mode, bool normalize)
    {
        var (b, t, c) = (2, 5, 4);
        var rng = new Rng(7);
        var hidden = new Tensor(b, t, c);
        rng.FillUniform(hidden.Span, -1f, 1f);
        int[] mask = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1];
        var weights = new float[b * c];
        rng.FillUniform(weights, -1f, 1f);
        var pooler = new SentencePooler(new PoolingConfig { WordEmbeddingDimension = c, Modes = [mode] }, normalize);

        pooler.Forward(hidden, mask, training: true);
        var analytic = pooler.Backward(Tensor.Wrap(weights, 0, b, c), t).Span.ToArray();
        var error = GradientCheck.RelativeError(hidden.Span, analytic, () =>
        {
            var y = pooler.Forward(hidden, mask, training: false).Span;
            double loss = 0;
            for (var i = 0; i < y.Length; i++) loss += (double)y[i] * weights[i];
            return loss;
        }, maxElements: b * t * c, step: 1e-3f);

        Assert.IsTrue(error < 2e-3, $"relative error {error:E2}");
    }

    [TestMethod]
    public void AllPaddingSequenceIsAnError()
    {
        var pooler = new SentencePooler(new PoolingConfig { WordEmbeddingDimension = 2 }, normalize: false);
        var error = Assert.ThrowsExactly<ArgumentException>(() => pooler.Forward(new Tensor(1, 2, 2), [0, 0], false));
        StringAssert.Contains(error.Message, "no real token");
    }
}

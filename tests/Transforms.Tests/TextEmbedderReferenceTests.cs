using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>The embedder against PyTorch's pooling of the reference last hidden state, sequence by sequence (no padding).</summary>
[TestClass]
public sealed class TextEmbedderReferenceTests
{
    /// <summary>Small batches: each holds texts of different lengths, so padding is exercised.</summary>
    private const int BatchSize = 4;

    public static IEnumerable<object[]> Modes() =>
        from mode in new[] { PoolingMode.Cls, PoolingMode.Mean, PoolingMode.Max, PoolingMode.MeanSqrtLen }
        from normalize in new[] { false, true }
        select new object[] { mode, normalize };

    [TestMethod]
    [DynamicData(nameof(Modes))]
    public void TruncatedTextsMatchPyTorch(PoolingMode mode, bool normalize)
    {
        var embedder = Create(mode, normalize, LongTextMode.Truncate);

        var vectors = embedder.Embed(EmbedFixture.Texts);

        EmbedFixture.AssertClose(EmbedFixture.Expected(ReferenceName("truncate", mode, normalize)), vectors, $"{mode}, normalize {normalize}");
        Assert.AreEqual(EmbedFixture.LongTexts, embedder.TruncatedCount);
    }

    [TestMethod]
    [DynamicData(nameof(Modes))]
    public void SlidingWindowsMatchPyTorch(PoolingMode mode, bool normalize)
    {
        var embedder = Create(mode, normalize, LongTextMode.SlidingWindow);

        var vectors = embedder.Embed(EmbedFixture.Texts);

        EmbedFixture.AssertClose(EmbedFixture.Expected(ReferenceName("window", mode, normalize)), vectors, $"{mode}, normalize {normalize}");
        Assert.AreEqual(0, embedder.TruncatedCount, "windows drop nothing");
    }

    [TestMethod]
    [DataRow(PoolingMode.Cls)]
    [DataRow(PoolingMode.Mean)]
    [DataRow(PoolingMode.Max)]
    [DataRow(PoolingMode.MeanSqrtLen)]
    public void PairsMatchPyTorch(PoolingMode mode)
    {
        var embedder = Create(mode, normalize: false, LongTextMode.Truncate);

        var vectors = embedder.Embed([.. EmbedFixture.Pairs.Select(p => p.Text)], [.. EmbedFixture.Pairs.Select(p => p.Pair)]);

        EmbedFixture.AssertClose(EmbedFixture.Expected($"pair.{EmbedFixture.Name(mode)}"), vectors, mode.ToString());
    }

    [TestMethod]
    public void DefaultsComeFromTheSentenceTransformersModules()
    {
        var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory });

        CollectionAssert.AreEqual(new[] { PoolingMode.Mean }, embedder.Settings.PoolingModes.ToArray());
        Assert.IsTrue(embedder.Settings.Normalize);
        Assert.AreEqual(16, embedder.Settings.MaximumTokens);
        Assert.AreEqual((16 - 2) / TextEmbeddingOptions.DefaultWindowOverlapDivisor, embedder.Settings.WindowOverlap);
        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), embedder.Embed(EmbedFixture.Texts), "defaults");
    }

    [TestMethod]
    public void ResultsFollowInputOrderWhateverTheBatching()
    {
        var batched = Create(PoolingMode.Mean, normalize: true, LongTextMode.Truncate);
        string[] shuffled = [.. EmbedFixture.Texts.Reverse()];

        var vectors = batched.Embed(shuffled);

        EmbedFixture.AssertClose([.. shuffled.Select(text => batched.Embed(text))], vectors, "one at a time vs batched");
    }

    internal static TextEmbedder Create(PoolingMode mode, bool normalize, LongTextMode longTexts) => TextEmbedder.FromPretrained(new TextEmbeddingOptions
    {
        ModelPath = EmbedFixture.ModelDirectory,
        Pooling = mode,
        Normalize = normalize,
        BatchSize = BatchSize,
        LongTextMode = longTexts,
        WindowOverlap = EmbedFixture.WindowOverlap,
    });

    private static string ReferenceName(string kind, PoolingMode mode, bool normalize) =>
        $"{kind}.{EmbedFixture.Name(mode)}" + (normalize ? ".normalized" : "");
}

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>Options and inputs the embedder refuses, with messages naming what is wrong.</summary>
[TestClass]
public sealed class TextEmbedderErrorTests
{
    [TestMethod]
    public void AMissingDirectoryIsNamed()
    {
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() =>
            TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = "no-such-model" }));
        StringAssert.Contains(error.Message, "no-such-model");
    }

    [TestMethod]
    public void MaximumTokensBeyondThePositionTableIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, MaximumTokens = 41 }));
        StringAssert.Contains(error.Message, "40 positions");
    }

    [TestMethod]
    public void AnOverlapAsLongAsTheWindowIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TextEmbedder.FromPretrained(new TextEmbeddingOptions
        {
            ModelPath = EmbedFixture.ModelDirectory, LongTextMode = LongTextMode.SlidingWindow, WindowOverlap = 14,
        }));
        StringAssert.Contains(error.Message, "WindowOverlap 14");
    }

    [TestMethod]
    public void PairsInSlidingWindowModeAreRefused()
    {
        var embedder = TextEmbedderReferenceTests.Create(Models.Pooling.PoolingMode.Mean, false, LongTextMode.SlidingWindow);
        Assert.ThrowsExactly<ArgumentException>(() => embedder.Embed(["a movie"], ["the plot"]));
    }

    [TestMethod]
    public void PairCountsMustMatch()
    {
        var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory });
        var error = Assert.ThrowsExactly<ArgumentException>(() => embedder.Embed(["a movie", "good"], ["the plot"]));
        StringAssert.Contains(error.Message, "1 second texts for 2 texts");
    }
}

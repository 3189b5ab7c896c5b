using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// Data-parallel embedding (many batches, each on one thread) and concurrent callers against the same texts embedded
/// one at a time (one batch, split by the kernels): the same bits, whichever thread runs a batch.
/// </summary>
[TestClass]
public sealed class TextEmbedderParallelTests
{
    private const int Repeats = 4;

    [TestMethod]
    public void ManyBatchesRunDataParallelWithTheBitsOfOneAtATime()
    {
        var embedder = Create();
        string[] texts = [.. Enumerable.Repeat(EmbedFixture.Texts, Repeats).SelectMany(t => t)];
        var alone = EmbedFixture.Texts.Select(text => embedder.Embed(text)).ToArray();

        var vectors = embedder.Embed(texts); // one text per batch: batches enough for every thread

        for (var i = 0; i < texts.Length; i++) CollectionAssert.AreEqual(alone[i % alone.Length], vectors[i], $"text {i}");
    }

    [TestMethod]
    public void ConcurrentCallersGetTheResultsOfOneCaller()
    {
        var embedder = Create();
        var expected = embedder.Embed(EmbedFixture.Texts);

        var callers = Enumerable.Range(0, Repeats).Select(_ => Task.Run(() => embedder.Embed(EmbedFixture.Texts))).ToArray();

        foreach (var vectors in Task.WhenAll(callers).Result)
            for (var i = 0; i < expected.Length; i++) CollectionAssert.AreEqual(expected[i], vectors[i], $"text {i}");
    }

    [TestMethod]
    public void AnEmbeddersDegreeOfParallelismLeavesTheProcessAlone()
    {
        var processWide = Parallelism.Degree;
        var serial = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, BatchSize = 1, DegreeOfParallelism = 1 });

        var vectors = serial.Embed(EmbedFixture.Texts);

        Assert.AreEqual(processWide, Parallelism.Degree);
        var expected = Create().Embed(EmbedFixture.Texts);
        for (var i = 0; i < expected.Length; i++) CollectionAssert.AreEqual(expected[i], vectors[i], $"text {i}");
    }

    private static TextEmbedder Create() => TextEmbedder.FromPretrained(new TextEmbeddingOptions
    {
        ModelPath = EmbedFixture.ModelDirectory,
        BatchSize = 1,
    });
}

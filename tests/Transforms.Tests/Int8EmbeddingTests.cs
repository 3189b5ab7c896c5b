using Microsoft.ML;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// 8-bit products on the real all-MiniLM-L6-v2 (shared checkpoint) against its single-precision vectors and the
/// published similarities, and the precision kept through ML.NET's model zip.
/// </summary>
[TestClass]
public sealed class Int8EmbeddingTests
{
    /// <summary>The sentences of the sentence-transformers README's similarity example (shared/models/REFERENCE-OUTPUTS.md).</summary>
    private static readonly string[] Published = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."];

    [TestMethod]
    public void Int8VectorsKeepTheCosineOfTheFloatOnesOnSst2()
    {
        var sentences = Sst2.Sentences("dev", int.MaxValue); // all 6,735: the worst are a few short ones
        var exact = Embedder(Precision.Float32).Embed(sentences);
        var int8 = Embedder(Precision.Int8).Embed(sentences);

        var cosines = exact.Zip(int8, (a, b) => EmbeddingSearch.CosineSimilarity(a, b)).ToArray();
        // The quality goals: mean at least 0.995, minimum at least 0.98 (measured: 0.9984 and 0.9927).
        Assert.IsGreaterThanOrEqualTo(0.995, cosines.Average(), "mean cosine");
        Assert.IsGreaterThanOrEqualTo(0.98, cosines.Min(), "minimum cosine");
        Assert.IsTrue(cosines.Any(c => c < 1f), "int8 vectors differ from the float ones at all");
    }

    [TestMethod]
    public void Int8VectorsReproduceThePublishedSimilarityMatrixWithinOneHundredth()
    {
        var vectors = Embedder(Precision.Int8).Embed(Published);

        Assert.AreEqual(0.6660, EmbeddingSearch.CosineSimilarity(vectors[0], vectors[1]), 0.01);
        Assert.AreEqual(0.1046, EmbeddingSearch.CosineSimilarity(vectors[0], vectors[2]), 0.01);
        Assert.AreEqual(0.1411, EmbeddingSearch.CosineSimilarity(vectors[1], vectors[2]), 0.01);
    }

    [TestMethod]
    public void ASavedInt8PipelineLoadsInt8AndEmbedsTheSameBits()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of([.. Published, .. EmbedFixture.MiniLmTexts]));
        var options = new TextEmbeddingOptions { ModelPath = MiniLmOnnxPackage.SharedCheckpoint, Precision = Precision.Int8 };
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(Review.Text), options).Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);
        var loaded = new MLContext(seed: 2).Model.Load(file.Path, out _);

        var before = TestData.Features(ml, model.Transform(data));
        TestData.AssertSameBits(before, TestData.Features(ml, loaded.Transform(data)), "loaded");
        Assert.AreEqual(Precision.Int8, Assert.IsInstanceOfType<TextEmbeddingTransformer>(loaded).Embedder.Settings.Precision);
        var exact = Embedder(Precision.Float32).Embed([.. Published, .. EmbedFixture.MiniLmTexts]);
        Assert.IsTrue(exact.Zip(before).Any(pair => !pair.First.SequenceEqual(pair.Second)), "the pipeline ran in single precision");
    }

    private static TextEmbedder Embedder(Precision precision) =>
        TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = MiniLmOnnxPackage.SharedCheckpoint, Precision = precision });
}

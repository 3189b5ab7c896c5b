using Microsoft.ML;
using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The featurizer in ML.NET's model zip and prediction engines: a saved model loads and embeds the same bits, and a
/// prediction engine (one row per call, on any number of threads) gives the bits of a batched transform.
/// </summary>
[TestClass]
public sealed class SavedModelTests
{
    private const int Threads = 16;

    /// <summary>Sliding windows, an overlap and a pooling other than the checkpoint's: every setting must survive the zip.</summary>
    private static readonly TextEmbeddingOptions Windowed = new()
    {
        ModelPath = EmbedFixture.ModelDirectory,
        BatchSize = 5,
        Pooling = PoolingMode.MeanSqrtLen,
        LongTextMode = LongTextMode.SlidingWindow,
        WindowOverlap = EmbedFixture.WindowOverlap,
    };

    [TestMethod]
    public void ALoadedModelEmbedsTheSameBitsWithItsSettings()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", Windowed).Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);
        var loaded = new MLContext(seed: 2).Model.Load(file.Path, out var inputSchema);

        var before = TestData.Features(ml, model.Transform(data));
        var after = TestData.Features(ml, loaded.Transform(data));
        TestData.AssertSameBits(before, after, "loaded");
        EmbedFixture.AssertClose(EmbedFixture.Expected("window.mean_sqrt_len.normalized"), after, "loaded vs PyTorch");
        var restored = Assert.IsInstanceOfType<TextEmbeddingTransformer>(loaded);
        // Every setting but the list (compared by reference in record equality) in one comparison, then the list.
        Assert.AreEqual(model.Embedder.Settings with { PoolingModes = [] }, restored.Embedder.Settings with { PoolingModes = [] });
        CollectionAssert.AreEqual(model.Embedder.Settings.PoolingModes.ToArray(), restored.Embedder.Settings.PoolingModes.ToArray());
        Assert.AreEqual(model.Columns, restored.Columns);
        CollectionAssert.AreEqual(new[] { "Text", "Other", "Rating" }, inputSchema.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void APipelineWithMLNetTransformsRoundTripsThroughTheZip()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var model = ml.Transforms.Text.ApplyTextEmbedding("Embedding", "Text", Windowed)
            .Append(ml.Transforms.Concatenate("Features", "Embedding", "Rating"))
            .Fit(data);
        using var file = new TempFile(".zip");

        ml.Model.Save(model, data.Schema, file.Path);
        var loaded = new MLContext(seed: 1).Model.Load(file.Path, out _);

        TestData.AssertSameBits(TestData.Features(ml, model.Transform(data)), TestData.Features(ml, loaded.Transform(data)), "pipeline");
    }

    [TestMethod]
    public void APredictionEngineGivesTheBitsOfABatchedTransform()
    {
        var ml = new MLContext(seed: 1);
        var rows = Review.Of(EmbedFixture.Texts);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", EmbedFixture.ModelDirectory).Fit(data);

        var batched = TestData.Features(ml, model.Transform(data));
        var engine = ml.Model.CreatePredictionEngine<Review, Embedded>(model);
        var predicted = rows.Select(row => engine.Predict(row).Features).ToList();

        TestData.AssertSameBits(batched, predicted, "engine vs transform");
    }

    [TestMethod]
    public void EnginesOnSixteenThreadsAgreeWithOneThread()
    {
        var ml = new MLContext(seed: 1);
        var rows = Review.Of(EmbedFixture.Texts);
        var data = ml.Data.LoadFromEnumerable(rows);
        ITransformer model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", Windowed).Fit(data);
        using var file = new TempFile(".zip");
        ml.Model.Save(model, data.Schema, file.Path);
        model = ml.Model.Load(file.Path, out _);
        var single = ml.Model.CreatePredictionEngine<Review, Embedded>(model);
        var expected = rows.Select(row => single.Predict(row).Features).ToList();

        var engines = Enumerable.Range(0, Threads).Select(_ => ml.Model.CreatePredictionEngine<Review, Embedded>(model)).ToArray();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return rows.Skip(t % rows.Length).Concat(rows.Take(t % rows.Length)).Select(row => engines[t].Predict(row).Features).ToList();
        }, TaskCreationOptions.LongRunning)).ToArray();
        var results = Task.WhenAll(workers).Result;

        for (var t = 0; t < Threads; t++)
        {
            var shift = t % rows.Length;
            TestData.AssertSameBits([.. expected.Skip(shift).Concat(expected.Take(shift))], results[t], $"thread {t}");
        }
    }
}

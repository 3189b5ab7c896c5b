using MLNet.Transformers.Data;
using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>The pipeline transform: reference outputs in row order, pairs, save/load in one zip, schema errors.</summary>
[TestClass]
public sealed class TextEmbeddingTransformerTests
{
    private sealed class Review
    {
        public string Text { get; set; } = "";
        public string Other { get; set; } = "";
        public float Rating { get; set; }
    }

    private sealed class Embedded
    {
        public float[] Features { get; set; } = [];
    }

    private static readonly TextEmbeddingOptions SmallBatches = new() { ModelDirectory = EmbedFixture.ModelDirectory, BatchSize = 5 };

    [TestMethod]
    public void TheTransformMatchesPyTorchInRowOrder()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(EmbedFixture.Texts.Select(t => new Review { Text = t }));

        var model = context.Transforms.Text.ApplyTextEmbedding("Features", "Text", SmallBatches).Fit(data);
        var rows = context.Data.CreateEnumerable<Embedded>(model.Transform(data), reuseRowObject: false).ToList();

        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), [.. rows.Select(r => r.Features)], "transform");
        Assert.AreEqual(EmbedFixture.LongTexts, model.TruncatedRowCount);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 32), model.GetOutputSchema(data.Schema)["Features"].Type);
    }

    [TestMethod]
    public void PairColumnsMatchPyTorch()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(EmbedFixture.Pairs.Select(p => new Review { Text = p.Text, Other = p.Pair }));
        var options = SmallBatches with { Pooling = PoolingMode.Max, Normalize = false };

        var model = context.Transforms.Text.ApplyTextEmbedding("Features", "Text", options, pairColumnName: "Other").Fit(data);
        var rows = context.Data.CreateEnumerable<Embedded>(model.Transform(data), reuseRowObject: false).ToList();

        EmbedFixture.AssertClose(EmbedFixture.Expected("pair.max"), [.. rows.Select(r => r.Features)], "pairs");
    }

    [TestMethod]
    public void ASavedPipelineHoldsTheModelAndGivesIdenticalOutputs()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(EmbedFixture.Texts.Select(t => new Review { Text = t }));
        var options = SmallBatches with { Pooling = PoolingMode.MeanSqrtLen, LongTextMode = LongTextMode.SlidingWindow, WindowOverlap = EmbedFixture.WindowOverlap };
        var model = context.Transforms.Text.ApplyTextEmbedding("Features", "Text", options).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"embedding-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.Save(model, data.Schema, path);
            var loaded = context.Model.Load(path, out _);

            var before = context.Data.CreateEnumerable<Embedded>(model.Transform(data), false).Select(r => r.Features).ToList();
            var after = context.Data.CreateEnumerable<Embedded>(loaded.Transform(data), false).Select(r => r.Features).ToList();
            for (var i = 0; i < before.Count; i++) CollectionAssert.AreEqual(before[i], after[i], $"row {i}");
            EmbedFixture.AssertClose(EmbedFixture.Expected("window.mean_sqrt_len.normalized"), after, "loaded");
            var settings = ((TextEmbeddingTransformer)loaded).Embedder.Settings;
            Assert.AreEqual(model.Embedder.Settings.WindowOverlap, settings.WindowOverlap);
            CollectionAssert.AreEqual(model.Embedder.Settings.PoolingModes.ToArray(), settings.PoolingModes.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AMissingOrMistypedColumnIsNamedBeforeAnyRowIsRead()
    {
        var context = new TransformersContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(new[] { new Review { Text = "good" } });
        var estimator = context.Transforms.Text.ApplyTextEmbedding("Features", "Body", SmallBatches);

        var missing = Assert.ThrowsExactly<SchemaException>(() => estimator.Fit(data));
        StringAssert.Contains(missing.Message, "'Body'");
        var mistyped = Assert.ThrowsExactly<SchemaException>(() =>
            context.Transforms.Text.ApplyTextEmbedding("Features", "Rating", SmallBatches).GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(mistyped.Message, "'Rating'");
    }
}

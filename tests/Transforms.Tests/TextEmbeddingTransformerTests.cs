using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>The ML.NET transform against the PyTorch reference: outputs in row order, pairs, the output schema, schema errors.</summary>
[TestClass]
public sealed class TextEmbeddingTransformerTests
{
    private static readonly TextEmbeddingOptions SmallBatches = new() { ModelPath = EmbedFixture.ModelDirectory, BatchSize = 5 };

    [TestMethod]
    public void TheTransformMatchesPyTorchInRowOrder()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));

        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", SmallBatches).Fit(data);
        var features = TestData.Features(ml, model.Transform(data));

        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), features, "transform");
        Assert.AreEqual(EmbedFixture.LongTexts, model.TruncatedRowCount);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 32), model.GetOutputSchema(data.Schema)["Features"].Type);
    }

    [TestMethod]
    public void TheModelPathOverloadFollowsTheCheckpointsModules()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));

        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", EmbedFixture.ModelDirectory).Fit(data);

        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), TestData.Features(ml, model.Transform(data)), "defaults");
    }

    [TestMethod]
    public void PairColumnsMatchPyTorch()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(EmbedFixture.Pairs.Select(p => new Review { Text = p.Text, Other = p.Pair }));
        var options = SmallBatches with { Pooling = PoolingMode.Max, Normalize = false };

        var model = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", options, pairColumnName: "Other").Fit(data);

        EmbedFixture.AssertClose(EmbedFixture.Expected("pair.max"), TestData.Features(ml, model.Transform(data)), "pairs");
    }

    [TestMethod]
    public void TheEstimatorsShapeIsAKnownSizeVectorBesideTheInputColumns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(["good"]));

        var shape = ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", SmallBatches).GetOutputSchema(SchemaShape.Create(data.Schema));

        Assert.IsTrue(shape.TryFindColumn("Features", out var features));
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, features.Kind);
        Assert.AreEqual(NumberDataViewType.Single, features.ItemType);
        CollectionAssert.AreEqual(new[] { "Text", "Other", "Rating", "Features" }, shape.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void AMissingOrMistypedColumnIsNamedBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(["good"]));

        var missing = Assert.ThrowsExactly<SchemaException>(() => ml.Transforms.Text.ApplyTextEmbedding("Features", "Body", SmallBatches).Fit(data));
        StringAssert.Contains(missing.Message, "'Body'");
        StringAssert.Contains(missing.Message, "Text, Other, Rating");
        var mistyped = Assert.ThrowsExactly<SchemaException>(() =>
            ml.Transforms.Text.ApplyTextEmbedding("Features", "Rating", SmallBatches).GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(mistyped.Message, "'Rating'");
        StringAssert.Contains(mistyped.Message, "must be Text");
        var mistypedPair = Assert.ThrowsExactly<SchemaException>(() =>
            ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", SmallBatches, pairColumnName: "Rating").Fit(data));
        StringAssert.Contains(mistypedPair.Message, "'Rating'");
    }
}

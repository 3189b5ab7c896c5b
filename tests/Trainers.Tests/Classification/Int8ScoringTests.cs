using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>Scoring in <see cref="Precision.Int8"/>: trained for it, chosen afterwards, and kept through the model zip.</summary>
[TestClass]
public sealed class Int8ScoringTests : ClassifierTestBase
{
    [TestMethod]
    public void AClassifierTrainedForInt8ScoresCloseToFloatAndLoadsInt8WithTheSameBits()
    {
        var (train, _) = Keyed(Context.View(SyntheticText.Rows(96, seed: 1)));
        var test = Keyed(Context.View(SyntheticText.Rows(40, seed: 5))).Train;
        var int8 = Context.MulticlassClassification.Trainers.TextClassification(OneEpoch() with { Precision = Precision.Int8 }).Fit(train);
        var exact = int8.WithPrecision(Precision.Float32);
        var path = Path.Combine(Directory, "int8.zip");
        Context.Model.Save(int8, train.Schema, path);
        var loaded = Assert.IsInstanceOfType<TextClassificationTransformer>(new MLContext().Model.Load(path, out _));

        Assert.AreEqual(Precision.Int8, int8.Precision);
        Assert.AreEqual(Precision.Int8, loaded.Precision);
        Assert.AreEqual(Precision.Float32, exact.Precision);
        var scores = Scores(int8, test);
        CollectionAssert.AreEqual(scores.SelectMany(s => s).ToArray(), Scores(loaded, test).SelectMany(s => s).ToArray(), "loaded");
        var exactScores = Scores(exact, test);
        var largest = scores.Zip(exactScores).SelectMany(pair => pair.First.Zip(pair.Second, (a, b) => Math.Abs(a - b))).Max();
        Assert.IsTrue(largest is > 0f and < 0.05f, $"largest probability difference {largest}");
    }

    [TestMethod]
    public void AnUnknownPrecisionIsRefused()
    {
        var (train, _) = Keyed(Context.View(SyntheticText.Rows(32, seed: 1)));
        var model = Context.MulticlassClassification.Trainers.TextClassification(OneEpoch()).Fit(train);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.WithPrecision((Precision)7));
    }

    private static float[][] Scores(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        return [.. scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray())];
    }
}

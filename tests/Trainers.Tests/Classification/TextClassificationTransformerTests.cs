using Microsoft.ML;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Classification;

[TestClass]
public sealed class TextClassificationTransformerTests : ClassifierTestBase
{
    private sealed class MulticlassScores
    {
        public float[] Score { get; set; } = [];
    }

    private TextClassificationTransformer TrainBinary(int epochs = 2) =>
        Context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = epochs })
            .Fit(Context.View(SyntheticText.Rows(96, seed: 1)));

    [TestMethod]
    public void BinaryOutputsAreConsistent()
    {
        var model = TrainBinary();
        var predictions = Context.Data.CreateEnumerable<BinaryPrediction>(model.Transform(Context.View(SyntheticText.Rows(30, seed: 2))),
            reuseRowObject: false).ToList();
        foreach (var p in predictions)
        {
            Assert.AreEqual(1 / (1 + Math.Exp(-p.Score)), p.Probability, 1e-5);
            Assert.AreEqual(p.Score > 0, p.PredictedLabel);
        }
    }

    [TestMethod]
    public void AnEmptyTrainingSetIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            Context.BinaryClassification.Trainers.TextClassification(Options()).Fit(Context.View([])));
        StringAssert.Contains(error.Message, "no rows");
    }

    [TestMethod]
    public void OneClassOnlyIsRefused()
    {
        var rows = SyntheticText.Rows(20, seed: 1, "music");
        var error = Assert.Throws<InvalidDataException>(() =>
            Context.BinaryClassification.Trainers.TextClassification(Options()).Fit(Context.View(rows)));
        StringAssert.Contains(error.Message, "one class only ('False')");
    }

    [TestMethod]
    public void ALabelTrainingNeverSawIsNamed()
    {
        var (train, _) = Keyed(Context.View(SyntheticText.Rows(48, seed: 1, "sports", "music")));
        var model = Context.MulticlassClassification.Trainers.TextClassification(Options() with { Epochs = 1 }).Fit(train);
        var other = Context.View(SyntheticText.Rows(12, seed: 2));

        var (validation, _) = Keyed(other);
        var error = Assert.Throws<InvalidDataException>(() => Context.MulticlassClassification.Trainers.TextClassification(
            Options() with { Epochs = 1, ValidationSet = validation }).Fit(train));
        StringAssert.Contains(error.Message, "'food'");

        error = Assert.Throws<InvalidDataException>(() => model.Transform(validation));
        StringAssert.Contains(error.Message, "'food'");

        var raw = Context.Transforms.CopyColumns("Label", nameof(TextRow.Topic)).Fit(other).Transform(other);
        error = Assert.Throws<InvalidDataException>(() => Context.Data.CreateEnumerable<MulticlassScores>(model.Transform(raw), false).ToList());
        StringAssert.Contains(error.Message, "'food'");
    }

    [TestMethod]
    public void KeysNumberedInAnotherOrderThanTrainingsAreRefused()
    {
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(48, seed: 1, "sports", "music")));
        var model = Context.MulticlassClassification.Trainers.TextClassification(Options() with { Epochs = 1 }).Fit(train);
        var (reordered, _) = Keyed(Context.View(SyntheticText.Rows(12, seed: 2, "music", "sports")));
        var error = Assert.Throws<InvalidDataException>(() => model.Transform(reordered));
        StringAssert.Contains(error.Message, "another order (music, sports)");
        Assert.IsNotNull(model.Transform(mapping.Transform(Context.View(SyntheticText.Rows(12, seed: 2, "music", "sports")))));
    }

    [TestMethod]
    public void MissingColumnsAreNamed()
    {
        var error = Assert.Throws<SchemaException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Options() with { Sentence1ColumnName = "Review" }).Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        StringAssert.Contains(error.Message, "Review");
        error = Assert.Throws<SchemaException>(() => Context.MulticlassClassification.Trainers.TextClassification(Options())
            .Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        StringAssert.Contains(error.Message, "key");
    }

    [TestMethod]
    public void ANaNLossStopsNamingTheStep()
    {
        var options = Options() with
        {
            LearningRate = 1e30f, MaxGradientNorm = 0f, WarmupRatio = 0f,
            CheckpointDirectory = Path.Combine(Directory, "checkpoints"), CheckpointEverySteps = 1,
        };
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Context.BinaryClassification.Trainers.TextClassification(options).Fit(Context.View(SyntheticText.Rows(96, seed: 1))));
        StringAssert.Contains(error.Message, $"step {error.Step}");
        Assert.IsTrue(error.Step > 1);
        StringAssert.EndsWith(error.LastCheckpoint, $"checkpoint-{error.Step - 1:D8}");
        Assert.IsTrue(File.Exists(Path.Combine(error.LastCheckpoint!, "config.json")));
        Assert.IsTrue(File.Exists(Path.Combine(error.LastCheckpoint!, "vocab.txt")));
    }

    [TestMethod]
    public void BadOptionsAreNamedInOnePlainSentence()
    {
        var error = Assert.Throws<InvalidOptionException>(() =>
            Context.BinaryClassification.Trainers.TextClassification(Options() with { TokenizerPath = null }));
        Assert.AreEqual("Option TokenizerPath must be set when training a fresh model (no ModelPath), got none.", error.Message);
        Assert.AreEqual("TokenizerPath", error.ParamName);
        error = Assert.Throws<InvalidOptionException>(() => Context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = 0 }));
        Assert.AreEqual("Option Epochs must be at least 1, got 0.", error.Message);
        var weights = Assert.Throws<ArgumentException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Options() with { ClassWeights = new Dictionary<string, float> { ["maybe"] = 2f } }).Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        StringAssert.Contains(weights.Message, "'maybe'");
        var checkpointless = Assert.Throws<ArgumentException>(() => Context.BinaryClassification.Trainers.TextClassification(sentence1ColumnName: "Text"));
        Assert.AreEqual("modelPath", checkpointless.ParamName);
    }
}

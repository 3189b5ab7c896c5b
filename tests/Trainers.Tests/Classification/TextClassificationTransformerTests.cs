using MLNet.Transformers.Data;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Classification;

[TestClass]
public sealed class TextClassificationTransformerTests : ClassifierTestBase
{
    private sealed class Input
    {
        public string Text { get; set; } = "";
    }

    private TextClassificationTransformer TrainBinary(int epochs = 2) =>
        Context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = epochs })
            .Fit(Context.View(SyntheticText.Rows(96, seed: 1)));

    [TestMethod]
    public void PredictsIdenticallyAfterSaveAndLoad()
    {
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(96, seed: 1)));
        var pipeline = new TransformerChain<ITransformer>(mapping,
            Context.MulticlassClassification.Trainers.TextClassification(Options() with { Epochs = 2 }).Fit(train));
        var test = Context.View(SyntheticText.Rows(50, seed: 2));
        var path = Path.Combine(Directory, "model.zip");
        Context.Model.Save(pipeline, test.Schema, path);
        var loaded = Context.Model.Load(path, out var schema);
        Assert.AreEqual(test.Schema.Count, schema.Count);

        float[][] Scores(ITransformer model) => [.. Context.Data.CreateEnumerable<MulticlassScores>(model.Transform(test), reuseRowObject: false)
            .Select(s => s.Score)];
        var (before, after) = (Scores(pipeline), Scores(loaded));
        for (var i = 0; i < before.Length; i++) CollectionAssert.AreEqual(before[i], after[i], $"row {i}");

        var classifier = (TextClassificationTransformer)((IEnumerable<ITransformer>)loaded).Last();
        CollectionAssert.AreEqual(SyntheticText.Topics, classifier.LabelNames.ToArray());
        Assert.AreEqual(((TextClassificationTransformer)pipeline.LastTransformer).TrainingHistory!.ToJson(),
            classifier.TrainingHistory!.ToJson());
    }

    private sealed class MulticlassScores
    {
        public float[] Score { get; set; } = [];
    }

    [TestMethod]
    public void APoolOf16ThreadsGivesTheAnswersOfOne()
    {
        var model = TrainBinary();
        var sentences = SyntheticText.Rows(64, seed: 5).Select(r => r.Text).ToArray();
        var engine = Context.Model.CreatePredictionEngine<Input, BinaryPrediction>(model);
        var expected = sentences.Select(s => engine.Predict(new Input { Text = s }).Probability).ToArray();
        var pool = Context.Model.CreatePredictionEnginePool<Input, BinaryPrediction>(model);
        var actual = new float[sentences.Length];
        Parallel.For(0, sentences.Length * 8, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var k = i % sentences.Length;
            var p = pool.Predict(new Input { Text = sentences[k] }).Probability;
            if (i >= sentences.Length * 7) actual[k] = p;
            else if (p != expected[k]) throw new AssertFailedException($"sentence {k}: {p} != {expected[k]}");
        });
        CollectionAssert.AreEqual(expected, actual);
    }

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
        var error = Assert.Throws<InvalidDataException>(() =>
            Context.MulticlassClassification.Trainers.TextClassification(Options() with { Epochs = 1 }).Fit(train, validation));
        StringAssert.Contains(error.Message, "'food'");

        error = Assert.Throws<InvalidDataException>(() => model.Transform(validation));
        StringAssert.Contains(error.Message, "'food'");

        var raw = Context.Transforms.CopyColumns("Label", nameof(TextRow.Topic)).Fit(other).Transform(other);
        error = Assert.Throws<InvalidDataException>(() => Context.Data.CreateEnumerable<MulticlassScores>(model.Transform(raw), false).ToList());
        StringAssert.Contains(error.Message, "'food'");
    }

    [TestMethod]
    public void MissingColumnsAreNamed()
    {
        var error = Assert.Throws<SchemaException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Options() with { TextColumnName = "Review" }).Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
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
    public void BadOptionsAreNamed()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Context.BinaryClassification.Trainers.TextClassification(Options() with { TokenizerPath = null }));
        StringAssert.Contains(error.Message, "TokenizerPath");
        var weights = Assert.Throws<ArgumentException>(() => Context.BinaryClassification.Trainers.TextClassification(
            Options() with { ClassWeights = new Dictionary<string, float> { ["maybe"] = 2f } }).Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        StringAssert.Contains(weights.Message, "'maybe'");
    }
}

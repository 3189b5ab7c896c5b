using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Trainers.Classification;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Classification;

[TestClass]
public sealed class TextClassificationTrainerTests : ClassifierTestBase
{
    [TestMethod]
    public void BinaryClassifierLearnsASeparableTask()
    {
        var model = Context.BinaryClassification.Trainers.TextClassification(Options())
            .Fit(Context.View(SyntheticText.Rows(240, seed: 1)));
        var metrics = Context.BinaryClassification.Evaluate(model.Transform(Context.View(SyntheticText.Rows(90, seed: 2))));
        Assert.IsTrue(metrics.Accuracy >= 0.95, $"accuracy {metrics.Accuracy}");
        Assert.IsTrue(metrics.AreaUnderRocCurve >= 0.98, $"AUC {metrics.AreaUnderRocCurve}");
        CollectionAssert.AreEqual(new[] { "False", "True" }, model.LabelNames.ToArray());
    }

    [TestMethod]
    public void MulticlassClassifierLearnsTopicsAndKeepsTheLabelNames()
    {
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(240, seed: 1)));
        var model = Context.MulticlassClassification.Trainers.TextClassification(Options()).Fit(train);
        var scored = model.Transform(mapping.Transform(Context.View(SyntheticText.Rows(90, seed: 2))));
        var metrics = Context.MulticlassClassification.Evaluate(scored);
        Assert.IsTrue(metrics.MacroAccuracy >= 0.95, $"macro accuracy {metrics.MacroAccuracy}");
        CollectionAssert.AreEqual(SyntheticText.Topics, model.LabelNames.ToArray());
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref keyValues);
        CollectionAssert.AreEqual(SyntheticText.Topics, keyValues.DenseValues().Select(v => v.ToString()).ToArray());
        var probabilities = model.PredictProbabilities(SyntheticText.Sentence(new Tensors.Rng(9), "music"));
        Assert.AreEqual(1.0, probabilities.Sum(), 1e-5);
        Assert.AreEqual(1, Array.IndexOf(probabilities, probabilities.Max()));
    }

    [TestMethod]
    public void SentencePairsReadTheSecondText()
    {
        var options = Options() with { Sentence2ColumnName = nameof(TextRow.Pair) };
        var model = Context.BinaryClassification.Trainers.TextClassification(options).Fit(Context.View(SyntheticText.PairRows(240, seed: 1)));
        var metrics = Context.BinaryClassification.Evaluate(model.Transform(Context.View(SyntheticText.PairRows(90, seed: 2))));
        Assert.IsTrue(metrics.Accuracy >= 0.95, $"accuracy {metrics.Accuracy}");
        Assert.AreEqual(nameof(TextRow.Pair), model.Sentence2ColumnName);
    }

    [TestMethod]
    public void StartsFromACheckpointWithOrWithoutAHead()
    {
        var rows = Context.View(SyntheticText.Rows(240, seed: 1));
        var first = Context.BinaryClassification.Trainers.TextClassification(Options() with { Epochs = 1 }).Fit(rows);
        var withHead = Path.Combine(Directory, "with-head");
        first.SaveCheckpoint(withHead);
        var bare = Path.Combine(Directory, "bare");
        first.Model.Encoder.SavePretrained(bare);
        File.Copy(Vocabulary, Path.Combine(bare, "vocab.txt"));
        foreach (var checkpoint in new[] { withHead, bare })
        {
            var options = Options() with { ModelPath = checkpoint, TokenizerPath = null, LearningRate = 1e-3f };
            var model = Context.BinaryClassification.Trainers.TextClassification(options).Fit(rows);
            var metrics = Context.BinaryClassification.Evaluate(model.Transform(Context.View(SyntheticText.Rows(90, seed: 2))));
            Assert.IsTrue(metrics.Accuracy >= 0.95, $"{Path.GetFileName(checkpoint)}: accuracy {metrics.Accuracy}");
        }
    }

    [TestMethod]
    public void FrozenLayersNeverChange()
    {
        var rows = Context.View(SyntheticText.Rows(96, seed: 1));
        var shortRun = Context.BinaryClassification.Trainers.TextClassification(Options() with { FrozenLayers = 1, Epochs = 1 }).Fit(rows);
        var longRun = Context.BinaryClassification.Trainers.TextClassification(Options() with { FrozenLayers = 1, Epochs = 3 }).Fit(rows);
        foreach (var (a, b) in shortRun.Model.Parameters.Zip(longRun.Model.Parameters))
        {
            var frozen = a.Name.Contains("embeddings.") || a.Name.Contains("encoder.layer.0.");
            var same = a.Value.Span.SequenceEqual(b.Value.Span);
            Assert.AreEqual(frozen, same, $"{a.Name}: frozen {frozen}, unchanged {same}");
        }
    }

    [TestMethod]
    public void ClassWeightsShiftPredictionsTowardTheHeavyClass()
    {
        var rows = Context.View(SyntheticText.NoiseRows(160, seed: 1));
        double PositiveShare(TextClassificationOptions options)
        {
            var model = Context.BinaryClassification.Trainers.TextClassification(options).Fit(rows);
            var predictions = Context.Data.CreateEnumerable<BinaryPrediction>(model.Transform(rows), reuseRowObject: false);
            return predictions.Average(p => p.PredictedLabel ? 1.0 : 0.0);
        }
        var plain = PositiveShare(Options() with { Epochs = 2 });
        var weighted = PositiveShare(Options() with { Epochs = 2, ClassWeights = new Dictionary<string, float> { ["True"] = 10f } });
        Assert.IsTrue(weighted > 0.9 && plain < 0.5, $"positive share {weighted} weighted, {plain} plain");
    }

    [TestMethod]
    public void ValidationKeepsTheBestWeights()
    {
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(120, seed: 1)));
        var validation = mapping.Transform(Context.View(SyntheticText.Rows(60, seed: 2)));
        var options = Options() with { Epochs = 5, LearningRate = 3e-3f, EarlyStoppingPatience = 2, ValidationSet = validation };
        var model = Context.MulticlassClassification.Trainers.TextClassification(options).Fit(train);
        var history = model.TrainingHistory!;
        var best = history.Validations.OrderByDescending(v => v.Result.Accuracy).ThenBy(v => v.Result.Loss).First();
        Assert.AreEqual(best.Step, history.BestStep);
        var metrics = Context.MulticlassClassification.Evaluate(model.Transform(validation));
        Assert.AreEqual(best.Result.Accuracy!.Value, metrics.MicroAccuracy, 1e-9);
    }

    [TestMethod]
    public void ProgressReportsPreparationStepsValidationsAndCompletion()
    {
        var reports = new List<TrainingProgress>();
        var rows = Context.View(SyntheticText.Rows(64, seed: 1));
        var options = Options() with
        {
            Epochs = 2, Progress = new Tests.Training.SynchronousProgress(reports.Add), ValidationSet = Context.View(SyntheticText.Rows(20, seed: 2)),
        };
        Context.BinaryClassification.Trainers.TextClassification(options).Fit(rows);
        Assert.AreEqual(TrainingPhase.Preparing, reports[0].Phase);
        Assert.AreEqual(0, reports.Single(r => r.TruncatedRowCount is not null).TruncatedRowCount, "no synthetic text reaches 32 tokens");
        CollectionAssert.AreEqual(Enumerable.Range(1, 8).ToArray(),
            reports.Where(r => r.Phase == TrainingPhase.Training).Select(r => r.Step).ToArray());
        Assert.AreEqual(2, reports.Count(r => r.Phase == TrainingPhase.Validating && r.Validation?.Accuracy is not null));
        Assert.AreEqual(TrainingPhase.Completed, reports[^1].Phase);
    }

    [TestMethod]
    public void ASeedInTheOptionsOverridesTheContextsSeed()
    {
        var rows = Context.View(SyntheticText.Rows(64, seed: 1));
        var options = Options() with { Epochs = 1, DegreeOfParallelism = 2 };
        var a = new MLContext(seed: 1).BinaryClassification.Trainers.TextClassification(options).Fit(rows);
        var b = new MLContext(seed: 2).BinaryClassification.Trainers.TextClassification(options).Fit(rows);
        var c = new MLContext(seed: 1).BinaryClassification.Trainers.TextClassification(options with { Seed = 4 }).Fit(rows);
        Assert.IsTrue(SameWeights(a, b));
        Assert.IsFalse(SameWeights(a, c));
    }

    [TestMethod]
    public void WithoutASeedInTheOptionsTheContextsSeedFixesTheModel()
    {
        var rows = Context.View(SyntheticText.Rows(48, seed: 1));
        var options = Options() with { Epochs = 1, DegreeOfParallelism = 2, Seed = null };
        TextClassificationTransformer Fit(int seed) => new MLContext(seed).BinaryClassification.Trainers.TextClassification(options).Fit(rows);
        var (a, b, c) = (Fit(7), Fit(7), Fit(8));
        Assert.IsTrue(SameWeights(a, b), "the same context seed gives the same bits");
        Assert.IsFalse(SameWeights(a, c), "another context seed gives other weights");
    }

    [TestMethod]
    public void ResumedFineTuningEndsWithTheSameWeights()
    {
        var rows = Context.View(SyntheticText.Rows(64, seed: 1));
        var options = Options() with { Epochs = 2, DegreeOfParallelism = 2 };
        var reference = Context.BinaryClassification.Trainers.TextClassification(options).Fit(rows);

        using var cancel = new CancellationTokenSource();
        var interrupted = options with
        {
            CheckpointDirectory = Path.Combine(Directory, "checkpoints"), CheckpointEverySteps = 2, CancellationToken = cancel.Token,
            Progress = new Tests.Training.SynchronousProgress(p => { if (p.Step == 5) cancel.Cancel(); }),
        };
        Assert.Throws<OperationCanceledException>(() => Context.BinaryClassification.Trainers.TextClassification(interrupted).Fit(rows));
        var resumed = Context.BinaryClassification.Trainers.TextClassification(
            interrupted with { Progress = null, CancellationToken = CancellationToken.None }).Fit(rows);
        foreach (var (a, b) in reference.Model.Parameters.Zip(resumed.Model.Parameters))
            CollectionAssert.AreEqual(a.Value.Span.ToArray(), b.Value.Span.ToArray(), a.Name);
        Assert.AreEqual(reference.TrainingHistory!.ToJson(), resumed.TrainingHistory!.ToJson());
    }
}

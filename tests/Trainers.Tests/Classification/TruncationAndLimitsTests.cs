using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>Texts longer than MaxTokens are counted when cut; a MaxTokens beyond the model's positions is refused.</summary>
[TestClass]
public sealed class TruncationAndLimitsTests : ClassifierTestBase
{
    private const int MaxTokens = 8;
    private const int SpecialTokens = 2; // [CLS] ... [SEP]

    private static int LongerThanTheLimit(IEnumerable<TextRow> rows) =>
        rows.Count(r => SyntheticText.WordCount(r.Text) + SpecialTokens > MaxTokens);

    [TestMethod]
    public void TruncatedRowsAreCountedAtTrainingAndAtPrediction()
    {
        var (train, test) = (SyntheticText.Rows(64, seed: 1), SyntheticText.Rows(40, seed: 2));
        var reports = new List<TrainingProgress>();
        var options = Options() with { MaxTokens = MaxTokens, Epochs = 1, Progress = new Tests.Training.SynchronousProgress(reports.Add) };
        var model = Context.BinaryClassification.Trainers.TextClassification(options).Fit(Context.View(train));
        Assert.IsTrue(LongerThanTheLimit(train) is > 0 and < 64, "the data has texts on both sides of the limit");
        Assert.AreEqual(LongerThanTheLimit(train), model.TrainingHistory!.TruncatedRowCount);
        Assert.AreEqual(LongerThanTheLimit(train), reports.Single(r => r.TruncatedRowCount is not null).TruncatedRowCount);

        Assert.AreEqual(0, model.TruncatedRowCount);
        _ = Context.Data.CreateEnumerable<BinaryPrediction>(model.Transform(Context.View(test)), reuseRowObject: false).ToList();
        Assert.AreEqual(LongerThanTheLimit(test), model.TruncatedRowCount);
    }

    [TestMethod]
    public void MaxTokensBeyondAFreshPresetsPositionsIsRefused()
    {
        var trainer = Context.BinaryClassification.Trainers.TextClassification(Options() with { MaxTokens = 100_000 });
        var error = Assert.Throws<InvalidOptionException>(() => trainer.Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        Assert.AreEqual($"Option MaxTokens must be at most {BertPresets.DefaultMaxPositionEmbeddings} (the positions of a fresh 'tiny' model), "
            + "got 100000.", error.Message);
    }

    [TestMethod]
    public void MaxTokensBeyondACheckpointsPositionsIsRefused()
    {
        var checkpoint = Checkpoint(maxPositions: 64);
        var trainer = Context.BinaryClassification.Trainers.TextClassification(Options() with { ModelPath = checkpoint, TokenizerPath = null, MaxTokens = 100 });
        var error = Assert.Throws<InvalidOptionException>(() => trainer.Fit(Context.View(SyntheticText.Rows(8, seed: 1))));
        Assert.AreEqual($"Option MaxTokens must be at most 64 (the checkpoint's max_position_embeddings, in {Path.Combine(checkpoint, "config.json")}), "
            + "got 100.", error.Message);
    }

    [TestMethod]
    public void TheShortOverloadFineTunesACheckpointWithTorchSharpsParameters()
    {
        var checkpoint = Checkpoint(maxPositions: 64);
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(32, seed: 1, "sports", "music"))); // the checkpoint's head has 2 classes
        var validation = mapping.Transform(Context.View(SyntheticText.Rows(12, seed: 2, "sports", "music")));
        var trainer = Context.MulticlassClassification.Trainers.TextClassification(
            sentence1ColumnName: nameof(TextRow.Text), batchSize: 16, maxEpochs: 2, modelPath: checkpoint, validationSet: validation,
            scoreColumnName: "Scores", outputColumnName: "Topic2");
        var model = trainer.Fit(train);
        Assert.HasCount(2, model.TrainingHistory!.Validations);
        Assert.HasCount(4, model.TrainingHistory.Steps);
        Assert.AreEqual("Scores", model.ScoreColumnName);
        Assert.AreEqual(64, model.MaxTokens, "without a MaxTokens, the default 128 gives way to the checkpoint's 64 positions");
        var schema = model.Transform(train).Schema;
        Assert.IsNotNull(schema.GetColumnOrNull("Scores"));
        Assert.IsNotNull(schema.GetColumnOrNull("Topic2"));
    }

    [TestMethod]
    public void TheShortOverloadsHaveTorchSharpsParametersWithModelPathForArchitecture()
    {
        (string Name, object? Default)[] torchSharp =
        [
            ("labelColumnName", "Label"), ("scoreColumnName", "Score"), ("outputColumnName", "PredictedLabel"),
            ("sentence1ColumnName", "Sentence1"), ("sentence2ColumnName", null), ("batchSize", 32), ("maxEpochs", 10),
            ("modelPath", null), ("validationSet", null),
        ];
        var overloads = typeof(TextClassificationCatalog).GetMethods().Where(m => m.Name == "TextClassification" && m.GetParameters().Length > 2).ToList();
        Assert.HasCount(2, overloads);
        foreach (var overload in overloads)
            CollectionAssert.AreEqual(torchSharp, overload.GetParameters().Skip(1).Select(p => (p.Name!, p.DefaultValue)).ToArray(), overload.ToString());
    }

    /// <summary>A fresh tiny checkpoint of the synthetic vocabulary with <paramref name="maxPositions"/> positions.</summary>
    private string Checkpoint(int maxPositions)
    {
        var directory = Path.Combine(Directory, "checkpoint");
        var vocabularySize = File.ReadAllLines(Vocabulary).Length;
        var model = new BertForSequenceClassification(BertPresets.Create("tiny", vocabularySize, maxPositions));
        model.Initialize(1);
        model.SavePretrained(directory);
        File.Copy(Vocabulary, Path.Combine(directory, "vocab.txt"));
        return directory;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Trainers.Classification;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>
/// The classifier among ML.NET's own components: its loaders, conversions, evaluators and cross-validation. Each
/// metric ML.NET computes is checked against the same metric counted here from the predictions.
/// </summary>
[TestClass]
public sealed class MLNetPipelineTests : ClassifierTestBase
{
    /// <summary>A scored multiclass row after <c>MapKeyToValue("PredictedLabel")</c>.</summary>
    private sealed class TopicPrediction
    {
        public string Topic { get; set; } = "";
        public uint Label { get; set; }
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    /// <summary>A labelled binary row with the classifier's outputs.</summary>
    private sealed class ScoredBinaryRow
    {
        public bool Label { get; set; }
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    /// <summary>A row of the TSV file the pipeline test writes.</summary>
    private sealed class TsvRow
    {
        [LoadColumn(0)] public string Text { get; set; } = "";
        [LoadColumn(1)] public string Topic { get; set; } = "";
    }

    [TestMethod]
    public void TheTutorialPatternEvaluatesAsCountedByHand()
    {
        var model = TutorialPipeline().Fit(Context.View(SyntheticText.Rows(96, seed: 1)));
        var scored = model.Transform(Context.View(SyntheticText.Rows(45, seed: 2)));
        var metrics = Context.MulticlassClassification.Evaluate(scored);

        var rows = Context.Data.CreateEnumerable<TopicPrediction>(scored, reuseRowObject: false).ToList();
        Assert.HasCount(45, rows);
        Assert.IsTrue(rows.All(r => SyntheticText.Topics.Contains(r.PredictedLabel)), "MapKeyToValue gives back the topic names");
        var accuracy = rows.Average(r => r.PredictedLabel == r.Topic ? 1.0 : 0.0);
        var logLoss = rows.Average(r => -Math.Log(Math.Clamp(r.Score[r.Label - 1], 1e-15f, 1f)));
        Assert.AreEqual(accuracy, metrics.MicroAccuracy, 1e-12);
        Assert.AreEqual(logLoss, metrics.LogLoss, 1e-9);
        Assert.AreEqual(3, metrics.ConfusionMatrix.NumberOfClasses);
    }

    [TestMethod]
    public void BinaryEvaluationMatchesTheCountedAccuracy()
    {
        var model = Context.BinaryClassification.Trainers.TextClassification(OneEpoch()).Fit(Context.View(SyntheticText.Rows(96, seed: 1)));
        var scored = model.Transform(Context.View(SyntheticText.Rows(45, seed: 2)));
        var metrics = Context.BinaryClassification.Evaluate(scored);
        var rows = Context.Data.CreateEnumerable<ScoredBinaryRow>(scored, reuseRowObject: false).ToList();
        Assert.AreEqual(rows.Average(r => r.PredictedLabel == r.Label ? 1.0 : 0.0), metrics.Accuracy, 1e-12);
        var truePositives = rows.Count(r => r.PredictedLabel && r.Label);
        Assert.AreEqual(rows.Count(r => r.Label) == 0 ? 0 : (double)truePositives / rows.Count(r => r.Label), metrics.PositiveRecall, 1e-12);
        var logLoss = rows.Average(r => r.Label ? -Math.Log(r.Probability, 2) : -Math.Log(1.0 - r.Probability, 2));
        Assert.AreEqual(logLoss, metrics.LogLoss, 1e-9);
    }

    [TestMethod]
    public void CrossValidationEvaluatesEveryFoldAsCountedByHand()
    {
        var data = Context.View(SyntheticText.Rows(90, seed: 1));
        var folds = Context.MulticlassClassification.CrossValidate(data, TutorialPipeline(), numberOfFolds: 2);
        Assert.HasCount(2, folds);
        Assert.AreEqual(90, folds.Sum(f => f.ScoredHoldOutSet.GetColumn<string>(nameof(TextRow.Topic)).Count()));
        foreach (var fold in folds)
        {
            var rows = Context.Data.CreateEnumerable<TopicPrediction>(fold.ScoredHoldOutSet, reuseRowObject: false).ToList();
            Assert.AreEqual(rows.Average(r => r.PredictedLabel == r.Topic ? 1.0 : 0.0), fold.Metrics.MicroAccuracy, 1e-12, $"fold {fold.Fold}");
        }
    }

    [TestMethod]
    public void APipelineOnATsvFileTrainsAndScoresAsTheSameRowsInMemory()
    {
        var rows = SyntheticText.Rows(60, seed: 1);
        var path = Path.Combine(Directory, "train.tsv");
        File.WriteAllLines(path, ["Text\tTopic", .. rows.Select(r => $"{r.Text}\t{r.Topic}")]);
        var fromFile = Context.Data.LoadFromTextFile<TsvRow>(path, separatorChar: '\t', hasHeader: true);
        var inMemory = Context.View(rows);
        var fileModel = TutorialPipeline().Fit(fromFile);
        var memoryModel = TutorialPipeline().Fit(inMemory);
        Assert.IsTrue(SameWeights(Classifier(fileModel), Classifier(memoryModel)), "the same rows train the same bits whichever loader read them");

        var fileRows = Context.Data.CreateEnumerable<TopicPrediction>(fileModel.Transform(fromFile), reuseRowObject: false).ToList();
        var memoryRows = Context.Data.CreateEnumerable<TopicPrediction>(memoryModel.Transform(inMemory), reuseRowObject: false).ToList();
        Assert.HasCount(rows.Count, fileRows);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(rows[i].Topic, fileRows[i].Topic);
            CollectionAssert.AreEqual(memoryRows[i].Score, fileRows[i].Score, $"row {i}");
            Assert.AreEqual(memoryRows[i].PredictedLabel, fileRows[i].PredictedLabel);
        }
    }

    [TestMethod]
    public void TheEstimatorsOutputShapeIsTheFittedSchema()
    {
        var data = Context.View(SyntheticText.Rows(48, seed: 1));
        foreach (var (estimator, input) in new (IEstimator<ITransformer>, IDataView)[]
        {
            (Context.BinaryClassification.Trainers.TextClassification(OneEpoch()), data),
            (Context.MulticlassClassification.Trainers.TextClassification(OneEpoch()), Keyed(data).Train),
        })
        {
            var shape = estimator.GetOutputSchema(Shape(input.Schema));
            var fitted = Shape(estimator.Fit(input).Transform(input).Schema);
            Assert.AreEqual(fitted.Count(), shape.Count());
            foreach (var column in shape)
            {
                var actual = fitted.Single(c => c.Name == column.Name);
                Assert.AreEqual(column.Kind, actual.Kind, column.Name);
                Assert.AreEqual(column.ItemType, actual.ItemType, column.Name);
                Assert.AreEqual(column.IsKey, actual.IsKey, column.Name);
                CollectionAssert.AreEquivalent(column.Annotations.Select(a => a.Name).ToArray(), actual.Annotations.Select(a => a.Name).ToArray(), column.Name);
            }
        }
    }

    [TestMethod]
    public void ScoreColumnsCarryTheAnnotationsOfMLNetsOwnScorers()
    {
        var (train, mapping) = Keyed(Context.View(SyntheticText.Rows(48, seed: 1)));
        var scored = Context.MulticlassClassification.Trainers.TextClassification(OneEpoch()).Fit(train).Transform(train);
        var score = scored.Schema["Score"];
        var predicted = scored.Schema["PredictedLabel"];
        Assert.AreEqual("MulticlassClassification", Text(score, "ScoreColumnKind"));
        Assert.AreEqual("Score", Text(score, "ScoreValueKind"));
        Assert.AreEqual("PredictedLabel", Text(predicted, "ScoreValueKind"));
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        CollectionAssert.AreEqual(SyntheticText.Topics, names.DenseValues().Select(n => n.ToString()).ToArray());
        uint scoreSet = 0, predictedSet = 0;
        score.Annotations.GetValue("ScoreColumnSetId", ref scoreSet);
        predicted.Annotations.GetValue("ScoreColumnSetId", ref predictedSet);
        Assert.AreEqual(1u, scoreSet);
        Assert.AreEqual(scoreSet, predictedSet);
        Assert.AreEqual(3UL, ((KeyDataViewType)predicted.Type).Count);
    }

    /// <summary>The shape of the visible columns of <paramref name="schema"/> (ML.NET's SchemaShape.Create is internal).</summary>
    private static SchemaShape Shape(DataViewSchema schema) =>
        SchemaShapes.With(new SchemaShape([]), schema.Where(c => !c.IsHidden).Select(c => new DataViewSchema.DetachedColumn(c)));

    private static string Text(DataViewSchema.Column column, string kind)
    {
        ReadOnlyMemory<char> value = default;
        column.Annotations.GetValue(kind, ref value);
        return value.ToString();
    }
}

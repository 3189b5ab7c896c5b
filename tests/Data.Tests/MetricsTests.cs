using System.Text.Json;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Data.Tests;

[TestClass]
public sealed class MetricsTests
{
    private const double Tolerance = 1e-9;

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("Data.Tests", "fixtures", "metrics", name))).RootElement;

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => (float)v.GetDouble())];

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    public sealed class BinaryScored
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [TestMethod]
    public void BinaryMetricsEqualScikitLearn()
    {
        var fixture = Fixture("binary.json");
        var labels = fixture.GetProperty("label").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        var scores = Floats(fixture.GetProperty("score"));
        var probabilities = Floats(fixture.GetProperty("probability"));
        var predicted = fixture.GetProperty("predicted").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        var rows = labels.Select((l, i) => new BinaryScored { Label = l, Score = scores[i], Probability = probabilities[i], PredictedLabel = predicted[i] });
        var context = new TransformersContext(1);

        var metrics = context.BinaryClassification.Evaluate(context.Data.LoadFromEnumerable(rows));

        var expected = fixture.GetProperty("expected");
        Assert.AreEqual(expected.GetProperty("accuracy").GetDouble(), metrics.Accuracy, Tolerance);
        Assert.AreEqual(expected.GetProperty("auc").GetDouble(), metrics.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(expected.GetProperty("average_precision").GetDouble(), metrics.AreaUnderPrecisionRecallCurve, Tolerance);
        Assert.AreEqual(expected.GetProperty("positive_precision").GetDouble(), metrics.PositivePrecision, Tolerance);
        Assert.AreEqual(expected.GetProperty("positive_recall").GetDouble(), metrics.PositiveRecall, Tolerance);
        Assert.AreEqual(expected.GetProperty("negative_precision").GetDouble(), metrics.NegativePrecision, Tolerance);
        Assert.AreEqual(expected.GetProperty("negative_recall").GetDouble(), metrics.NegativeRecall, Tolerance);
        Assert.AreEqual(expected.GetProperty("f1").GetDouble(), metrics.F1Score, Tolerance);
        Assert.AreEqual(expected.GetProperty("log_loss").GetDouble(), metrics.LogLoss, Tolerance);
        Assert.AreEqual(expected.GetProperty("entropy").GetDouble(), metrics.Entropy, Tolerance);
        AssertCounts(expected.GetProperty("confusion"), metrics.ConfusionMatrix);
    }

    public sealed class BinaryDecided
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [TestMethod]
    public void NonCalibratedBinaryMetricsNeedNoProbabilities()
    {
        var fixture = Fixture("binary.json");
        var labels = fixture.GetProperty("label").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        var scores = Floats(fixture.GetProperty("score"));
        var predicted = fixture.GetProperty("predicted").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        var context = new TransformersContext(1);
        var data = context.Data.LoadFromEnumerable(labels.Select((l, i) => new BinaryDecided { Label = l, Score = scores[i], PredictedLabel = predicted[i] }));

        var metrics = context.BinaryClassification.EvaluateNonCalibrated(data);

        var expected = fixture.GetProperty("expected");
        Assert.AreEqual(expected.GetProperty("auc").GetDouble(), metrics.AreaUnderRocCurve, Tolerance);
        Assert.AreEqual(expected.GetProperty("f1").GetDouble(), metrics.F1Score, Tolerance);
        var error = Assert.ThrowsExactly<SchemaException>(() => context.BinaryClassification.Evaluate(data));
        StringAssert.Contains(error.Message, "Column 'Probability' (probability of binary evaluation) not found");
    }

    public sealed class MulticlassScored
    {
        [KeyType(4)]
        public uint Label { get; set; }
        [VectorType(4)]
        public float[] Score { get; set; } = [];
        [KeyType(4)]
        public uint PredictedLabel { get; set; }
    }

    [TestMethod]
    public void MulticlassMetricsEqualScikitLearn()
    {
        var fixture = Fixture("multiclass.json");
        var labels = fixture.GetProperty("label").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var scores = fixture.GetProperty("score").EnumerateArray().Select(Floats).ToArray();
        var predicted = fixture.GetProperty("predicted").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var rows = labels.Select((l, i) => new MulticlassScored { Label = (uint)l + 1, Score = scores[i], PredictedLabel = (uint)predicted[i] + 1 });
        var context = new TransformersContext(1);

        var metrics = context.MulticlassClassification.Evaluate(context.Data.LoadFromEnumerable(rows));

        var expected = fixture.GetProperty("expected");
        Assert.AreEqual(expected.GetProperty("micro_accuracy").GetDouble(), metrics.MicroAccuracy, Tolerance);
        Assert.AreEqual(expected.GetProperty("macro_accuracy").GetDouble(), metrics.MacroAccuracy, Tolerance);
        Assert.AreEqual(expected.GetProperty("log_loss").GetDouble(), metrics.LogLoss, Tolerance);
        double prior = expected.GetProperty("prior_log_loss").GetDouble();
        Assert.AreEqual((prior - metrics.LogLoss) / prior, metrics.LogLossReduction, Tolerance);
        AssertSequence(Doubles(expected.GetProperty("per_class_log_loss")), metrics.PerClassLogLoss);
        AssertSequence(Doubles(expected.GetProperty("precision")), metrics.ConfusionMatrix.PerClassPrecision);
        AssertSequence(Doubles(expected.GetProperty("recall")), metrics.ConfusionMatrix.PerClassRecall);
        AssertSequence(Doubles(expected.GetProperty("f1")), metrics.ConfusionMatrix.PerClassF1Score);
        AssertCounts(expected.GetProperty("confusion"), metrics.ConfusionMatrix);
    }

    public sealed class NamedPrediction
    {
        public string Label { get; set; } = "";
        public string Predicted { get; set; } = "";
        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }

    [TestMethod]
    public void ConfusionTableShowsClassNamesCountsRecallAndPrecision()
    {
        var context = new TransformersContext(1);
        string[] sorted = ["bird", "cat", "dog"];
        var rows = new[] { ("cat", "cat"), ("cat", "dog"), ("dog", "dog"), ("bird", "bird") }.Select(p => new NamedPrediction
        {
            Label = p.Item1,
            Predicted = p.Item2,
            Score = [.. sorted.Select(name => name == p.Item2 ? 1f : 0f)],
        });
        var data = context.Data.LoadFromEnumerable(rows);
        var scored = context.Transforms.Conversion
            .MapValueToKey([new InputOutputColumnPair("Label"), new InputOutputColumnPair("PredictedLabel", "Predicted")], keyOrdinality: KeyOrdinality.ByValue)
            .Fit(data).Transform(data);

        var metrics = context.MulticlassClassification.Evaluate(scored);
        string table = metrics.ConfusionMatrix.GetFormattedConfusionTable();

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(sorted, metrics.ConfusionMatrix.ClassNames.ToArray());
        StringAssert.Contains(lines[0], "dog");
        StringAssert.Contains(lines[0], "Recall");
        Assert.HasCount(2 + 3 + 1, lines, table);
        StringAssert.Matches(lines[3], new System.Text.RegularExpressions.Regex(@"^\s*cat \|\s+0\s+1\s+1 \| 0\.5000$"), table);
        StringAssert.Matches(lines[^1], new System.Text.RegularExpressions.Regex(@"^\s*Precision \|\s+1\.0000\s+1\.0000\s+0\.5000 \| $"), table);
        Assert.AreEqual(0.75, metrics.MicroAccuracy, Tolerance);
    }

    private static void AssertSequence(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], Tolerance, $"item {i}");
    }

    private static void AssertCounts(JsonElement expected, ConfusionMatrix actual)
    {
        var rows = expected.EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.AreEqual(rows.Length, actual.NumberOfClasses);
        for (int r = 0; r < rows.Length; r++) CollectionAssert.AreEqual(rows[r], actual.Counts[r].ToArray(), $"row {r}");
    }
}

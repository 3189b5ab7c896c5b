using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The featurizer among ML.NET's own components: after and before its transforms, and feeding its trainers in a
/// pipeline read by its TextLoader and scored by its evaluator.
/// </summary>
[TestClass]
public sealed class MLNetPipelineTests
{
    private const int TrainRows = 600;
    private const int TestRows = 200;

    /// <summary>The words of the fixture vocabulary that carry sentiment (the rest of a sentence is mostly unknown to it).</summary>
    private static readonly HashSet<string> Positive = ["good", "great", "brilliant", "funny", "loved", "liked"];
    private static readonly HashSet<string> Negative = ["bad", "awful", "boring", "dull", "hated"];

    private sealed class SentimentRow
    {
        [LoadColumn(0)] public string Sentence { get; set; } = "";
        [LoadColumn(1)] public string Label { get; set; } = "";
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    [TestMethod]
    public void MLNetTransformsFeedTheEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var punctuated = EmbedFixture.Texts.Select(text => new Review { Other = string.Join(" ", text.Split(' ').Select(word => word + "!")) });
        var data = ml.Data.LoadFromEnumerable(punctuated);

        var model = ml.Transforms.Text.NormalizeText("Text", "Other", keepPunctuations: false)
            .Append(ml.Transforms.Text.ApplyTextEmbedding("Features", "Text", EmbedFixture.ModelDirectory))
            .Fit(data);

        EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), TestData.Features(ml, model.Transform(data)), "punctuation removed by ML.NET");
    }

    [TestMethod]
    public void TheEmbeddingFeedsMLNetTransforms()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Review.Of(EmbedFixture.Texts));
        var unnormalized = new TextEmbeddingOptions { ModelPath = EmbedFixture.ModelDirectory, Normalize = false };

        var model = ml.Transforms.Text.ApplyTextEmbedding("Embedding", "Text", unnormalized)
            .Append(ml.Transforms.NormalizeLpNorm("Unit", "Embedding"))
            .Append(ml.Transforms.Concatenate("Features", "Unit", "Rating"))
            .Fit(data);

        var expected = EmbedFixture.Expected("truncate.mean.normalized").Select((vector, row) => (float[])[.. vector, row]).ToArray();
        EmbedFixture.AssertClose(expected, TestData.Features(ml, model.Transform(data)), "unit length by ML.NET, then the rating");
    }

    [TestMethod]
    [DataRow("SdcaMaximumEntropy")]
    [DataRow("LbfgsMaximumEntropy")]
    public void EmbeddingsOfRealReviewsTrainAnMLNetClassifier(string trainerName)
    {
        var ml = new MLContext(seed: 1);
        var sst2 = TestPaths.SharedPath("data", "sst2");
        using var trainFile = new TempFile(".tsv");
        using var testFile = new TempFile(".tsv");
        var trained = WriteSentiment(Path.Combine(sst2, "train.tsv"), TrainRows, trainFile.Path, exclude: []);
        var testLabels = WriteSentiment(Path.Combine(sst2, "dev.tsv"), TestRows, testFile.Path, exclude: [.. trained.Select(row => row.Sentence)])
            .Select(row => row.Label).ToList();
        var train = ml.Data.LoadFromTextFile<SentimentRow>(trainFile.Path, separatorChar: '\t', hasHeader: true);
        var test = ml.Data.LoadFromTextFile<SentimentRow>(testFile.Path, separatorChar: '\t', hasHeader: true);
        IEstimator<ITransformer> trainer = trainerName == "SdcaMaximumEntropy"
            ? ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()
            : ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy();

        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.ApplyTextEmbedding("Embedding", "Sentence", EmbedFixture.ModelDirectory))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.Concatenate("Features", "Embedding"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var predictions = ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Select(p => p.PredictedLabel).ToList();

        var majority = testLabels.GroupBy(label => label).Max(group => group.Count()) / (double)testLabels.Count;
        var accuracy = predictions.Where((predicted, row) => predicted == testLabels[row]).Count() / (double)testLabels.Count;
        Console.WriteLine($"{trainerName}: accuracy {metrics.MicroAccuracy:F3}, majority {majority:F3}");
        Assert.AreEqual(accuracy, metrics.MicroAccuracy, 1e-9, "ML.NET's accuracy is the share of predicted labels equal to the label");
        Assert.IsGreaterThan(majority + 0.1, metrics.MicroAccuracy, $"accuracy against always answering the majority class ({majority:F3})");
        CollectionAssert.AreEquivalent(new[] { "negative", "positive" }, predictions.Distinct().ToArray());
    }

    /// <summary>
    /// Writes a TSV (header, sentence, label) of the first <paramref name="count"/> sentences of an SST-2 file that
    /// hold a word of the fixture's sentiment vocabulary and fit its length, leaving out those in <paramref name="exclude"/>.
    /// </summary>
    private static List<(string Sentence, string Label)> WriteSentiment(string sst2File, int count, string path, HashSet<string> exclude)
    {
        var rows = File.ReadLines(sst2File).Skip(1)
            .Select(line => line.Split('\t'))
            .Select(fields => (Sentence: fields[0].Trim(), Label: fields[1] == "1" ? "positive" : "negative"))
            .Where(row => !EmbedFixture.IsLong(row.Sentence) && !exclude.Contains(row.Sentence)
                && row.Sentence.Split(' ').Any(w => Positive.Contains(w) || Negative.Contains(w)))
            .Take(count)
            .ToList();
        Assert.HasCount(count, rows, $"{sst2File}: sentences with sentiment words");
        File.WriteAllLines(path, ["Sentence\tLabel", .. rows.Select(row => $"{row.Sentence}\t{row.Label}")]);
        return rows;
    }
}

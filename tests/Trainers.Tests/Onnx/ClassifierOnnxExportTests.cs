using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tests.MLNetOnnx;
using MLNet.Transformers.Tests.Onnx;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Trainers.Tests.Onnx;

/// <summary>
/// Fine-tuned classifiers exported with <c>ExportOnnx</c>, run on real SST-2 dev sentences tokenized by the
/// classifier's own tokenizer: ONNX Runtime for .NET gives the classifier's logits and probabilities, and ML.NET's own
/// <c>ApplyOnnxModel</c> inside an ML.NET pipeline gives the probabilities of its <c>Score</c> column, within 1e-4;
/// the folder written is a checkpoint with the class names and the tokenizer.
/// </summary>
[TestClass]
public sealed class ClassifierOnnxExportTests
{
    private const int SentenceCount = 48;
    private const double Tolerance = 1e-4;

    /// <summary>How far from uniform (0.5) some probability must be, so that a wrong graph cannot pass by chance.</summary>
    private const double DecidedProbability = 0.1;

    private static IReadOnlyList<string> Sentences => Sst2.Sentences("dev", SentenceCount);

    [TestMethod]
    [DataRow(16)]
    [DataRow(1)]
    public void OnnxRuntimeGivesTheClassifiersLogitsAndProbabilities(int batchSize)
    {
        var (_, classifier, path) = Sst2Classifiers.Multiclass;
        var inputs = Sentences.Select(sentence => (sentence, (string?)null)).ToList();
        var (probabilities, logits) = classifier.Score(inputs); // (n, K) each, as one batch
        var classes = classifier.LabelNames.Count;
        using var session = OnnxRuntimeRunner.Open(path);
        double logitsError = 0, probabilitiesError = 0;

        foreach (var (chunk, index) in classifier.Encoder.Encode(inputs).Chunk(batchSize).Select((chunk, index) => (chunk, index)))
        {
            var exported = OnnxRuntimeRunner.Run(session, classifier.Encoder.Batch(chunk));
            var rows = new Range(index * batchSize * classes, (index * batchSize + chunk.Length) * classes);
            logitsError = Math.Max(logitsError, OnnxRuntimeRunner.MaxDifference(logits.AsSpan(rows), exported[OnnxExportNames.Logits]));
            probabilitiesError = Math.Max(probabilitiesError,
                OnnxRuntimeRunner.MaxDifference(probabilities.AsSpan(rows), exported[OnnxExportNames.Probabilities]));
        }

        Console.WriteLine($"batch size {batchSize}: largest difference of logits {logitsError:E2}, probabilities {probabilitiesError:E2}; "
            + $"probabilities from {probabilities.Min():F3} to {probabilities.Max():F3}");
        Assert.IsGreaterThan(DecidedProbability, probabilities.Max(p => Math.Abs(p - 0.5)), "the classifier decides some sentences");
        Assert.IsLessThanOrEqualTo(Tolerance, logitsError, "logits");
        Assert.IsLessThanOrEqualTo(Tolerance, probabilitiesError, "probabilities");
    }

    [TestMethod]
    public void MLNetApplyOnnxModelGivesThePipelinesScores()
    {
        var (pipeline, classifier, path) = Sst2Classifiers.Multiclass;
        var ml = new MLContext(seed: 1);
        var expected = pipeline.Transform(Sst2Classifiers.Scoring(ml, Sentences)).GetColumn<VBuffer<float>>(classifier.ScoreColumnName)
            .Select(score => score.DenseValues().ToArray()).ToList();

        var actual = ApplyOnnxModelRecipe.Run(path, Sentences, classifier.MaxTokens, OnnxExportNames.Probabilities);

        Assert.HasCount(Sentences.Count, actual);
        var largest = expected.Zip(actual, (e, a) => OnnxRuntimeRunner.MaxDifference(e, a)).Max();
        Console.WriteLine($"ApplyOnnxModel: largest difference {largest:E2} over {Sentences.Count} sentences padded to {classifier.MaxTokens} tokens");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    public void ABinaryClassifiersSecondProbabilityIsItsProbabilityColumn()
    {
        var (classifier, path) = Sst2Classifiers.Binary;
        var ml = new MLContext(seed: 1);
        var expected = classifier.Transform(Sst2Classifiers.Scoring(ml, Sentences)).GetColumn<float>(classifier.ProbabilityColumnName).ToList();

        var actual = ApplyOnnxModelRecipe.Run(path, Sentences, classifier.MaxTokens, OnnxExportNames.Probabilities);

        CollectionAssert.AreEqual(new[] { "False", "True" }, Labels(path));
        var largest = expected.Zip(actual, (e, a) => Math.Abs(e - a[1])).Max();
        Console.WriteLine($"binary: largest difference of P(True) {largest:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    public void TheFolderWrittenIsACheckpointWithTheClassNamesAndTheTokenizer()
    {
        var (_, classifier, path) = Sst2Classifiers.Multiclass;
        var folder = Path.GetDirectoryName(path)!;

        var loaded = BertForSequenceClassification.FromPretrained(path);
        var tokenizer = Tokenizer.Load(OnnxCheckpoint.FindTokenizer(path)!);

        CollectionAssert.AreEquivalent(new[] { "model.onnx", "config.json", "vocab.txt" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEquivalent(new[] { "negative", "positive" }, Labels(path));
        CollectionAssert.AreEqual(classifier.LabelNames.ToArray(), Labels(path));
        CollectionAssert.AreEqual(classifier.LabelNames.ToArray(), loaded.Config.Labels.ToArray());
        CollectionAssert.AreEqual(File.ReadAllBytes(Sst2Classifiers.Vocabulary), File.ReadAllBytes(Path.Combine(folder, "vocab.txt")));
        var inputs = Sentences.Select(sentence => (sentence, (string?)null)).ToList();
        var encoded = classifier.Encoder.Encode(inputs);
        CollectionAssert.AreEqual(encoded.SelectMany(e => e.Ids).ToArray(), tokenizer.EncodeBatch(Sentences, new EncodingSettings { Truncation = new TruncationOptions { MaxLength = classifier.MaxTokens } }).SelectMany(e => e.Ids).ToArray());
        var batch = classifier.Encoder.Batch(encoded);
        Assert.IsTrue(Bits(classifier.Model.Forward(batch, training: false).Span).SequenceEqual(Bits(loaded.Forward(batch, training: false).Span)),
            "the model loaded from the export computes the classifier's bits");
    }

    [TestMethod]
    public void APathThatIsNotAnOnnxFileIsRefusedAndNothingIsWritten()
    {
        var folder = Directory.CreateTempSubdirectory("mlnet-onnx-refused-").FullName;
        try
        {
            var path = Path.Combine(folder, "model.zip");

            var error = Assert.ThrowsExactly<ArgumentException>(() => Sst2Classifiers.Binary.Classifier.ExportOnnx(path));

            StringAssert.Contains(error.Message, path);
            StringAssert.Contains(error.Message, ".onnx");
            Assert.IsEmpty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The class names (<c>id2label</c>) of the <c>config.json</c> written beside the export, in id order.</summary>
    private static string[] Labels(string path)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "config.json")))!;
        var labels = config["id2label"]!.AsObject();
        return [.. Enumerable.Range(0, labels.Count).Select(id => labels[id.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.GetValue<string>())];
    }

    private static ReadOnlySpan<int> Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values);
}

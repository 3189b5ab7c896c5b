using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx.Export;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// The real all-MiniLM-L6-v2 (../shared) exported once per test run: as the embedder its sentence-transformers
/// config describes, and as a classifier with a seeded random head of three labels; with real SST-2 dev sentences
/// tokenized by our tokenizer.
/// </summary>
internal static class ExportedMiniLm
{
    public const int Hidden = 384;
    public const int PadTokenId = 0;
    public const ulong HeadSeed = 7;
    public static readonly string[] Labels = ["negative", "neutral", "positive"];

    /// <summary>A head this wide gives logits of a few units, so the probabilities are far from uniform.</summary>
    private const float HeadWeightStd = 0.5f;

    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("mlnet-onnx-export-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });

    private static readonly Lazy<(SentenceEncoder Model, string Path)> EmbedderExport = new(() =>
    {
        var encoder = SentenceEncoder.FromPretrained(Checkpoint);
        var path = Path.Combine(Folder.Value, "embedder", "model.onnx");
        OnnxExporter.Export(encoder, path);
        return (encoder, path);
    });

    private static readonly Lazy<(BertForSequenceClassification Model, string Path)> ClassifierExport = new(() =>
    {
        var model = BertForSequenceClassification.FromPretrained(Checkpoint, HeadSeed, Labels);
        var rng = new Rng(HeadSeed);
        foreach (var weight in model.Head.Parameters) rng.FillNormal(weight.Value.Span, 0f, HeadWeightStd);
        var path = Path.Combine(Folder.Value, "classifier", "model.onnx");
        OnnxExporter.Export(model, path);
        return (model, path);
    });

    /// <summary>The shared checkpoint directory.</summary>
    public static string Checkpoint => TestPaths.SharedPath("models", "all-MiniLM-L6-v2");

    /// <summary>The embedder (mean pooling, normalised) and its exported file.</summary>
    public static (SentenceEncoder Model, string Path) Embedder => EmbedderExport.Value;

    /// <summary>The classifier (pooler, three labels) and its exported file.</summary>
    public static (BertForSequenceClassification Model, string Path) Classifier => ClassifierExport.Value;

    /// <summary>
    /// The first <paramref name="count"/> sentences of SST-2 dev, tokenized one by one: unpadded (the tokenizer.json
    /// pads a batch to its longest, which would leave <see cref="EncoderBatch.Pad"/> no padding to mask).
    /// </summary>
    public static IReadOnlyList<EncodingResult> Sentences(int count)
    {
        var tokenizer = Tokenizer();
        return [.. Sst2.Sentences("dev", count).Select(sentence => tokenizer.Encode(sentence))];
    }

    /// <summary>Pairs of consecutive SST-2 dev sentences (token types 0 then 1), tokenized one by one, unpadded.</summary>
    public static IReadOnlyList<EncodingResult> SentencePairs(int count)
    {
        var (tokenizer, sentences) = (Tokenizer(), Sst2.Sentences("dev", count + 1));
        return [.. sentences.Zip(sentences.Skip(1), (first, second) => tokenizer.Encode(first, second))];
    }

    /// <summary>Right-padded batches of <paramref name="batchSize"/> encodings each.</summary>
    public static IEnumerable<EncoderBatch> Batches(IReadOnlyList<EncodingResult> encodings, int batchSize) =>
        encodings.Chunk(batchSize).Select(chunk => EncoderBatch.Pad([.. chunk.Select(e => e.Ids)], [.. chunk.Select(e => e.TypeIds)], PadTokenId));

    private static Tokenizer Tokenizer() => Tokenizers.Tokenizer.Load(Path.Combine(Checkpoint, "tokenizer.json"));
}

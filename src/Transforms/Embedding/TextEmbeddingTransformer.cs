using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Transforms;

[assembly: LoadableClass(typeof(TextEmbeddingTransformer), null, typeof(SignatureLoadModel), "Text embedding", TextEmbeddingTransformer.LoaderSignature)]

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Adds a float-vector column holding the sentence embedding of a text column (or of a pair of text columns).
/// Lazy: nothing is computed until a cursor moves. A cursor reads <see cref="SortWindowReads"/> ×
/// <see cref="TextEmbedder.DataParallelInputs"/> rows at a time (enough for every thread to run batches of
/// <see cref="TextEmbeddingSettings.BatchSize"/> of its own, several times over), length-sorts them into batches, and
/// serves them in input order; a prediction engine maps one row per call.
/// <c>mlContext.Model.Save</c> stores the whole model (settings, config, weights, tokenizer) inside the pipeline zip.
/// </summary>
public sealed class TextEmbeddingTransformer : BatchTransformer
{
    /// <summary>The name ML.NET finds the loader by (ML.NET stores at most 24 characters).</summary>
    internal const string LoaderSignature = "MLNet.TextEmbedding";
    internal const string Role = "input of ApplyTextEmbedding";
    private const string ColumnsEntry = "columns.json";
    private static readonly ModelFormat StoredFormat = new("TXTEMBED", TextTransformFormats.Version, TextTransformFormats.Version,
        LoaderSignature, typeof(TextEmbeddingTransformer).Assembly);

    /// <summary>Embeds <paramref name="inputColumnName"/> (and <paramref name="pairColumnName"/>, when given) into <paramref name="outputColumnName"/>.</summary>
    public TextEmbeddingTransformer(TextEmbedder embedder, string outputColumnName, string inputColumnName, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        Embedder = embedder;
        Columns = new TextEmbeddingColumns(outputColumnName, inputColumnName, pairColumnName);
    }

    /// <summary>The model.</summary>
    public TextEmbedder Embedder { get; }

    /// <summary>The columns read and written.</summary>
    public TextEmbeddingColumns Columns { get; }

    /// <summary>Rows whose text was longer than the maximum tokens and got truncated, over every transform so far.</summary>
    public long TruncatedRowCount => Embedder.TruncatedCount;

    /// <summary>
    /// Exports the embedding network to ONNX with its settings (pooling, normalisation) and, beside it, the files that
    /// make it a checkpoint: see <see cref="TextEmbedder.ExportOnnx"/>. The graph reads token ids, not the text columns:
    /// tokenize first (<c>TokenizeForTransformer</c> with the tokenizer files beside the export).
    /// </summary>
    /// <param name="path">The model file to write; its name ends in <c>.onnx</c>. A missing folder is created.</param>
    /// <returns>The full paths of the files written, the model last.</returns>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public IReadOnlyList<string> ExportOnnx(string path) => Embedder.ExportOnnx(path);

    /// <inheritdoc />
    protected override ModelFormat Format => StoredFormat;

    /// <inheritdoc />
    protected override BatchMapper CreateMapper(DataViewSchema inputSchema)
    {
        var (text, pair) = TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, Role);
        return new Mapper(this, inputSchema, text, pair);
    }

    /// <inheritdoc />
    protected override void SaveModel(ModelWriter writer)
    {
        writer.WriteJson(ColumnsEntry, Columns);
        Embedder.Save(writer);
    }

    /// <summary>The loader <c>mlContext.Model.Load</c> calls (found through the assembly's <c>LoadableClass</c> registration).</summary>
    /// <summary>
    /// How many data-parallel reads (<see cref="TextEmbedder.DataParallelInputs"/> rows each) a cursor takes at once.
    /// The embedder sorts the rows it is given by length, so a wider window pads less: 8 (1,024 rows at batch 32 on 2
    /// threads) ran SST-2 dev at 0.94 of the file-wide sorted speed in <c>bench/run embed</c>, one read at 0.56.
    /// </summary>
    public const int SortWindowReads = 8;

    private static TextEmbeddingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var reader = ModelReader.Open(ctx, StoredFormat);
        var columns = reader.ReadJson<TextEmbeddingColumns>(ColumnsEntry);
        TextColumns.RequireNames(reader, ColumnsEntry, columns.Output, columns.Input);
        return new TextEmbeddingTransformer(TextEmbedder.Load(reader), columns.Output, columns.Input, columns.Pair);
    }

    private sealed class Mapper(TextEmbeddingTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column text, DataViewSchema.Column? pair)
        : BatchMapper(inputSchema,
            [new DataViewSchema.DetachedColumn(parent.Columns.Output, new VectorDataViewType(NumberDataViewType.Single, parent.Embedder.Dimension))],
            parent.Embedder.DataParallelInputs * SortWindowReads)
    {
        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => pair is { } p ? [text, p] : [text];

        public override void MapBatch(RowBatch batch)
        {
            var texts = TextColumns.Strings(batch.GetInput<ReadOnlyMemory<char>>(text));
            var pairs = pair is { } p ? TextColumns.Strings(batch.GetInput<ReadOnlyMemory<char>>(p)) : null;
            var vectors = parent.Embedder.Embed(texts, pairs);
            var output = batch.GetOutput<VBuffer<float>>(0);
            for (var row = 0; row < vectors.Length; row++) output[row] = new VBuffer<float>(vectors[row].Length, vectors[row]);
        }
    }
}

/// <summary>The columns of a text embedding.</summary>
/// <param name="Output">The vector column written.</param>
/// <param name="Input">The text column read.</param>
/// <param name="Pair">The second text column of pairs, or null.</param>
public sealed record TextEmbeddingColumns(string Output, string Input, string? Pair);

using MLNet.Transformers.Data;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Adds a float-vector column holding the sentence embedding of a text column (or of a pair of text columns).
/// Rows are read <see cref="TextEmbedder.DataParallelInputs"/> at a time (enough for every thread to run batches of
/// <see cref="TextEmbeddingSettings.BatchSize"/> of its own), length-sorted into batches, and served in input order. Saved with the whole model (config, weights, tokenizer) inside the pipeline zip.
/// </summary>
public sealed class TextEmbeddingTransformer : RowToRowTransformerBase, IModelComponent<TextEmbeddingTransformer>
{
    internal const string Role = "input of ApplyTextEmbedding";
    private const string ColumnsEntry = "columns.json";

    /// <summary>Embeds <paramref name="inputColumnName"/> (and <paramref name="pairColumnName"/>, when given) into <paramref name="outputColumnName"/>.</summary>
    public TextEmbeddingTransformer(TextEmbedder embedder, string outputColumnName, string inputColumnName, string? pairColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        Embedder = embedder;
        Columns = new TextEmbeddingColumns(outputColumnName, inputColumnName, pairColumnName);
    }

    /// <inheritdoc />
    public static string ComponentName => "TextEmbedding";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <summary>The model.</summary>
    public TextEmbedder Embedder { get; }

    /// <summary>The columns read and written.</summary>
    public TextEmbeddingColumns Columns { get; }

    /// <summary>Rows whose text was longer than the maximum tokens and got truncated, over every transform so far.</summary>
    public long TruncatedRowCount => Embedder.TruncatedCount;

    /// <inheritdoc />
    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema)
    {
        var (text, pair) = TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, Role);
        return new Mapper(this, inputSchema, text, pair);
    }

    /// <inheritdoc />
    public override void Save(ModelSaveContext ctx)
    {
        ctx.WriteJson(ColumnsEntry, Columns);
        Embedder.Save(ctx);
    }

    /// <inheritdoc />
    public static TextEmbeddingTransformer Load(ModelLoadContext ctx)
    {
        var columns = ctx.ReadJson<TextEmbeddingColumns>(ColumnsEntry);
        return new TextEmbeddingTransformer(TextEmbedder.Load(ctx), columns.Output, columns.Input, columns.Pair);
    }

    private sealed class Mapper(TextEmbeddingTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column text, DataViewSchema.Column? pair)
        : BatchRowMapper(inputSchema,
            [new DataViewSchema.DetachedColumn(parent.Columns.Output, new VectorDataViewType(NumberDataViewType.Single, parent.Embedder.Dimension))],
            parent.Embedder.DataParallelInputs)
    {
        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => pair is { } p ? [text, p] : [text];

        protected override void MapBatch(RowBatch batch)
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

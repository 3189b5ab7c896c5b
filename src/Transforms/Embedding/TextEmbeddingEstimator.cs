using MLNet.Transformers.Data;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Turns a text column (or a pair of text columns) into a sentence-embedding vector column with a pretrained
/// checkpoint. Nothing is learned: <see cref="Fit"/> loads the model (once) and checks the columns.
/// </summary>
public sealed class TextEmbeddingEstimator : IEstimator<TextEmbeddingTransformer>
{
    private readonly Lazy<TextEmbedder> _embedder;

    /// <summary>Embeds <paramref name="inputColumnName"/> (with <paramref name="pairColumnName"/>) into <paramref name="outputColumnName"/>.</summary>
    public TextEmbeddingEstimator(string outputColumnName, string inputColumnName, TextEmbeddingOptions options, string? pairColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        Columns = new TextEmbeddingColumns(outputColumnName, inputColumnName, pairColumnName);
        Options = options;
        _embedder = new Lazy<TextEmbedder>(() => TextEmbedder.FromPretrained(options));
    }

    /// <summary>The columns read and written.</summary>
    public TextEmbeddingColumns Columns { get; }

    /// <summary>The model and its settings.</summary>
    public TextEmbeddingOptions Options { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, TextEmbeddingTransformer.Role);
        return inputSchema.With(new SchemaShape.Column(Columns.Output, SchemaShape.VectorKind.Vector, NumberDataViewType.Single, false, []));
    }

    /// <inheritdoc />
    public TextEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new TextEmbeddingTransformer(_embedder.Value, Columns.Output, Columns.Input, Columns.Pair);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Turns a text column (or a pair of text columns) into a sentence-embedding vector column with a pretrained
/// checkpoint. Nothing is learned and no row is read: <see cref="Fit"/> checks the columns and loads the model (once,
/// shared by every fit of this estimator).
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

    /// <summary>
    /// The input shape with the embedding column added: a known-size vector of <see cref="float"/> (its width is the
    /// model's, so the model is loaded here if no fit has loaded it yet).
    /// </summary>
    /// <exception cref="SchemaException">An input column is missing or is not text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, TextEmbeddingTransformer.Role);
        var type = new VectorDataViewType(NumberDataViewType.Single, _embedder.Value.Dimension);
        return SchemaShapes.With(inputSchema, [new DataViewSchema.DetachedColumn(Columns.Output, type)]);
    }

    /// <inheritdoc />
    /// <exception cref="SchemaException">An input column is missing or is not text.</exception>
    public TextEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TextColumns.Require(input.Schema, Columns.Input, Columns.Pair, TextEmbeddingTransformer.Role);
        return new TextEmbeddingTransformer(_embedder.Value, Columns.Output, Columns.Input, Columns.Pair);
    }
}

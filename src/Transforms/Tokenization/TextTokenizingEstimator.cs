using MLNet.Transformers.Data;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>Tokenizes a text column (or pair) into ids, attention mask and type ids columns; nothing is learned.</summary>
public sealed class TextTokenizingEstimator : IEstimator<TextTokenizingTransformer>
{
    private readonly TextTokenizingOptions _options;

    /// <summary>Writes the ids of <paramref name="inputColumnName"/> (with <paramref name="pairColumnName"/>) to <paramref name="outputColumnName"/>.</summary>
    public TextTokenizingEstimator(string outputColumnName, string inputColumnName, TextTokenizingOptions options, string? pairColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Columns = new TextTokenizingColumns(outputColumnName, options.AttentionMaskColumnName, options.TypeIdsColumnName, inputColumnName,
            pairColumnName, options.MaximumTokens, options.BatchSize);
    }

    /// <summary>The columns read and written.</summary>
    public TextTokenizingColumns Columns { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, TextTokenizingTransformer.Role);
        return inputSchema.With([.. new[] { Columns.Ids, Columns.AttentionMask, Columns.TypeIds }.Select(name =>
            new SchemaShape.Column(name, SchemaShape.VectorKind.VariableVector, NumberDataViewType.Int32, false, []))]);
    }

    /// <inheritdoc />
    public TextTokenizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new TextTokenizingTransformer(TokenizerFiles.FromPath(_options.TokenizerPath), Columns);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }
}

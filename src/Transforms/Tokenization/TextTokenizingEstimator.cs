using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>Tokenizes a text column (or pair) into ids, attention mask and type ids columns; nothing is learned.</summary>
public sealed class TextTokenizingEstimator : IEstimator<TextTokenizingTransformer>
{
    private readonly TextTokenizingOptions _options;

    /// <summary>Writes the ids of <paramref name="inputColumnName"/> (with <paramref name="pairColumnName"/>) to <paramref name="outputColumnName"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="TextTokenizingOptions.PadToMaximumTokens"/> is set without <see cref="TextTokenizingOptions.MaximumTokens"/>.</exception>
    public TextTokenizingEstimator(string outputColumnName, string inputColumnName, TextTokenizingOptions options, string? pairColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Columns = new TextTokenizingColumns(outputColumnName, options.AttentionMaskColumnName, options.TypeIdsColumnName, inputColumnName,
            pairColumnName, options.MaximumTokens, options.BatchSize, options.PadToMaximumTokens);
        TextTokenizingTransformer.RequireLengthToPadTo(Columns);
    }

    /// <summary>The columns read and written.</summary>
    public TextTokenizingColumns Columns { get; }

    /// <summary>
    /// The input shape with the ids, attention mask and type ids columns added (<c>Int32</c> vectors: of
    /// <see cref="TextTokenizingOptions.MaximumTokens"/> when padded to it, else of variable size).
    /// </summary>
    /// <exception cref="SchemaException">An input column is missing or is not text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumns.Require(inputSchema, Columns.Input, Columns.Pair, TextTokenizingTransformer.Role);
        return SchemaShapes.With(inputSchema, [.. new[] { Columns.Ids, Columns.AttentionMask, Columns.TypeIds }
            .Select(name => new DataViewSchema.DetachedColumn(name, Columns.ColumnType))]);
    }

    /// <inheritdoc />
    /// <exception cref="SchemaException">An input column is missing or is not text.</exception>
    /// <exception cref="FileNotFoundException">No tokenizer is at <see cref="TextTokenizingOptions.TokenizerPath"/>.</exception>
    /// <exception cref="ArgumentException">Neither <see cref="TextTokenizingOptions.TokenizerPath"/> nor a tokenizer with files is given.</exception>
    public TextTokenizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TextColumns.Require(input.Schema, Columns.Input, Columns.Pair, TextTokenizingTransformer.Role);
        var (tokenizer, files) = LoadTokenizer(_options);
        return new TextTokenizingTransformer(files, tokenizer, Columns);
    }

    /// <summary>The tokenizer at the path, or the one of <see cref="TextTokenizingOptions.Tokenizer"/> with that path's special tokens.</summary>
    private static (Tokenizer Tokenizer, TokenizerFiles Files) LoadTokenizer(TextTokenizingOptions options)
    {
        const string pathOption = nameof(TextTokenizingOptions) + "." + nameof(TextTokenizingOptions.TokenizerPath);
        TokenizerFiles PathFiles() => TokenizerFiles.FromPath(options.TokenizerPath
            ?? throw new ArgumentException($"{pathOption} is not set: it names the tokenizer files (or, with a Microsoft tokenizer, "
                + "the files its special tokens come from).", nameof(options)));
        return ModelTokenizer.Resolve(options.Tokenizer, PathFiles, nameof(TextTokenizingOptions) + "." + nameof(TextTokenizingOptions.Tokenizer));
    }
}

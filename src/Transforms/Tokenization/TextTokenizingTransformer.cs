using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Transforms;

[assembly: LoadableClass(typeof(TextTokenizingTransformer), null, typeof(SignatureLoadModel), "Tokenization for transformers", TextTokenizingTransformer.LoaderSignature)]

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Adds the token ids, attention mask and token type ids (variable-size <c>Int32</c> vectors, special tokens
/// included, no padding) of a text column or pair of text columns, encoding <see cref="TextTokenizingColumns.BatchSize"/>
/// rows at a time. <c>mlContext.Model.Save</c> stores its tokenizer files inside the pipeline zip.
/// </summary>
public sealed class TextTokenizingTransformer : BatchTransformer
{
    /// <summary>The name ML.NET finds the loader by (ML.NET stores at most 24 characters).</summary>
    internal const string LoaderSignature = "MLNetTx.Tokenization";
    internal const string Role = "input of TokenizeForTransformer";
    private const string ColumnsEntry = "tokenizing.json";
    private static readonly ModelFormat StoredFormat = new("TXTTOKEN", TextTransformFormats.Version, TextTransformFormats.Version,
        LoaderSignature, typeof(TextTokenizingTransformer).Assembly);
    private static readonly VectorDataViewType IdsType = new(NumberDataViewType.Int32);

    private readonly TokenizerFiles _files;
    private readonly Tokenizer _tokenizer;

    internal TextTokenizingTransformer(TokenizerFiles files, Tokenizer tokenizer, TextTokenizingColumns columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns.BatchSize, 1, nameof(TextTokenizingOptions.BatchSize));
        if (columns.MaximumTokens is { } maximum) ArgumentOutOfRangeException.ThrowIfLessThan(maximum, 1, nameof(TextTokenizingOptions.MaximumTokens));
        _files = files;
        Columns = columns;
        _tokenizer = tokenizer;
        _tokenizer.Padding = null;
        _tokenizer.Truncation = columns.MaximumTokens is { } length ? new TruncationOptions { MaxLength = length } : null;
    }

    /// <summary>The columns read and written and the truncation length.</summary>
    public TextTokenizingColumns Columns { get; }

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
        TokenizerEntries.Save(writer, _files);
    }

    /// <summary>The loader <c>mlContext.Model.Load</c> calls (found through the assembly's <c>LoadableClass</c> registration).</summary>
    private static TextTokenizingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var reader = ModelReader.Open(ctx, StoredFormat);
        var columns = reader.ReadJson<TextTokenizingColumns>(ColumnsEntry);
        TextColumns.RequireNames(reader, ColumnsEntry, columns.Ids, columns.AttentionMask, columns.TypeIds, columns.Input);
        var (files, tokenizer) = TokenizerEntries.Load(reader);
        try
        {
            return new TextTokenizingTransformer(files, tokenizer, columns);
        }
        catch (ArgumentException error)
        {
            throw reader.Corrupt(ColumnsEntry, $"settings out of range ({error.Message})");
        }
    }

    private sealed class Mapper(TextTokenizingTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column text, DataViewSchema.Column? pair)
        : BatchMapper(inputSchema,
            [
                new DataViewSchema.DetachedColumn(parent.Columns.Ids, IdsType),
                new DataViewSchema.DetachedColumn(parent.Columns.AttentionMask, IdsType),
                new DataViewSchema.DetachedColumn(parent.Columns.TypeIds, IdsType),
            ],
            parent.Columns.BatchSize)
    {
        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => pair is { } p ? [text, p] : [text];

        public override void MapBatch(RowBatch batch)
        {
            var texts = TextColumns.Strings(batch.GetInput<ReadOnlyMemory<char>>(text));
            var pairs = pair is { } p ? TextColumns.Strings(batch.GetInput<ReadOnlyMemory<char>>(p)) : null;
            var inputs = new (string, string?)[batch.Count];
            for (var i = 0; i < inputs.Length; i++) inputs[i] = (texts[i], pairs?[i]);
            var encodings = parent._tokenizer.EncodeBatch(inputs);
            Fill(batch, 0, encodings, e => e.Ids);
            Fill(batch, 1, encodings, e => e.AttentionMask);
            Fill(batch, 2, encodings, e => e.TypeIds);
        }

        private static void Fill(RowBatch batch, int output, IReadOnlyList<EncodingResult> encodings, Func<EncodingResult, int[]> values)
        {
            if (!batch.IsOutputActive(output)) return;
            var slots = batch.GetOutput<VBuffer<int>>(output);
            for (var row = 0; row < slots.Length; row++)
            {
                var vector = values(encodings[row]);
                slots[row] = new VBuffer<int>(vector.Length, vector);
            }
        }
    }
}

/// <summary>The columns and settings of a tokenization transform.</summary>
/// <param name="Ids">The token ids column written.</param>
/// <param name="AttentionMask">The attention mask column written.</param>
/// <param name="TypeIds">The token type ids column written.</param>
/// <param name="Input">The text column read.</param>
/// <param name="Pair">The second text column, or null.</param>
/// <param name="MaximumTokens">The truncation length, or null.</param>
/// <param name="BatchSize">Rows encoded together.</param>
public sealed record TextTokenizingColumns(string Ids, string AttentionMask, string TypeIds, string Input, string? Pair, int? MaximumTokens, int BatchSize);

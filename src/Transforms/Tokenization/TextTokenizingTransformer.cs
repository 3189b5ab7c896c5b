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
/// Adds the token ids, attention mask and token type ids (<c>Int32</c> vectors, special tokens included: of variable
/// size, or padded to a known size with <see cref="TextTokenizingColumns.PadToMaximumTokens"/>) of a text column or
/// pair of text columns, encoding <see cref="TextTokenizingColumns.BatchSize"/> rows at a time. <c>mlContext.Model.Save</c> stores its tokenizer files inside the pipeline zip.
/// </summary>
public sealed class TextTokenizingTransformer : BatchTransformer
{
    /// <summary>The name ML.NET finds the loader by (ML.NET stores at most 24 characters).</summary>
    internal const string LoaderSignature = "MLNet.Tokenization";
    internal const string Role = "input of TokenizeForTransformer";
    private const string ColumnsEntry = "tokenizing.json";
    private static readonly ModelFormat StoredFormat = new("TXTTOKEN", TextTransformFormats.TokenizationVersion, TextTransformFormats.Version,
        LoaderSignature, typeof(TextTokenizingTransformer).Assembly);

    private readonly TokenizerFiles _files;
    private readonly Tokenizer _tokenizer;
    private readonly EncodingSettings _settings;

    internal TextTokenizingTransformer(TokenizerFiles files, Tokenizer tokenizer, TextTokenizingColumns columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns.BatchSize, 1, nameof(TextTokenizingOptions.BatchSize));
        if (columns.MaximumTokens is { } maximum) ArgumentOutOfRangeException.ThrowIfLessThan(maximum, 1, nameof(TextTokenizingOptions.MaximumTokens));
        RequireLengthToPadTo(columns);
        _files = files;
        Columns = columns;
        _tokenizer = tokenizer;
        _settings = new EncodingSettings
        {
            Padding = columns.PadToMaximumTokens ? FixedPadding(tokenizer, columns.MaximumTokens!.Value) : null,
            Truncation = columns.MaximumTokens is { } length ? new TruncationOptions { MaxLength = length } : null,
        };
    }

    /// <summary>Refuses padding without a length to pad to.</summary>
    /// <exception cref="ArgumentException"><see cref="TextTokenizingColumns.PadToMaximumTokens"/> is set without <see cref="TextTokenizingColumns.MaximumTokens"/>.</exception>
    internal static void RequireLengthToPadTo(TextTokenizingColumns columns)
    {
        if (columns.PadToMaximumTokens && columns.MaximumTokens is null)
            throw new ArgumentException($"{nameof(TextTokenizingOptions.PadToMaximumTokens)} pads to {nameof(TextTokenizingOptions.MaximumTokens)}, which is not set.",
                nameof(TextTokenizingOptions.MaximumTokens));
    }

    /// <summary>
    /// Padding to <paramref name="length"/> tokens with the padding token the tokenizer's own file names (a
    /// <c>tokenizer.json</c>'s padding section), else its <c>[PAD]</c> or <c>&lt;pad&gt;</c> token, else id 0.
    /// </summary>
    private static PaddingOptions FixedPadding(Tokenizer tokenizer, int length)
    {
        var own = tokenizer.Settings.Padding ?? new PaddingOptions { PadId = tokenizer.TokenToId("[PAD]") ?? tokenizer.TokenToId("<pad>") ?? 0 };
        return own with { FixedLength = length, PadToMultipleOf = null, Direction = PaddingDirection.Right };
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
                new DataViewSchema.DetachedColumn(parent.Columns.Ids, parent.Columns.ColumnType),
                new DataViewSchema.DetachedColumn(parent.Columns.AttentionMask, parent.Columns.ColumnType),
                new DataViewSchema.DetachedColumn(parent.Columns.TypeIds, parent.Columns.ColumnType),
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
            var encodings = parent._tokenizer.EncodeBatch(inputs, parent._settings);
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
/// <param name="PadToMaximumTokens">Whether every encoding is padded to <paramref name="MaximumTokens"/> (known-size vectors).</param>
public sealed record TextTokenizingColumns(string Ids, string AttentionMask, string TypeIds, string Input, string? Pair, int? MaximumTokens, int BatchSize,
    bool PadToMaximumTokens = false)
{
    /// <summary>The type of the three columns: <c>Int32</c> vectors of <see cref="MaximumTokens"/> when padded to it, else of variable size.</summary>
    internal VectorDataViewType ColumnType => PadToMaximumTokens && MaximumTokens is { } length
        ? new VectorDataViewType(NumberDataViewType.Int32, length)
        : new VectorDataViewType(NumberDataViewType.Int32);
}

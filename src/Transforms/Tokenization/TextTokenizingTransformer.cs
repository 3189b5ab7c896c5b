using MLNet.Transformers.Data;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Adds the token ids, attention mask and token type ids (variable-size <c>Int32</c> vectors, special tokens
/// included, no padding) of a text column or pair of text columns. Saved with its tokenizer files inside the zip.
/// </summary>
public sealed class TextTokenizingTransformer : RowToRowTransformerBase, IModelComponent<TextTokenizingTransformer>
{
    internal const string Role = "input of TokenizeText";
    private const string ColumnsEntry = "tokenizing.json";
    private static readonly VectorDataViewType IdsType = new(NumberDataViewType.Int32);

    private readonly TokenizerFiles _files;
    private readonly Tokenizer _tokenizer;

    internal TextTokenizingTransformer(TokenizerFiles files, TextTokenizingColumns columns)
    {
        _files = files;
        Columns = columns;
        ArgumentOutOfRangeException.ThrowIfLessThan(columns.BatchSize, 1, nameof(TextTokenizingOptions.BatchSize));
        _tokenizer = files.Load();
        _tokenizer.Padding = null;
        _tokenizer.Truncation = columns.MaximumTokens is { } length ? new TruncationOptions { MaxLength = length } : null;
    }

    /// <inheritdoc />
    public static string ComponentName => "TextTokenizing";

    /// <inheritdoc />
    public static int FormatVersion => 1;

    /// <summary>The columns read and written and the truncation length.</summary>
    public TextTokenizingColumns Columns { get; }

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
        TokenizerEntries.Save(ctx, _files);
    }

    /// <inheritdoc />
    public static TextTokenizingTransformer Load(ModelLoadContext ctx) =>
        new(TokenizerEntries.Load(ctx), ctx.ReadJson<TextTokenizingColumns>(ColumnsEntry));

    private sealed class Mapper(TextTokenizingTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column text, DataViewSchema.Column? pair)
        : BatchRowMapper(inputSchema,
            [
                new DataViewSchema.DetachedColumn(parent.Columns.Ids, IdsType),
                new DataViewSchema.DetachedColumn(parent.Columns.AttentionMask, IdsType),
                new DataViewSchema.DetachedColumn(parent.Columns.TypeIds, IdsType),
            ],
            parent.Columns.BatchSize)
    {
        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => pair is { } p ? [text, p] : [text];

        protected override void MapBatch(RowBatch batch)
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

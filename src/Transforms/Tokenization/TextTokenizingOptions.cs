namespace MLNet.Transformers;

/// <summary>How <c>TokenizeForTransformer</c> encodes a text column.</summary>
public sealed record TextTokenizingOptions
{
    /// <summary>Default of <see cref="AttentionMaskColumnName"/>.</summary>
    public const string DefaultAttentionMaskColumnName = "AttentionMask";

    /// <summary>Default of <see cref="TypeIdsColumnName"/>.</summary>
    public const string DefaultTypeIdsColumnName = "TokenTypeIds";

    /// <summary>Default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// A checkpoint directory, a <c>tokenizer.json</c>, a <c>vocab.txt</c>, or a folder with <c>vocab.json</c> +
    /// <c>merges.txt</c>. Required, unless <see cref="Tokenizer"/> is an
    /// <see cref="Tokenizers.Interop.HuggingFaceTokenizer"/> loaded from files.
    /// </summary>
    public string? TokenizerPath { get; init; }

    /// <summary>
    /// A <c>Microsoft.ML.Tokenizers</c> tokenizer to cut text into ids instead of <see cref="TokenizerPath"/>'s (one that
    /// only that library reads: SentencePiece, Tiktoken ...); null (the default) uses the files. The special tokens and
    /// type ids still come from <see cref="TokenizerPath"/>'s files (of a <c>tokenizer.json</c> only its added tokens and
    /// post-processor are read). A transform given one cannot be saved, unless it is an
    /// <see cref="Tokenizers.Interop.HuggingFaceTokenizer"/> loaded from files (those files are saved, and it runs
    /// whole: its own special tokens; <see cref="TokenizerPath"/> is then not needed).
    /// </summary>
    public Microsoft.ML.Tokenizers.Tokenizer? Tokenizer { get; init; }

    /// <summary>Truncate each encoding (special tokens included) to this many tokens; null (the default) for no truncation.</summary>
    public int? MaximumTokens { get; init; }

    /// <summary>
    /// Pad every encoding to <see cref="MaximumTokens"/> (required then) with the tokenizer's padding token and mask 0,
    /// so that the three columns are vectors of that known size: what ML.NET's <c>ApplyOnnxModel</c> needs to run an
    /// exported model (docs/onnx.md). Default false: no padding, variable-size vectors.
    /// </summary>
    public bool PadToMaximumTokens { get; init; }

    /// <summary>The column of attention masks (1 per token). Default <see cref="DefaultAttentionMaskColumnName"/>.</summary>
    public string AttentionMaskColumnName { get; init; } = DefaultAttentionMaskColumnName;

    /// <summary>The column of token type (segment) ids. Default <see cref="DefaultTypeIdsColumnName"/>.</summary>
    public string TypeIdsColumnName { get; init; } = DefaultTypeIdsColumnName;

    /// <summary>Rows encoded together (in parallel). Default <see cref="DefaultBatchSize"/>.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;
}

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

    /// <summary>A checkpoint directory, a <c>tokenizer.json</c>, a <c>vocab.txt</c>, or a folder with <c>vocab.json</c> + <c>merges.txt</c>. Required.</summary>
    public required string TokenizerPath { get; init; }

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

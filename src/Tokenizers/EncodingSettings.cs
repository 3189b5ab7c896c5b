namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// How one encode call finishes its encodings: truncation, the post-processor's special tokens, padding. A
/// <see cref="Tokenizer"/> holds the settings of its file (<see cref="Tokenizer.Settings"/>: the <c>truncation</c> and
/// <c>padding</c> sections of a <c>tokenizer.json</c>) and every encode call may pass its own, so callers sharing one
/// tokenizer never change each other's results.
/// </summary>
public sealed record EncodingSettings
{
    /// <summary>No truncation, no padding, special tokens added: what a tokenizer without such sections does.</summary>
    public static EncodingSettings None { get; } = new();

    /// <summary>Truncation; null (the default) for none.</summary>
    public TruncationOptions? Truncation { get; init; }

    /// <summary>Padding; null (the default) for none.</summary>
    public PaddingOptions? Padding { get; init; }

    /// <summary>Let the post-processor add its special tokens (<c>[CLS]</c>, <c>[SEP]</c>, ...). Default true.</summary>
    public bool AddSpecialTokens { get; init; } = true;
}

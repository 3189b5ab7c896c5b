namespace MLNet.Transformers.Tokenizers;

/// <summary>Which side padding tokens go.</summary>
public enum PaddingDirection
{
    /// <summary>After the tokens.</summary>
    Right,

    /// <summary>Before the tokens.</summary>
    Left,
}

/// <summary>Padding, as the <c>padding</c> section of a <c>tokenizer.json</c> describes it.</summary>
public sealed record PaddingOptions
{
    /// <summary>Pad every encoding to this many tokens; null (the default) pads a batch to its longest encoding.</summary>
    public int? FixedLength { get; init; }

    /// <summary>Round the padded length up to a multiple of this; null (the default) for no rounding.</summary>
    public int? PadToMultipleOf { get; init; }

    /// <summary>Where padding goes. Default <see cref="PaddingDirection.Right"/>.</summary>
    public PaddingDirection Direction { get; init; } = PaddingDirection.Right;

    /// <summary>The id of the padding token. Default 0 (<c>[PAD]</c> in BERT vocabularies).</summary>
    public int PadId { get; init; }

    /// <summary>The type id of padding tokens. Default 0.</summary>
    public int PadTypeId { get; init; }

    /// <summary>The padding token's text. Default <c>[PAD]</c>.</summary>
    public string PadToken { get; init; } = "[PAD]";

    /// <summary>The length encodings get padded to, given the longest of the batch.</summary>
    internal int TargetLength(int longest)
    {
        var length = FixedLength ?? longest;
        if (PadToMultipleOf is > 0 and var multiple && length % multiple != 0) length += multiple - length % multiple;
        return length;
    }
}

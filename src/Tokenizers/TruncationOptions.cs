namespace MLNet.Transformers.Tokenizers;

/// <summary>Which tokens truncation removes when a text or pair is longer than <see cref="TruncationOptions.MaxLength"/>.</summary>
public enum TruncationStrategy
{
    /// <summary>Shorten the longer sequence first (both end up about half the length when both are long).</summary>
    LongestFirst,

    /// <summary>Shorten only the first sequence.</summary>
    OnlyFirst,

    /// <summary>Shorten only the second sequence of a pair.</summary>
    OnlySecond,
}

/// <summary>Which end of a sequence truncation keeps.</summary>
public enum TruncationDirection
{
    /// <summary>Keep the beginning, cut the end.</summary>
    Right,

    /// <summary>Keep the end, cut the beginning.</summary>
    Left,
}

/// <summary>Truncation, as the <c>truncation</c> section of a <c>tokenizer.json</c> describes it.</summary>
public sealed record TruncationOptions
{
    /// <summary>The longest encoding, special tokens included. Required.</summary>
    public required int MaxLength { get; init; }

    /// <summary>How many tokens consecutive overflowing windows share. Default 0 (no overlap).</summary>
    public int Stride { get; init; }

    /// <summary>Which sequence of a pair gets shortened. Default <see cref="TruncationStrategy.LongestFirst"/>.</summary>
    public TruncationStrategy Strategy { get; init; } = TruncationStrategy.LongestFirst;

    /// <summary>Which end is kept. Default <see cref="TruncationDirection.Right"/> (keep the beginning).</summary>
    public TruncationDirection Direction { get; init; } = TruncationDirection.Right;
}

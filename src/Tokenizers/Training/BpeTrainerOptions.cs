namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>How a vocabulary is learned from a corpus (WordPiece and byte-level BPE alike).</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>The vocabulary size to reach, special tokens and alphabet included. Default 30,000.</summary>
    public int VocabularySize { get; init; } = 30_000;

    /// <summary>Pairs seen fewer times than this are never merged. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Tokens placed first in the vocabulary, ids 0, 1, ... in this order. Default none.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];
}

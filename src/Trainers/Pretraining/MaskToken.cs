using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>The mask token of a tokenizer: BERT's <c>[MASK]</c> or RoBERTa's <c>&lt;mask&gt;</c>.</summary>
public static class MaskToken
{
    /// <summary>The mask token texts looked for, in order.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["[MASK]", "<mask>"];

    /// <summary>The id of the tokenizer's mask token.</summary>
    /// <exception cref="InvalidDataException">The tokenizer has none.</exception>
    public static int IdIn(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (var candidate in Candidates)
            if (tokenizer.TokenToId(candidate) is { } id) return id;
        throw new InvalidDataException($"The tokenizer has no mask token ({string.Join(" or ", Candidates)}).");
    }
}

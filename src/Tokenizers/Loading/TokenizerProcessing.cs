using MLNet.Transformers.Tokenizers.Processing;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>What a model's tokenizer files say around the vocabulary: its added tokens, special-token template and truncation.</summary>
/// <param name="PostProcessor">The special tokens and type ids, or null for none.</param>
/// <param name="Truncation">The truncation the files set, or null.</param>
/// <param name="AddedTokens">The added tokens (<c>[CLS]</c>, <c>&lt;pad&gt;</c> ...).</param>
internal sealed record TokenizerProcessing(PostProcessor? PostProcessor, TruncationOptions? Truncation, IReadOnlyList<AddedToken> AddedTokens)
{
    /// <summary>The processing of a whole tokenizer.</summary>
    public static TokenizerProcessing Of(Tokenizer tokenizer) => new(tokenizer.PostProcessor, tokenizer.Settings.Truncation, tokenizer.AddedTokens);
}

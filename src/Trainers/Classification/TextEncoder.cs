using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Token ids and type ids of one text or text pair, special tokens included.</summary>
/// <param name="Ids">Token ids.</param>
/// <param name="TypeIds">Segment ids: 0 for the first text, 1 for the second.</param>
/// <param name="Truncated">Whether the text was longer than the encoder's token limit and was cut to fit.</param>
internal sealed record EncodedText(int[] Ids, int[] TypeIds, bool Truncated);

/// <summary>Tokenizes texts (truncated to a maximum length) and pads groups of them into encoder batches.</summary>
internal sealed class TextEncoder
{
    private readonly Tokenizer _tokenizer;
    private readonly EncodingSettings _settings;

    /// <summary>Encodes with <paramref name="tokenizer"/> (shared, unchanged), truncating at <paramref name="maxTokens"/>; padding is done here.</summary>
    public TextEncoder(Tokenizer tokenizer, int maxTokens, int padTokenId)
    {
        _tokenizer = tokenizer;
        _settings = new EncodingSettings { Truncation = new TruncationOptions { MaxLength = maxTokens } };
        PadTokenId = padTokenId;
    }

    /// <summary>The id that fills padding positions.</summary>
    public int PadTokenId { get; }

    /// <summary>
    /// Encodes every input (in parallel over the cores); the results are in input order. A text that encodes to no
    /// token (an empty text, with a tokenizer that adds no special tokens, as GPT-2's) reads as one padding token.
    /// </summary>
    public EncodedText[] Encode(IReadOnlyList<(string Text, string? Pair)> inputs)
    {
        var results = _tokenizer.EncodeBatch(inputs, _settings);
        return [.. results.Select(r => r.Ids.Length == 0
            ? new EncodedText([PadTokenId], [0], Truncated: false)
            : new EncodedText(r.Ids, r.TypeIds, Truncated: r.Overflowing.Count > 0))];
    }

    /// <summary>A batch of <paramref name="texts"/> padded to the longest of them: (B, T) ids, mask and type ids.</summary>
    public EncoderBatch Batch(IReadOnlyList<EncodedText> texts) =>
        EncoderBatch.Pad([.. texts.Select(t => t.Ids)], [.. texts.Select(t => t.TypeIds)], PadTokenId);

    /// <summary>The tokens of <paramref name="ids"/> as the tokenizer spells them (<c>[id]</c> for an id it has no token for).</summary>
    public string[] Tokens(IReadOnlyList<int> ids) => [.. ids.Select(id => _tokenizer.IdToToken(id) ?? $"[{id}]")];

    /// <summary>The id of the tokenizer's padding token (<c>[PAD]</c> or <c>&lt;pad&gt;</c>), or 0.</summary>
    public static int FindPadTokenId(Tokenizer tokenizer) =>
        tokenizer.TokenToId("[PAD]") ?? tokenizer.TokenToId("<pad>") ?? 0;
}

using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Tokenizers.Models;

namespace MLNet.Transformers.Tokenizers.Interop;

/// <summary>
/// A <c>Microsoft.ML.Tokenizers</c> tokenizer as the model stage of ours: each stretch of text between added tokens
/// goes to it whole (its own normalizer and pre-tokenizer run), without the special tokens it would add itself; our
/// truncation, post-processor (special tokens, type ids) and padding do the rest. Token offsets are its offsets
/// mapped to the original text where its normalizer keeps the text's length, else the whole stretch's span.
/// </summary>
internal sealed class MicrosoftTokenizerModel : TokenizerModel
{
    private readonly Microsoft.ML.Tokenizers.Tokenizer _tokenizer;

    /// <param name="tokenizer">The tokenizer; it is only read (Microsoft's tokenizers encode from many threads at once).</param>
    /// <param name="specialTokens">The special tokens the model's files name, the only entries of <see cref="Vocabulary"/>.</param>
    public MicrosoftTokenizerModel(Microsoft.ML.Tokenizers.Tokenizer tokenizer, IEnumerable<AddedToken> specialTokens)
    {
        _tokenizer = tokenizer;
        Size = MicrosoftVocabulary.Size(tokenizer);
        Vocabulary = new Vocabulary(specialTokens.Select(token => KeyValuePair.Create(token.Content, token.Id)).DistinctBy(entry => entry.Key));
    }

    /// <summary>The special tokens of the model's files; the tokenizer's own vocabulary is not listed (most of Microsoft's do not publish one).</summary>
    public override Vocabulary Vocabulary { get; }

    /// <summary>One more than the largest id the tokenizer emits (<see cref="MicrosoftVocabulary.Size"/>).</summary>
    public int Size { get; }

    /// <summary>The tokenizer's type, for messages.</summary>
    public string TokenizerName => _tokenizer.GetType().FullName!;

    internal override int CountWithAddedTokens(IEnumerable<int> addedIds) => Math.Max(Size, addedIds.DefaultIfEmpty(-1).Max() + 1);

    internal override void Tokenize(TextBuffer source, Range word, TokenList output)
    {
        var (start, length) = word.GetOffsetAndLength(source.Length);
        var text = source.Chars.AsSpan(start, length);
        var tokens = Encode(text, out var normalized);
        var aligned = normalized is null || normalized.Length == length;
        foreach (var token in tokens)
        {
            if ((uint)token.Id >= (uint)Size)
                throw new InvalidOperationException($"{TokenizerName} emitted id {token.Id}, outside its vocabulary of {Size}.");
            var (from, count) = aligned ? token.Offset.GetOffsetAndLength(length) : (0, 0);
            output.Add(token.Id,
                count > 0 ? source.Starts[start + from] : source.Starts[start],
                count > 0 ? source.Ends[start + from + count - 1] : source.Ends[start + length - 1]);
        }
    }

    /// <summary>The tokens of <paramref name="text"/> without the special tokens the tokenizer adds on its own.</summary>
    private IReadOnlyList<EncodedToken> Encode(ReadOnlySpan<char> text, out string? normalized) => _tokenizer switch
    {
        SentencePieceTokenizer sentencePiece => sentencePiece.EncodeToTokens(text, out normalized, addBeginningOfSentence: false, addEndOfSentence: false),
        CodeGenTokenizer codeGen => codeGen.EncodeToTokens(text, codeGen.AddPrefixSpace, addBeginningOfSentence: false, addEndOfSentence: false, normalizedText: out normalized),
        _ => _tokenizer.EncodeToTokens(text, out normalized), // BERT's adds [CLS] / [SEP] to ids only, not to tokens
    };

    /// <summary>Text of <paramref name="ids"/> through the tokenizer's own decoder.</summary>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids) ?? string.Empty;
}

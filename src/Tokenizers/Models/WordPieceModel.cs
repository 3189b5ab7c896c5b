using System.Text;

namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>
/// WordPiece (BERT): greedy longest-match-first from the start of the word, later pieces looked up with the
/// continuation prefix (<c>##</c>); a word with no complete cover, or longer than
/// <see cref="MaxInputCharsPerWord"/> code points, becomes the unknown token.
/// </summary>
public sealed class WordPieceModel : TokenizerModel
{
    /// <summary>Hugging Face's default for <see cref="MaxInputCharsPerWord"/>.</summary>
    public const int DefaultMaxInputCharsPerWord = 100;

    private readonly SpanTable _continuationLookup;
    private readonly int _unknownId;

    /// <summary>Creates the model.</summary>
    /// <param name="vocabulary">The vocabulary; must contain <paramref name="unknownToken"/>.</param>
    /// <param name="unknownToken">The token for words that cannot be covered. Default <c>[UNK]</c>.</param>
    /// <param name="continuingSubwordPrefix">The prefix marking a piece that continues a word. Default <c>##</c>.</param>
    /// <param name="maxInputCharsPerWord">Longer words (in code points) become the unknown token. Default 100.</param>
    public WordPieceModel(Vocabulary vocabulary, string unknownToken = "[UNK]", string continuingSubwordPrefix = "##",
        int maxInputCharsPerWord = DefaultMaxInputCharsPerWord)
    {
        Vocabulary = vocabulary;
        UnknownToken = unknownToken;
        ContinuingSubwordPrefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;
        if (!vocabulary.TryGetId(unknownToken, out _unknownId))
            throw new ArgumentException($"The WordPiece vocabulary has no unknown token '{unknownToken}'.", nameof(unknownToken));

        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocabulary.Entries)
            if (token.Length > continuingSubwordPrefix.Length && token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
                continuations[token[continuingSubwordPrefix.Length..]] = id;
        _continuationLookup = new SpanTable(continuations);
    }

    /// <inheritdoc/>
    public override Vocabulary Vocabulary { get; }

    /// <summary>The token for words that cannot be covered.</summary>
    public string UnknownToken { get; }

    /// <summary>The prefix marking a piece that continues a word.</summary>
    public string ContinuingSubwordPrefix { get; }

    /// <summary>Words longer than this many code points become the unknown token.</summary>
    public int MaxInputCharsPerWord { get; }

    internal override void Tokenize(TextBuffer source, Range word, TokenList output)
    {
        var (start, length) = word.GetOffsetAndLength(source.Length);
        var text = source.Chars.AsSpan(start, length);
        if (length > MaxInputCharsPerWord && CountCodePoints(text) > MaxInputCharsPerWord)
        {
            output.Add(_unknownId, source.Starts[start], source.Ends[start + length - 1]);
            return;
        }

        var firstToken = output.Count;
        var maxPiece = Vocabulary.MaxTokenLength;
        var position = 0;
        while (position < length)
        {
            var end = Math.Min(length, position + maxPiece);
            if (end < length && char.IsLowSurrogate(text[end])) end--;
            var table = position == 0 ? Vocabulary.Lookup : _continuationLookup;
            // Candidates of up to SpanTable.PackedLength ASCII characters are prefixes of one packed number.
            var packs = SpanTable.TryPack(text.Slice(position, Math.Min(end - position, SpanTable.PackedLength)), out var packed);
            var id = -1;
            while (end > position)
            {
                var pieceLength = end - position;
                var found = packs && pieceLength <= SpanTable.PackedLength
                    ? table.TryGetPacked(packed & LowBytes(pieceLength), pieceLength, out id)
                    : table.TryGetValue(text[position..end], out id);
                if (found) break;
                end--;
                if (end > position && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1])) end--;
            }
            if (end == position)
            {
                output.Truncate(firstToken);
                output.Add(_unknownId, source.Starts[start], source.Ends[start + length - 1]);
                return;
            }
            output.Add(id, source.Starts[start + position], source.Ends[start + end - 1]);
            position = end;
        }
    }

    /// <summary>The mask keeping the low <paramref name="count"/> bytes of a packed key: its first characters.</summary>
    private static ulong LowBytes(int count) => count == sizeof(ulong) ? ulong.MaxValue : (1UL << (8 * count)) - 1;

    private static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}

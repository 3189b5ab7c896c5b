using System.Buffers;
using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;
using MicrosoftTokenizer = Microsoft.ML.Tokenizers.Tokenizer;

namespace MLNet.Transformers.Tokenizers.Interop;

/// <summary>
/// One of our tokenizers (WordPiece, byte-level BPE: ids identical to Hugging Face <c>tokenizers</c>) as a
/// <c>Microsoft.ML.Tokenizers.Tokenizer</c>, so code written against that API (<c>EncodeToIds</c>,
/// <c>CountTokens</c>, <c>GetIndexByTokenCount</c>, <c>Decode</c>) gets Hugging Face's ids by swapping one constructor.
/// Ids, offsets and normalisation are those of <see cref="Tokenizer.Encode"/>; offsets are into the original text, so
/// <c>normalizedText</c> is always null. As in Microsoft's <c>BertTokenizer</c> (called as one), <c>EncodeToIds</c>
/// adds the special tokens (<see cref="AddSpecialTokens"/>, counted within <c>maxTokenCount</c>) while
/// <c>CountTokens</c> and <c>GetIndexByTokenCount</c> count the text's tokens only; unlike it, <c>EncodeToTokens</c>
/// adds them too. Token limits cut between words. The wrapped tokenizer's <see cref="Tokenizer.Settings"/> (truncation
/// and padding) are not applied (the API limits tokens through <c>maxTokenCount</c>). Thread-safe.
/// </summary>
public sealed class HuggingFaceTokenizer : MicrosoftTokenizer
{
    private HuggingFaceTokenizer(Tokenizer tokenizer, TokenizerFiles? files)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Inner = tokenizer;
        Files = files;
    }

    /// <summary>Wraps a tokenizer built in memory. A model given it runs, but cannot be saved (it has no files to carry).</summary>
    public HuggingFaceTokenizer(Tokenizer tokenizer) : this(tokenizer, files: null)
    {
    }

    /// <summary>
    /// Loads a tokenizer as <see cref="Tokenizer.Load"/> does (a checkpoint directory, <c>tokenizer.json</c>,
    /// <c>vocab.txt</c>, or <c>vocab.json</c> + <c>merges.txt</c>) and keeps its files, so a model given it saves them.
    /// </summary>
    public static HuggingFaceTokenizer Load(string path)
    {
        var files = TokenizerFiles.FromPath(path);
        return new HuggingFaceTokenizer(files.Load(), files);
    }

    /// <summary>The tokenizer doing the work.</summary>
    public Tokenizer Inner { get; }

    /// <summary>The files it was loaded from, or null when it was built in memory.</summary>
    public TokenizerFiles? Files { get; }

    /// <summary>Whether the post-processor's special tokens (<c>[CLS]</c>, <c>[SEP]</c> ...) are added by the base API's encode calls. Default true, as <see cref="Tokenizer.Encode"/> and Microsoft's <c>BertTokenizer</c> do.</summary>
    public bool AddSpecialTokens { get; init; } = true;

    /// <summary>The number of distinct token ids (<see cref="Tokenizer.VocabularySize"/>).</summary>
    public int VocabularySize => Inner.VocabularySize;

    /// <summary>The ids of <paramref name="text"/>, with or without special tokens.</summary>
    public IReadOnlyList<int> EncodeToIds(string text, bool addSpecialTokens) => Inner.EncodeToIds(text, addSpecialTokens);

    /// <summary>The tokens of <paramref name="text"/> (id, vocabulary text, offsets into <paramref name="text"/>), with or without special tokens.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Add the post-processor's special tokens.</param>
    /// <param name="normalizedText">Always null: offsets are into <paramref name="text"/> itself.</param>
    public IReadOnlyList<EncodedToken> EncodeToTokens(ReadOnlySpan<char> text, bool addSpecialTokens, out string? normalizedText)
    {
        normalizedText = null;
        return Tokens(Inner.EncodeUnpadded(text.ToString(), null, addSpecialTokens, truncation: null));
    }

    /// <inheritdoc />
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        RequireWholePipeline(settings);
        var (encoding, consumed) = Encode(text ?? textSpan.ToString(), settings, AddSpecialTokens, fromEnd: false);
        return new EncodeResults<EncodedToken> { Tokens = Tokens(encoding), NormalizedText = null, CharsConsumed = consumed };
    }

    /// <inheritdoc />
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        RequireWholePipeline(settings);
        var input = text ?? textSpan.ToString();
        var ids = Inner.EncodeToIds(input, AddSpecialTokens);
        if (ids.Length <= settings.MaxTokenCount) return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = input.Length };
        var (encoding, consumed) = Encode(input, settings, AddSpecialTokens, fromEnd: false);
        return new EncodeResults<int> { Tokens = encoding.Ids, NormalizedText = null, CharsConsumed = consumed };
    }

    /// <inheritdoc />
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        RequireWholePipeline(settings);
        var input = text ?? textSpan.ToString();
        var count = Inner.EncodeToIds(input, addSpecialTokens: false).Length;
        return count <= settings.MaxTokenCount ? count : Encode(input, settings, addSpecialTokens: false, fromEnd: false).Encoding.Length;
    }

    /// <inheritdoc />
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd,
        out string? normalizedText, out int tokenCount)
    {
        normalizedText = null;
        RequireWholePipeline(settings);
        var (encoding, index) = Encode(text ?? textSpan.ToString(), settings, addSpecialTokens: false, fromEnd);
        tokenCount = encoding.Length;
        return index;
    }

    /// <summary>The text of <paramref name="ids"/>, special tokens kept (Microsoft's and Hugging Face's default).</summary>
    public override string Decode(IEnumerable<int> ids) => Inner.Decode(ids, skipSpecialTokens: false);

    /// <summary>The text of <paramref name="ids"/>, special tokens left out when <paramref name="skipSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) => Inner.Decode(ids, skipSpecialTokens);

    /// <summary>
    /// Decodes into <paramref name="destination"/>: all of <paramref name="ids"/> when the text fits, else the longest
    /// prefix of them whose text does (<see cref="OperationStatus.DestinationTooSmall"/>); an id outside the vocabulary
    /// stops decoding there (<see cref="OperationStatus.InvalidData"/>).
    /// </summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var all = ids.ToArray();
        var known = Array.FindIndex(all, id => Inner.IdToToken(id) is null) is var unknown and >= 0 ? unknown : all.Length;
        var text = Decode(all.Take(known));
        var status = known < all.Length ? OperationStatus.InvalidData : OperationStatus.Done;
        if (text.Length > destination.Length)
        {
            // The longest prefix whose text fits: decoded text grows with the ids it is given.
            var (fits, tooLong) = (0, known);
            while (tooLong - fits > 1)
            {
                var middle = fits + (tooLong - fits) / 2;
                if (Decode(all.Take(middle)).Length <= destination.Length) fits = middle;
                else tooLong = middle;
            }
            (known, text, status) = (fits, Decode(all.Take(fits)), OperationStatus.DestinationTooSmall);
        }
        text.CopyTo(destination);
        (idsConsumed, charsWritten) = (known, text.Length);
        return status;
    }

    /// <summary>
    /// The encoding of the text within <c>settings.MaxTokenCount</c> tokens (special tokens included) and where it
    /// ends in the text (from the end: where it starts). Longer encodings are cut as Hugging Face truncates (token by
    /// token), then moved back until the cut falls between words, as Microsoft's tokenizers cut, so the tokens kept
    /// are exactly those of the text on their side of the index.
    /// </summary>
    private (EncodingResult Encoding, int Index) Encode(string input, EncodeSettings settings, bool addSpecialTokens, bool fromEnd)
    {
        var whole = Inner.EncodeUnpadded(input, null, addSpecialTokens, truncation: null);
        if (whole.Length <= settings.MaxTokenCount) return (whole, fromEnd ? 0 : input.Length);
        var special = addSpecialTokens ? Inner.PostProcessor?.AddedTokenCount(isPair: false) ?? 0 : 0;
        var direction = fromEnd ? TruncationDirection.Left : TruncationDirection.Right;
        var wordStarts = Inner.WordStarts(input);
        for (var length = settings.MaxTokenCount; length >= special; length--)
        {
            var cut = Inner.EncodeUnpadded(input, null, addSpecialTokens, new TruncationOptions { MaxLength = length, Direction = direction });
            if (CutIndex(cut, fromEnd, wordStarts, input.Length) is { } index) return (cut.WithOffsets(cut.Offsets, []), index);
        }
        return (EncodingResult.Empty, fromEnd ? input.Length : 0); // not even the special tokens fit
    }

    /// <summary>Refuses settings that would skip a stage of our pipeline, and a token limit below one.</summary>
    private static void RequireWholePipeline(EncodeSettings settings)
    {
        if (!settings.ConsiderNormalization || !settings.ConsiderPreTokenization)
            throw new NotSupportedException("Our tokenizers always normalize and pre-tokenize as their files say; considerNormalization and considerPreTokenization must be true.");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.MaxTokenCount, 0, nameof(settings.MaxTokenCount));
    }

    /// <summary>
    /// Where a truncated encoding's kept text tokens end (from the end: start; with none kept, the text's start or end), or null when the cut splits a word
    /// (Microsoft's tokenizers keep whole words) or a character (byte-level tokens of one character).
    /// </summary>
    private static int? CutIndex(EncodingResult cut, bool fromEnd, HashSet<int> wordStarts, int textLength)
    {
        var kept = TextOffsets(cut).ToArray();
        var dropped = TextOffsets(cut.Overflowing[0]).ToArray();
        if (kept.Length == 0) return fromEnd ? textLength : 0;
        if (fromEnd)
        {
            var start = kept[0].Start;
            return wordStarts.Contains(start) && dropped.All(offset => offset.End <= start) ? start : null;
        }
        var end = kept.Max(offset => offset.End);
        return dropped.Length > 0 && wordStarts.Contains(dropped[0].Start) && dropped.All(offset => offset.Start >= end) ? end : null;
    }

    private static IEnumerable<TokenOffset> TextOffsets(EncodingResult encoding) =>
        encoding.Offsets.Where((_, i) => encoding.SpecialTokensMask[i] == 0);

    private List<EncodedToken> Tokens(EncodingResult encoding)
    {
        var tokens = new List<EncodedToken>(encoding.Length);
        for (var i = 0; i < encoding.Length; i++)
        {
            var offset = encoding.Offsets[i];
            tokens.Add(new EncodedToken(encoding.Ids[i], Inner.IdToToken(encoding.Ids[i]) ?? string.Empty, new Range(offset.Start, offset.End)));
        }
        return tokens;
    }
}

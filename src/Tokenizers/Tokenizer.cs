using System.Collections.Concurrent;
using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Interop;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;
using MLNet.Transformers.Tokenizers.PreTokenization;
using MLNet.Transformers.Tokenizers.Processing;

namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// Text to token ids and back, the pipeline of Hugging Face <c>tokenizers</c>: added tokens are split out of the
/// raw text, the rest is normalized, pre-tokenized into words and cut into tokens by the model; then truncation,
/// the post-processor's special tokens and padding. Thread-safe: one instance serves parallel encoders.
/// </summary>
public sealed class Tokenizer
{
    /// <summary>Inputs per work item when a batch is encoded in parallel.</summary>
    private const int BatchChunkSize = 64;

    private readonly AddedTokenMatcher _originalMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly Dictionary<string, AddedToken> _addedByContent;

    [ThreadStatic] private static EncodeScratch? t_scratch;

    /// <summary>Assembles a tokenizer from its parts.</summary>
    /// <param name="model">Cuts words into tokens.</param>
    /// <param name="normalizer">Rewrites text first; null leaves it as is.</param>
    /// <param name="preTokenizer">Splits normalized text into words; null keeps it as one word.</param>
    /// <param name="postProcessor">Adds special tokens and type ids; null concatenates a pair with type ids 0 and 1.</param>
    /// <param name="decoder">Turns tokens back into text; null joins them with spaces.</param>
    /// <param name="addedTokens">Tokens matched in the text before anything else and never split.</param>
    public Tokenizer(TokenizerModel model, Normalizer? normalizer = null, PreTokenizer? preTokenizer = null,
        PostProcessor? postProcessor = null, Decoder? decoder = null, IEnumerable<AddedToken>? addedTokens = null)
    {
        Model = model;
        Normalizer = normalizer;
        PreTokenizer = preTokenizer;
        PostProcessor = postProcessor;
        Decoder = decoder;
        AddedTokens = (addedTokens ?? []).ToArray();
        _addedById = AddedTokens.GroupBy(token => token.Id).ToDictionary(group => group.Key, group => group.Last());
        _addedByContent = AddedTokens.GroupBy(token => token.Content).ToDictionary(group => group.Key, group => group.Last(), StringComparer.Ordinal);
        _originalMatcher = new AddedTokenMatcher(AddedTokens.Where(token => !token.Normalized || normalizer is null));
        _normalizedMatcher = new AddedTokenMatcher(AddedTokens.Where(token => token.Normalized && normalizer is not null)
            .Select(token => token with { Content = NormalizeContent(token.Content, normalizer!) }));
    }

    /// <summary>The model that cuts words into tokens.</summary>
    public TokenizerModel Model { get; }

    /// <summary>The normalizer, or null.</summary>
    public Normalizer? Normalizer { get; }

    /// <summary>The pre-tokenizer, or null.</summary>
    public PreTokenizer? PreTokenizer { get; }

    /// <summary>The post-processor, or null.</summary>
    public PostProcessor? PostProcessor { get; }

    /// <summary>The decoder, or null.</summary>
    public Decoder? Decoder { get; }

    /// <summary>The added tokens, in the order they were given.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>
    /// The settings encode calls use when they pass none: those of the tokenizer's file (its <c>truncation</c> and
    /// <c>padding</c> sections), else <see cref="EncodingSettings.None"/>. Fixed once built; pass settings per call to
    /// encode otherwise.
    /// </summary>
    public EncodingSettings Settings { get; init; } = EncodingSettings.None;

    /// <summary>The number of distinct tokens: the model's vocabulary and the added tokens outside it.</summary>
    public int VocabularySize => Model.CountWithAddedTokens(_addedById.Keys);

    /// <summary>Loads a tokenizer from a <c>tokenizer.json</c>, a <c>vocab.txt</c>, or a directory holding one of them or <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    public static Tokenizer Load(string path) => TokenizerLoader.Load(path);

    /// <summary>Encodes one text, or a pair when <paramref name="pair"/> is given.</summary>
    /// <param name="text">The (first) text.</param>
    /// <param name="pair">The second text of a pair, or null.</param>
    /// <param name="settings">Truncation, special tokens and padding of this call; null for <see cref="Settings"/>.</param>
    public EncodingResult Encode(string text, string? pair = null, EncodingSettings? settings = null)
    {
        settings ??= Settings;
        var encoding = EncodeUnpadded(text, pair, settings.AddSpecialTokens, settings.Truncation);
        return settings.Padding is { } padding ? encoding.Pad(padding.TargetLength(encoding.Length), padding) : encoding;
    }

    /// <summary>
    /// The ids of one text: those of <see cref="Encode"/> without truncation or padding, computed without the offsets,
    /// type ids and masks (faster, one allocation).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Let the post-processor add its special tokens. Default true.</param>
    public int[] EncodeToIds(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text);
        var ids = tokens.Ids.AsSpan(0, tokens.Count);
        return PostProcessor is { } processor ? processor.SingleIds(ids, addSpecialTokens) : ids.ToArray();
    }

    /// <summary>Encodes many texts in parallel, in input order; padding (when set) pads them to a common length.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="settings">Truncation, special tokens and padding of this call; null for <see cref="Settings"/>.</param>
    /// <param name="maxDegreeOfParallelism">Threads the batch may use; -1 (the default) for all cores, 1 for the calling thread only.</param>
    public IReadOnlyList<EncodingResult> EncodeBatch(
        IReadOnlyList<string> texts, EncodingSettings? settings = null, int maxDegreeOfParallelism = -1) =>
        EncodeBatch(texts.Count, i => (texts[i], null), settings ?? Settings, maxDegreeOfParallelism);

    /// <summary>Encodes many texts or pairs in parallel, in input order; padding (when set) pads them to a common length.</summary>
    /// <param name="inputs">The texts, each with the second text of its pair or null.</param>
    /// <param name="settings">Truncation, special tokens and padding of this call; null for <see cref="Settings"/>.</param>
    /// <param name="maxDegreeOfParallelism">Threads the batch may use; -1 (the default) for all cores, 1 for the calling thread only.</param>
    public IReadOnlyList<EncodingResult> EncodeBatch(
        IReadOnlyList<(string Text, string? Pair)> inputs, EncodingSettings? settings = null, int maxDegreeOfParallelism = -1) =>
        EncodeBatch(inputs.Count, i => inputs[i], settings ?? Settings, maxDegreeOfParallelism);

    /// <summary>Turns ids back into text through the decoder.</summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="skipSpecialTokens">Leave out special added tokens (<c>[CLS]</c>, <c>[PAD]</c>, ...). Default true.</param>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (Model is MicrosoftTokenizerModel external)
            return external.Decode(ids.Where(id => !(skipSpecialTokens && _addedById.TryGetValue(id, out var added) && added.Special)));
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && _addedById.TryGetValue(id, out var added) && added.Special) continue;
            if (IdToToken(id) is { } token) tokens.Add(token);
        }
        return Decoder?.Decode(tokens) ?? string.Join(' ', tokens);
    }

    /// <summary>The id of <paramref name="token"/> (an added token or a vocabulary entry), or null.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedByContent.TryGetValue(token, out var added)) return added.Id;
        return Model.Vocabulary.TryGetId(token, out var id) ? id : null;
    }

    private AddedToken? AddedTokenOf(int id) => _addedById.GetValueOrDefault(id);

    /// <summary>The text of token <paramref name="id"/>, or null when there is none.</summary>
    public string? IdToToken(int id) =>
        _addedById.TryGetValue(id, out var added) ? added.Content : Model.Vocabulary.GetToken(id);

    private IReadOnlyList<EncodingResult> EncodeBatch(
        int count, Func<int, (string Text, string? Pair)> input, EncodingSettings settings, int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for all cores or a count of at least 1.");
        var results = new EncodingResult[count];
        if (maxDegreeOfParallelism == 1 || count <= BatchChunkSize)
        {
            for (var i = 0; i < count; i++) results[i] = EncodeOne(i);
        }
        else
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            Parallel.ForEach(Partitioner.Create(0, count, BatchChunkSize), options, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++) results[i] = EncodeOne(i);
            });
        }
        if (settings.Padding is { } padding && count > 0)
        {
            var target = padding.TargetLength(results.Max(encoding => encoding.Length));
            for (var i = 0; i < count; i++) results[i] = results[i].Pad(target, padding);
        }
        return results;

        EncodingResult EncodeOne(int i)
        {
            var (text, pair) = input(i);
            return EncodeUnpadded(text, pair, settings.AddSpecialTokens, settings.Truncation);
        }
    }

    /// <summary>Encodes one text or pair with the given truncation (null for none), unpadded.</summary>
    internal EncodingResult EncodeUnpadded(string text, string? pair, bool addSpecialTokens, TruncationOptions? truncation)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = EncodeSequence(text, typeId: 0);
        var second = pair is null ? null : EncodeSequence(pair, typeId: 1);
        if (truncation is not null) (first, second) = Truncate(first, second, truncation, addSpecialTokens);

        EncodingResult[] sequences = second is null ? [first] : [first, second];
        if (PostProcessor is { } processor) return processor.Process(sequences, addSpecialTokens, IdToToken, AddedTokenOf);
        return second is null ? first : EncodingResult.Concat(first, second);
    }

    private (EncodingResult First, EncodingResult? Second) Truncate(EncodingResult first, EncodingResult? second, TruncationOptions options, bool addSpecialTokens)
    {
        var added = addSpecialTokens ? PostProcessor?.AddedTokenCount(second is not null) ?? 0 : 0;
        if (options.MaxLength < added)
            throw new ArgumentException($"Truncation max length {options.MaxLength} leaves no room for the {added} special tokens the post-processor adds.");
        return Truncator.Apply(first, second, options with { MaxLength = options.MaxLength - added });
    }

    private EncodingResult EncodeSequence(string text, int typeId) => Tokenize(text).ToEncodingResult(typeId);

    /// <summary>The tokens of one text, in this thread's scratch list (valid until the thread's next encode).</summary>
    private TokenList Tokenize(string text)
    {
        var scratch = t_scratch ??= new EncodeScratch();
        var tokens = scratch.Tokens;
        tokens.Clear();
        var position = 0;
        if (!_originalMatcher.IsEmpty)
        {
            while (_originalMatcher.FindNext(text, position, out var match))
            {
                EncodeSegment(text, position, match.Start, scratch);
                tokens.Add(match.Token.Id, match.Start, match.End);
                position = match.End;
            }
        }
        EncodeSegment(text, position, text.Length, scratch);
        return tokens;
    }

    private void EncodeSegment(string text, int from, int to, EncodeScratch scratch)
    {
        if (from == to) return;
        var normalized = scratch.Normalized;
        NormalizeInto(text, from, to, normalized);

        var position = 0;
        if (!_normalizedMatcher.IsEmpty)
        {
            while (_normalizedMatcher.FindNext(normalized.Span, position, out var match))
            {
                TokenizeNormalized(position, match.Start, scratch);
                scratch.Tokens.Add(match.Token.Id, normalized.Starts[match.Start], normalized.Ends[match.End - 1]);
                position = match.End;
            }
        }
        TokenizeNormalized(position, normalized.Length, scratch);
    }

    private void TokenizeNormalized(int from, int to, EncodeScratch scratch)
    {
        if (from == to) return;
        var source = SplitWords(from, to, scratch);
        foreach (var word in scratch.Words)
            if (!word.Start.Equals(word.End)) Model.Tokenize(source, word, scratch.Tokens);
    }

    private void NormalizeInto(string text, int from, int to, TextBuffer normalized)
    {
        normalized.Clear();
        if (Normalizer is null) normalized.AppendIdentity(text.AsSpan(from, to - from), from);
        else Normalizer.Normalize(text.AsSpan(from, to - from), from, normalized);
    }

    /// <summary>Fills <c>scratch.Words</c> with the words of <c>scratch.Normalized[from..to)</c>; returns the buffer they index.</summary>
    private TextBuffer SplitWords(int from, int to, EncodeScratch scratch)
    {
        scratch.Words.Clear();
        scratch.RewrittenWords.Clear();
        if (PreTokenizer is not null) return PreTokenizer.Split(scratch.Normalized, from, to, scratch.Words, scratch.RewrittenWords);
        scratch.Words.Add(new Range(from, to));
        return scratch.Normalized;
    }

    /// <summary>The words the normalizer and pre-tokenizer cut a text into (byte-level words as byte characters); added tokens are left out.</summary>
    internal IEnumerable<string> PreTokenize(string text)
    {
        var words = new List<string>();
        VisitWords(text, (source, word) => words.Add(source.Chars.AsSpan(word).ToString()), _ => { });
        return words;
    }

    /// <summary>Where in <paramref name="text"/> its words and added tokens start: a cut there splits no word.</summary>
    internal HashSet<int> WordStarts(string text)
    {
        var starts = new HashSet<int>();
        VisitWords(text, (source, word) => starts.Add(source.Starts[word.Start.Value]), match => starts.Add(match.Start));
        return starts;
    }

    /// <summary>Calls <paramref name="word"/> for each non-empty word (in the buffer that holds it) and <paramref name="added"/> for each added token matched in the raw text.</summary>
    private void VisitWords(string text, Action<TextBuffer, Range> word, Action<AddedTokenMatch> added)
    {
        var scratch = new EncodeScratch();
        var position = 0;
        while (_originalMatcher.FindNext(text, position, out var match))
        {
            VisitSegmentWords(text, position, match.Start, scratch, word);
            added(match);
            position = match.End;
        }
        VisitSegmentWords(text, position, text.Length, scratch, word);
    }

    private void VisitSegmentWords(string text, int from, int to, EncodeScratch scratch, Action<TextBuffer, Range> visit)
    {
        if (from == to) return;
        NormalizeInto(text, from, to, scratch.Normalized);
        var source = SplitWords(0, scratch.Normalized.Length, scratch);
        foreach (var word in scratch.Words)
            if (!word.Start.Equals(word.End)) visit(source, word);
    }

    private static string NormalizeContent(string content, Normalizer normalizer)
    {
        var buffer = new TextBuffer();
        normalizer.Normalize(content, 0, buffer);
        return buffer.Span.ToString();
    }

    /// <summary>Buffers one thread reuses across encode calls.</summary>
    private sealed class EncodeScratch
    {
        public readonly TextBuffer Normalized = new();
        public readonly TextBuffer RewrittenWords = new();
        public readonly List<Range> Words = [];
        public readonly TokenList Tokens = new();
    }
}

using System.Collections.Concurrent;

namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>
/// Byte-pair encoding: a word starts as one symbol per character and the adjacent pair with the lowest merge rank
/// is merged (leftmost first on ties) until no ranked pair is left, the order of Hugging Face's BPE. Results of
/// short words are cached, since real text repeats its words.
/// </summary>
public sealed class BpeModel : TokenizerModel
{
    /// <summary>Default for <see cref="CacheCapacity"/>.</summary>
    public const int DefaultCacheCapacity = 100_000;

    /// <summary>Words longer than this (in UTF-16 code units) are never cached.</summary>
    private const int MaxCachedWordLength = 64;

    private readonly Dictionary<long, (int Rank, int MergedId)> _merges;
    private readonly int[] _charIds;
    private readonly int _unknownId;
    private readonly ConcurrentDictionary<string, CachedWord> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedWord>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cachedWords; // ConcurrentDictionary.Count takes every lock: count insertions here instead

    [ThreadStatic] private static BpeWord? t_word;

    /// <summary>Creates the model.</summary>
    /// <param name="vocabulary">The vocabulary, containing every merge result.</param>
    /// <param name="merges">The merges, highest priority first: each the left and right token.</param>
    /// <param name="unknownToken">The token for characters outside the vocabulary; null (the default, as in GPT-2) drops them.</param>
    /// <param name="fuseUnknown">Fuse consecutive unknown characters into one unknown token. Default false.</param>
    /// <param name="cacheCapacity">How many words to remember. Default 100,000; 0 disables the cache.</param>
    public BpeModel(Vocabulary vocabulary, IEnumerable<(string Left, string Right)> merges, string? unknownToken = null,
        bool fuseUnknown = false, int cacheCapacity = DefaultCacheCapacity)
    {
        Vocabulary = vocabulary;
        UnknownToken = unknownToken;
        FuseUnknown = fuseUnknown;
        CacheCapacity = cacheCapacity;
        _unknownId = -1;
        if (unknownToken is not null && !vocabulary.TryGetId(unknownToken, out _unknownId))
            throw new ArgumentException($"The BPE vocabulary has no unknown token '{unknownToken}'.", nameof(unknownToken));

        _merges = [];
        var mergeList = new List<(string Left, string Right)>();
        var rank = 0;
        foreach (var (left, right) in merges)
        {
            mergeList.Add((left, right));
            if (!vocabulary.TryGetId(left, out var leftId) || !vocabulary.TryGetId(right, out var rightId))
                throw new ArgumentException($"Merge {rank} ('{left} {right}') uses a token that is not in the vocabulary.", nameof(merges));
            if (!vocabulary.TryGetId(left + right, out var mergedId))
                throw new ArgumentException($"Merge {rank} ('{left} {right}') makes '{left + right}', which is not in the vocabulary.", nameof(merges));
            _merges.TryAdd(PairKey(leftId, rightId), (rank, mergedId));
            rank++;
        }
        Merges = mergeList;

        _charIds = new int[char.MaxValue + 1];
        _charIds.AsSpan().Fill(-1);
        foreach (var (token, id) in vocabulary.Entries)
            if (token.Length == 1) _charIds[token[0]] = id;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc/>
    public override Vocabulary Vocabulary { get; }

    /// <summary>The token for characters outside the vocabulary, or null when they are dropped.</summary>
    public string? UnknownToken { get; }

    /// <summary>Whether consecutive unknown characters fuse into one unknown token.</summary>
    public bool FuseUnknown { get; }

    /// <summary>The merges, highest priority (lowest rank) first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>How many words the cache remembers.</summary>
    public int CacheCapacity { get; }

    /// <summary>The merge rank of the pair (<paramref name="leftId"/>, <paramref name="rightId"/>), or null when they never merge.</summary>
    public int? MergeRank(int leftId, int rightId) =>
        _merges.TryGetValue(PairKey(leftId, rightId), out var merge) ? merge.Rank : null;

    internal override void Tokenize(TextBuffer source, Range word, TokenList output)
    {
        var (start, length) = word.GetOffsetAndLength(source.Length);
        var text = source.Chars.AsSpan(start, length);
        var cacheable = CacheCapacity > 0 && length <= MaxCachedWordLength;
        if (cacheable && _cacheLookup.TryGetValue(text, out var cached))
        {
            Emit(cached.Ids, cached.Ends, source, start, output);
            return;
        }

        var bpe = t_word ??= new BpeWord();
        bpe.Reset(text, _charIds, Vocabulary, _unknownId, FuseUnknown);
        bpe.MergeAll(_merges);
        var (ids, ends) = bpe.Result();
        if (cacheable && Volatile.Read(ref _cachedWords) < CacheCapacity && _cacheLookup.TryAdd(text, new CachedWord(ids, ends)))
            Interlocked.Increment(ref _cachedWords);
        Emit(ids, ends, source, start, output);
    }

    private static void Emit(int[] ids, int[] ends, TextBuffer source, int wordStart, TokenList output)
    {
        var pieceStart = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            output.Add(ids[i], source.Starts[wordStart + pieceStart], source.Ends[wordStart + ends[i] - 1]);
            pieceStart = ends[i];
        }
    }

    internal static long PairKey(int leftId, int rightId) => ((long)leftId << 32) | (uint)rightId;

    /// <summary>A word's tokens and where each ends in the word (UTF-16 index, exclusive).</summary>
    private sealed record CachedWord(int[] Ids, int[] Ends);
}

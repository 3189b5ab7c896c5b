namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>
/// The shared core of WordPiece and BPE training: count the words of a corpus, seed the vocabulary with the special
/// tokens and the alphabet (sorted), then add merged tokens until the vocabulary is full.
/// </summary>
internal static class VocabularyBuilder
{
    /// <summary>The learned vocabulary (in id order) and merges (in rank order).</summary>
    public sealed record Result(List<string> Tokens, List<(string Left, string Right)> Merges);

    /// <param name="wordCounts">Every distinct word and how often it occurs.</param>
    /// <param name="alphabet">Initial symbols beyond the corpus's own characters (byte-level: all 256).</param>
    /// <param name="continuingPrefix">WordPiece's prefix for symbols inside a word ("##"), or null.</param>
    /// <param name="options">Size, frequency threshold and special tokens.</param>
    public static Result Build(IReadOnlyDictionary<string, long> wordCounts, IEnumerable<string> alphabet,
        string? continuingPrefix, BpeTrainerOptions options)
    {
        var tokens = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Add(string token)
        {
            if (ids.TryGetValue(token, out var id)) return id;
            ids[token] = tokens.Count;
            tokens.Add(token);
            return tokens.Count - 1;
        }

        foreach (var special in options.SpecialTokens) Add(special);
        var ordered = wordCounts.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray();
        var pieces = ordered.Select(pair => Symbols(pair.Key, continuingPrefix)).ToArray();
        var symbols = new SortedSet<string>(alphabet, StringComparer.Ordinal);
        foreach (var word in pieces) symbols.UnionWith(word);
        foreach (var symbol in symbols) Add(symbol);
        var words = pieces.Select(word => word.Select(piece => ids[piece]).ToArray()).ToList();
        var counts = ordered.Select(pair => pair.Value).ToArray();

        var merges = new List<(string, string)>();
        var merger = new PairMerger(words, counts);
        while (tokens.Count < options.VocabularySize && merger.TryMergeNext(options.MinFrequency, Merged, out var left, out var right))
            merges.Add((tokens[left], tokens[right]));
        return new Result(tokens, merges);

        int Merged(int left, int right)
        {
            var rightText = tokens[right];
            if (continuingPrefix is not null && rightText.StartsWith(continuingPrefix, StringComparison.Ordinal))
                rightText = rightText[continuingPrefix.Length..];
            return Add(tokens[left] + rightText);
        }
    }

    /// <summary>A word's initial symbols: one per code point, later ones with the continuing prefix.</summary>
    private static List<string> Symbols(string word, string? continuingPrefix)
    {
        var symbols = new List<string>();
        foreach (var rune in word.EnumerateRunes())
            symbols.Add(symbols.Count > 0 && continuingPrefix is not null ? continuingPrefix + rune : rune.ToString());
        return symbols;
    }
}

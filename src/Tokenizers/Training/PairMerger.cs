namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>
/// Learns byte-pair merges: words are sequences of symbol ids with a count; the most frequent adjacent pair (ties
/// to the pair whose symbols were created first) is merged into a new symbol, again and again. Pair counts are kept
/// up to date word by word, and a priority queue with lazy re-checking picks the next pair.
/// </summary>
internal sealed class PairMerger
{
    private readonly List<int[]> _words;
    private readonly long[] _wordCounts;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, HashSet<int>> _pairWords = [];
    private readonly PriorityQueue<long, (long NegativeCount, long Pair)> _queue = new();

    /// <param name="words">Every distinct word as symbol ids.</param>
    /// <param name="wordCounts">How often each word occurs.</param>
    public PairMerger(List<int[]> words, long[] wordCounts)
    {
        _words = words;
        _wordCounts = wordCounts;
        for (var w = 0; w < words.Count; w++) AddPairs(w, +1);
        foreach (var (pair, count) in _pairCounts) _queue.Enqueue(pair, (-count, pair));
    }

    /// <summary>
    /// The next merge: the most frequent pair, at least <paramref name="minFrequency"/> times; <paramref name="merged"/>
    /// is called for its new symbol id. False when no pair is frequent enough.
    /// </summary>
    public bool TryMergeNext(int minFrequency, Func<int, int, int> merged, out int left, out int right)
    {
        while (_queue.TryDequeue(out var pair, out var priority))
        {
            var count = _pairCounts.GetValueOrDefault(pair);
            if (count != -priority.NegativeCount)
            {
                if (count > 0) _queue.Enqueue(pair, (-count, pair));
                continue;
            }
            if (count < minFrequency) break;
            (left, right) = ((int)(pair >> 32), (int)pair);
            Merge(pair, left, right, merged(left, right));
            return true;
        }
        left = right = -1;
        return false;
    }

    private void Merge(long pair, int left, int right, int newId)
    {
        var changed = new HashSet<long>();
        foreach (var w in _pairWords[pair].ToArray())
        {
            var word = _words[w];
            AddPairs(w, -1, changed);
            var result = new List<int>(word.Length);
            for (var i = 0; i < word.Length; i++)
            {
                if (i + 1 < word.Length && word[i] == left && word[i + 1] == right)
                {
                    result.Add(newId);
                    i++;
                }
                else result.Add(word[i]);
            }
            _words[w] = result.ToArray();
            AddPairs(w, +1, changed);
        }
        _pairWords.Remove(pair);
        foreach (var key in changed)
            if (_pairCounts.GetValueOrDefault(key) is > 0 and var count) _queue.Enqueue(key, (-count, key));
    }

    private void AddPairs(int w, int sign, HashSet<long>? changed = null)
    {
        var word = _words[w];
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var key = ((long)word[i] << 32) | (uint)word[i + 1];
            var count = _pairCounts.GetValueOrDefault(key) + sign * _wordCounts[w];
            if (count == 0) _pairCounts.Remove(key);
            else _pairCounts[key] = count;
            if (sign > 0)
            {
                if (!_pairWords.TryGetValue(key, out var set)) _pairWords[key] = set = [];
                set.Add(w);
            }
            changed?.Add(key);
        }
    }
}

using System.Text;

namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>
/// One word being merged: symbols in a doubly linked list over an array, and a queue of candidate merges ordered by
/// (rank, position). Stale queue entries (a side already merged away) are skipped when popped. Reused per thread.
/// </summary>
internal sealed class BpeWord
{
    private const int InitialCapacity = 64;

    private int[] _ids = new int[InitialCapacity];
    private int[] _ends = new int[InitialCapacity];
    private int[] _previous = new int[InitialCapacity];
    private int[] _next = new int[InitialCapacity];
    private int _count;
    private readonly PriorityQueue<(int Position, int MergedId), long> _queue = new();

    /// <summary>
    /// Starts a word of one symbol per character. Characters outside the vocabulary become <paramref name="unknownId"/>
    /// (consecutive ones fused into one when <paramref name="fuseUnknown"/>), or vanish when it is negative.
    /// </summary>
    public void Reset(ReadOnlySpan<char> text, int[] charIds, Vocabulary vocabulary, int unknownId, bool fuseUnknown)
    {
        _count = 0;
        if (_ids.Length < text.Length) Grow(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var width = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
            var id = charIds[text[index]];
            if (width == 2 && !vocabulary.TryGetId(text.Slice(index, 2), out id)) id = -1;
            if (id < 0 && unknownId >= 0)
            {
                if (fuseUnknown && _count > 0 && _ids[_count - 1] == unknownId) _ends[_count - 1] = index + width;
                else AddSymbol(unknownId, index, index + width);
            }
            else if (id >= 0) AddSymbol(id, index, index + width);
            index += width;
        }
    }

    /// <summary>Applies merges until none is left.</summary>
    public void MergeAll(Dictionary<long, (int Rank, int MergedId)> merges)
    {
        _queue.Clear();
        for (var i = 0; i + 1 < _count; i++) Enqueue(merges, i, i + 1);

        while (_queue.TryDequeue(out var candidate, out _))
        {
            var position = candidate.Position;
            if (_ids[position] < 0) continue;
            var right = _next[position];
            if (right < 0) continue;
            if (!merges.TryGetValue(BpeModel.PairKey(_ids[position], _ids[right]), out var merge) || merge.MergedId != candidate.MergedId)
                continue;

            _ids[position] = merge.MergedId;
            _ends[position] = _ends[right];
            _ids[right] = -1;
            var afterRight = _next[right];
            _next[position] = afterRight;
            if (afterRight >= 0) _previous[afterRight] = position;

            if (_previous[position] >= 0) Enqueue(merges, _previous[position], position);
            if (afterRight >= 0) Enqueue(merges, position, afterRight);
        }
    }

    /// <summary>The surviving symbols' ids and end positions.</summary>
    public (int[] Ids, int[] Ends) Result()
    {
        var live = 0;
        for (var i = 0; i < _count; i++) if (_ids[i] >= 0) live++;
        var ids = new int[live];
        var ends = new int[live];
        var k = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_ids[i] < 0) continue;
            ids[k] = _ids[i];
            ends[k] = _ends[i];
            k++;
        }
        return (ids, ends);
    }

    private void Enqueue(Dictionary<long, (int Rank, int MergedId)> merges, int left, int right)
    {
        if (merges.TryGetValue(BpeModel.PairKey(_ids[left], _ids[right]), out var merge))
            _queue.Enqueue((left, merge.MergedId), ((long)merge.Rank << 32) | (uint)left);
    }

    private void AddSymbol(int id, int start, int end)
    {
        _ids[_count] = id;
        _ends[_count] = end;
        _previous[_count] = _count - 1;
        _next[_count] = -1;
        if (_count > 0) _next[_count - 1] = _count;
        _count++;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _ends, capacity);
        Array.Resize(ref _previous, capacity);
        Array.Resize(ref _next, capacity);
    }
}

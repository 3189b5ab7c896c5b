using System.Numerics;

namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>
/// Token text to id, looked up by span: open addressing over one array of slots (hash, where the text is, id) and
/// one array of all the texts' characters, so a lookup touches two cache lines or so, and no string. The hash is
/// fixed (FNV-1a), which is safe here: the table holds the vocabulary only, so text cannot crowd its slots, and at
/// most half the slots are filled, so a lookup stops at an empty slot soon.
/// </summary>
internal sealed class SpanTable
{
    private const uint FnvOffset = 2166136261, FnvPrime = 16777619;

    private readonly Slot[] _slots;
    private readonly char[] _chars;
    private readonly int _mask;

    private readonly record struct Slot(int Hash, int Start, int Length, int Id);

    public SpanTable(IReadOnlyDictionary<string, int> entries)
    {
        _slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(2 * entries.Count, 2))];
        _mask = _slots.Length - 1;
        _chars = new char[entries.Keys.Sum(key => key.Length)];
        var position = 0;
        foreach (var (key, id) in entries)
        {
            key.CopyTo(_chars.AsSpan(position));
            var hash = Hash(key);
            var slot = hash & _mask;
            while (_slots[slot].Start != 0) slot = (slot + 1) & _mask;
            _slots[slot] = new Slot(hash, position + 1, key.Length, id); // Start is one-based: 0 marks an empty slot
            position += key.Length;
        }
    }

    public bool TryGetValue(ReadOnlySpan<char> key, out int id)
    {
        var hash = Hash(key);
        for (var slot = hash & _mask; ; slot = (slot + 1) & _mask)
        {
            ref readonly var entry = ref _slots[slot];
            if (entry.Start == 0)
            {
                id = -1;
                return false;
            }
            if (entry.Hash == hash && entry.Length == key.Length && _chars.AsSpan(entry.Start - 1, entry.Length).SequenceEqual(key))
            {
                id = entry.Id;
                return true;
            }
        }
    }

    private static int Hash(ReadOnlySpan<char> key)
    {
        var hash = FnvOffset;
        foreach (var c in key) hash = (hash ^ c) * FnvPrime;
        return (int)(hash ^ (hash >> 16)) & int.MaxValue;
    }
}

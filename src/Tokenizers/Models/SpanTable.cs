using System.Numerics;

namespace MLNet.Transformers.Tokenizers.Models;

/// <summary>
/// Token text to id, looked up by span without allocating: open addressing over one array of 16-byte slots. A key of
/// at most <see cref="PackedLength"/> ASCII characters (most of a vocabulary, and most words) lives in its slot,
/// packed one byte per character, so its lookup packs the span, hashes one number and reads one slot; a longer or
/// non-ASCII key points into one array of all such keys' characters. The hashes are fixed, which is safe here: the
/// table holds the vocabulary only, so text cannot crowd its slots, and at most half the slots are filled, so a
/// lookup stops at an empty slot soon.
/// </summary>
internal sealed class SpanTable
{
    /// <summary>The longest key kept packed in its slot: eight ASCII characters, one byte each.</summary>
    public const int PackedLength = sizeof(ulong);

    private const ulong GoldenRatio = 0x9E3779B97F4A7C15; // Fibonacci hashing: multiply, keep the high bits
    private const uint FnvOffset = 2166136261, FnvPrime = 16777619;
    private const char FirstNonAscii = (char)0x80;

    /// <summary>Filter bits per slot: 8 give a filter an eighth the size of the slots that wrongly passes about 6 % of absent keys.</summary>
    private const int FilterBitsPerSlotLog2 = 3;

    private readonly Slot[] _slots;
    private readonly char[] _chars;
    private readonly ulong[] _filter; // one bit per finer hash value: a clear bit means no key has that hash
    private readonly int _mask;
    private readonly int _shift;

    /// <summary>
    /// One entry. A packed key holds its characters in <see cref="Key"/> and its length in <see cref="Length"/>; another
    /// holds where its characters start in <c>_chars</c>, and its length negated. <see cref="Length"/> 0 marks an empty slot.
    /// </summary>
    private readonly record struct Slot(ulong Key, int Length, int Id);

    public SpanTable(IReadOnlyDictionary<string, int> entries)
    {
        _slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(2 * entries.Count, 2))];
        _mask = _slots.Length - 1;
        _shift = sizeof(ulong) * 8 - BitOperations.Log2((uint)_slots.Length);
        _filter = new ulong[Math.Max(1, (_slots.Length << FilterBitsPerSlotLog2) / 64)];
        _chars = new char[entries.Where(entry => !TryPack(entry.Key, out _)).Sum(entry => entry.Key.Length)];
        var position = 0;
        foreach (var (key, id) in entries)
        {
            if (key.Length == 0) continue; // no word is empty
            Slot entry;
            ulong hash;
            if (TryPack(key, out var packed)) (entry, hash) = (new Slot(packed, key.Length, id), PackedHash(packed));
            else
            {
                key.CopyTo(_chars.AsSpan(position));
                (entry, hash) = (new Slot((ulong)position, -key.Length, id), LongHash(key));
                position += key.Length;
            }
            var bit = FilterBit(hash);
            _filter[bit >> 6] |= 1UL << bit;
            var slot = SlotOf(hash);
            while (_slots[slot].Length != 0) slot = (slot + 1) & _mask;
            _slots[slot] = entry;
        }
    }

    public bool TryGetValue(ReadOnlySpan<char> key, out int id)
    {
        if (TryPack(key, out var packed)) return TryGetPacked(packed, key.Length, out id);
        var hash = LongHash(key);
        if (MayHold(hash))
        {
            for (var slot = SlotOf(hash); _slots[slot].Length != 0; slot = (slot + 1) & _mask)
            {
                ref readonly var entry = ref _slots[slot];
                if (entry.Length != -key.Length || !_chars.AsSpan((int)entry.Key, key.Length).SequenceEqual(key)) continue;
                id = entry.Id;
                return true;
            }
        }
        id = -1;
        return false;
    }

    /// <summary>Looks up a key given packed (<see cref="TryPack"/>), of <paramref name="length"/> characters.</summary>
    public bool TryGetPacked(ulong packed, int length, out int id)
    {
        var hash = PackedHash(packed);
        if (MayHold(hash))
        {
            for (var slot = SlotOf(hash); _slots[slot].Length != 0; slot = (slot + 1) & _mask)
            {
                ref readonly var entry = ref _slots[slot];
                if (entry.Key != packed || entry.Length != length) continue;
                id = entry.Id;
                return true;
            }
        }
        id = -1;
        return false;
    }

    /// <summary>
    /// Packs a key of 1 to <see cref="PackedLength"/> ASCII characters into one number, the first character in the low
    /// byte, so that a prefix of k characters is the packed key masked to its low k bytes.
    /// </summary>
    public static bool TryPack(ReadOnlySpan<char> key, out ulong packed)
    {
        packed = 0;
        if (key.Length is 0 or > PackedLength) return false;
        var seen = 0;
        for (var i = 0; i < key.Length; i++)
        {
            seen |= key[i];
            packed |= (ulong)key[i] << (8 * i);
        }
        return seen < FirstNonAscii;
    }

    private static ulong PackedHash(ulong packed) => packed * GoldenRatio;

    private static ulong LongHash(ReadOnlySpan<char> key)
    {
        var hash = FnvOffset;
        foreach (var c in key) hash = (hash ^ c) * FnvPrime;
        return hash * GoldenRatio;
    }

    /// <summary>The first slot to probe: the hash's high bits.</summary>
    private int SlotOf(ulong hash) => (int)(hash >> _shift);

    /// <summary>The hash's filter bit: its high bits, <see cref="FilterBitsPerSlotLog2"/> more than the slot takes.</summary>
    private int FilterBit(ulong hash) => (int)(hash >> (_shift - FilterBitsPerSlotLog2));

    /// <summary>False when no key has the hash's filter bit, so the slots need not be read (a cache line saved on most misses).</summary>
    private bool MayHold(ulong hash)
    {
        var bit = FilterBit(hash);
        return (_filter[bit >> 6] & (1UL << bit)) != 0;
    }
}

using System.Numerics;

namespace MLNet.Transformers.Tokenizers;

/// <summary>
/// A growable run of characters where every character remembers the span of the original input it came from
/// (UTF-16 offsets), so that tokens found in normalized or byte-mapped text report offsets into the original.
/// </summary>
internal sealed class TextBuffer
{
    private const int InitialCapacity = 256;

    public char[] Chars = new char[InitialCapacity];
    public int[] Starts = new int[InitialCapacity];
    public int[] Ends = new int[InitialCapacity];
    public int Length;

    public ReadOnlySpan<char> Span => Chars.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(char c, int start, int end)
    {
        if (Length == Chars.Length) Grow(Length + 1);
        Chars[Length] = c;
        Starts[Length] = start;
        Ends[Length] = end;
        Length++;
    }

    /// <summary>Appends <paramref name="text"/> aligned one to one with the original, starting at <paramref name="offset"/>.</summary>
    public void AppendIdentity(ReadOnlySpan<char> text, int offset)
    {
        EnsureCapacity(Length + text.Length);
        text.CopyTo(Chars.AsSpan(Length));
        FillAscending(Starts.AsSpan(Length, text.Length), offset);
        FillAscending(Ends.AsSpan(Length, text.Length), offset + 1);
        Length += text.Length;
    }

    /// <summary>target[i] = first + i, a vector at a time.</summary>
    private static void FillAscending(Span<int> target, int first)
    {
        var width = Vector<int>.Count;
        var values = new Vector<int>(first) + Vector<int>.Indices;
        var step = new Vector<int>(width);
        var i = 0;
        for (; i + width <= target.Length; i += width, values += step) values.CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] = first + i;
    }

    public void EnsureCapacity(int capacity)
    {
        if (capacity > Chars.Length) Grow(capacity);
    }

    private void Grow(int needed)
    {
        var capacity = Math.Max(needed, Chars.Length * 2);
        Array.Resize(ref Chars, capacity);
        Array.Resize(ref Starts, capacity);
        Array.Resize(ref Ends, capacity);
    }
}

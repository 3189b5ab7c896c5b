using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>Unicode lower-casing of single code points, as Rust's <c>char::to_lowercase</c> does it.</summary>
internal static class Lowercaser
{
    private const int CapitalIWithDotAbove = 0x130;
    private const int CombiningDotAbove = 0x307;

    /// <summary>Lower-cases the first <paramref name="count"/> code points of <paramref name="runes"/>; returns the new count.</summary>
    public static int LowercaseInPlace(Span<Rune> runes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            // The one code point whose full lower-case mapping is two code points (and which invariant-mode
            // .NET leaves alone): İ becomes i followed by a combining dot above.
            if (runes[i].Value == CapitalIWithDotAbove)
            {
                runes[(i + 1)..count].CopyTo(runes[(i + 2)..]);
                runes[i] = new Rune('i');
                runes[i + 1] = new Rune(CombiningDotAbove);
                count++;
                i++;
                continue;
            }
            runes[i] = Rune.ToLowerInvariant(runes[i]);
        }
        return count;
    }
}

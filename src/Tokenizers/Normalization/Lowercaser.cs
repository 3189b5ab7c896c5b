using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>Unicode lower-casing of single code points, as Rust's <c>char::to_lowercase</c> (Hugging Face's) does it.</summary>
internal static class Lowercaser
{
    private const int AsciiCount = 128;

    /// <summary>Lower-cases the first <paramref name="count"/> code points of <paramref name="runes"/> in place; returns the new count.</summary>
    public static int LowercaseInPlace(Span<Rune> runes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var rune = runes[i];
            if (rune.Value < AsciiCount)
            {
                runes[i] = Rune.ToLowerInvariant(rune);
                continue;
            }
            var lower = ReferenceUnicode.Lowercase(rune);
            if (lower.Length == 1)
            {
                runes[i] = lower[0];
                continue;
            }
            // A code point whose lower case is several (İ becomes i and a combining dot above).
            runes[(i + 1)..count].CopyTo(runes[(i + lower.Length)..]);
            lower.CopyTo(runes[i..]);
            count += lower.Length - 1;
            i += lower.Length - 1;
        }
        return count;
    }
}

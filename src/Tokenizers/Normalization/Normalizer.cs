using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>
/// Rewrites text before pre-tokenization, one code point at a time: each input code point becomes zero or more
/// output code points, all aligned with the input code point's span of the original text.
/// </summary>
public abstract class Normalizer
{
    /// <summary>The most code points <see cref="Map"/> may write for one input code point.</summary>
    internal const int MaxExpansion = 16;

    /// <summary>Writes what <paramref name="rune"/> becomes into <paramref name="output"/> and returns how many code points that is.</summary>
    internal abstract int Map(Rune rune, Span<Rune> output);

    /// <summary>Normalizes <paramref name="text"/>, which starts at <paramref name="offset"/> in the original, onto <paramref name="output"/>.</summary>
    internal virtual void Normalize(ReadOnlySpan<char> text, int offset, TextBuffer output)
    {
        Span<Rune> mapped = stackalloc Rune[MaxExpansion];
        Span<char> utf16 = stackalloc char[2];
        var index = 0;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed);
            var start = offset + index;
            var end = start + consumed;
            var count = Map(rune, mapped);
            for (var i = 0; i < count; i++)
            {
                var written = mapped[i].EncodeToUtf16(utf16);
                for (var j = 0; j < written; j++) output.Append(utf16[j], start, end);
            }
            index += consumed;
        }
    }
}

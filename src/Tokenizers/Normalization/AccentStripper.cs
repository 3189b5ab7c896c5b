using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>Accent stripping as BERT does it: canonical decomposition, then drop the non-spacing marks.</summary>
internal static class AccentStripper
{
    /// <summary>Replaces <c>output[0]</c> (which holds <paramref name="rune"/>) with its stripped form; returns the new count.</summary>
    public static int Strip(Rune rune, Span<Rune> output)
    {
        Span<Rune> parts = stackalloc Rune[CanonicalDecomposition.MaxLength];
        var length = CanonicalDecomposition.Decompose(rune, parts);
        var count = 0;
        for (var i = 0; i < length; i++)
            if (!UnicodeClasses.IsNonSpacingMark(parts[i])) output[count++] = parts[i];
        return count;
    }
}

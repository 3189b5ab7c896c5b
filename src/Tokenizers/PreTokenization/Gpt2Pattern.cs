using System.Text;
using MLNet.Transformers.Tokenizers.Normalization;

namespace MLNet.Transformers.Tokenizers.PreTokenization;

/// <summary>
/// GPT-2's pre-tokenization pattern, matched by hand (the same leftmost-first semantics as the regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>).
/// </summary>
internal static class Gpt2Pattern
{
    private enum Kind : byte { Letter, Number, Whitespace, Other }

    private const int AsciiCount = 128;
    private static readonly Kind[] AsciiKinds = BuildAsciiKinds();

    /// <summary>The end of the match that starts at <paramref name="start"/> (the text always matches somewhere).</summary>
    public static int MatchEnd(ReadOnlySpan<char> text, int start)
    {
        var c = text[start];
        if (c == '\'' && start + 1 < text.Length)
        {
            var contraction = ContractionLength(text[(start + 1)..]);
            if (contraction > 0) return start + 1 + contraction;
        }

        var bodyStart = start;
        if (c == ' ' && start + 1 < text.Length && KindAt(text, start + 1, out _) != Kind.Whitespace) bodyStart = start + 1;
        var kind = KindAt(text, bodyStart, out var width);
        if (kind != Kind.Whitespace) return RunEnd(text, bodyStart + width, kind);

        // \s+(?!\S) takes the whitespace run but leaves its last character to prefix the next word; \s+ takes a
        // lone whitespace character before a word.
        var runEnd = RunEnd(text, start + width, Kind.Whitespace);
        if (runEnd == text.Length) return runEnd;
        var lastStart = runEnd - 1;
        if (char.IsLowSurrogate(text[lastStart]) && lastStart > start) lastStart--;
        return lastStart > start ? lastStart : runEnd;
    }

    private static int RunEnd(ReadOnlySpan<char> text, int index, Kind kind)
    {
        while (index < text.Length && KindAt(text, index, out var width) == kind) index += width;
        return index;
    }

    private static Kind KindAt(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        if (c < AsciiCount)
        {
            width = 1;
            return AsciiKinds[c];
        }
        Rune.DecodeFromUtf16(text[index..], out var rune, out width);
        return Classify(rune);
    }

    private static int ContractionLength(ReadOnlySpan<char> rest)
    {
        if (rest[0] is 's' or 't' or 'm' or 'd') return 1;
        if (rest.Length < 2) return 0;
        return rest[..2] is "re" or "ve" or "ll" ? 2 : 0;
    }

    private static Kind Classify(Rune rune) =>
        UnicodeClasses.IsLetter(rune) ? Kind.Letter
        : UnicodeClasses.IsNumber(rune) ? Kind.Number
        : UnicodeClasses.IsWhitespace(rune) ? Kind.Whitespace
        : Kind.Other;

    private static Kind[] BuildAsciiKinds()
    {
        var kinds = new Kind[AsciiCount];
        for (var c = 0; c < AsciiCount; c++) kinds[c] = Classify(new Rune(c));
        return kinds;
    }
}

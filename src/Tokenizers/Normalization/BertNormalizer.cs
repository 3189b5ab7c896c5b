using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>
/// BERT's normalizer, step for step as Hugging Face's <c>BertNormalizer</c>: clean text (drop NUL, U+FFFD and
/// control characters, turn whitespace into a space), surround CJK ideographs with spaces, strip accents (NFD, then
/// drop non-spacing marks), lower-case.
/// </summary>
public sealed class BertNormalizer : Normalizer
{
    private const int AsciiCount = 128;
    private const char Removed = '\uFFFF';
    private const char FirstPrintable = ' ', LastPrintable = '~'; // neither control nor whitespace other than the space

    private readonly char[] _ascii = new char[AsciiCount];

    /// <summary>Creates the normalizer; the defaults are those of an uncased BERT.</summary>
    /// <param name="cleanText">Drop control characters and map whitespace to a space. Default true.</param>
    /// <param name="handleChineseChars">Surround CJK ideographs with spaces. Default true.</param>
    /// <param name="stripAccents">Strip accents; null (the default) follows <paramref name="lowercase"/>.</param>
    /// <param name="lowercase">Lower-case everything. Default true.</param>
    public BertNormalizer(bool cleanText = true, bool handleChineseChars = true, bool? stripAccents = null, bool lowercase = true)
    {
        CleanText = cleanText;
        HandleChineseChars = handleChineseChars;
        StripAccents = stripAccents ?? lowercase;
        Lowercase = lowercase;
        Span<Rune> mapped = stackalloc Rune[MaxExpansion];
        for (var c = 0; c < AsciiCount; c++)
            _ascii[c] = Map(new Rune(c), mapped) == 1 ? (char)mapped[0].Value : Removed;
    }

    /// <summary>Whether control characters are dropped and whitespace becomes a space.</summary>
    public bool CleanText { get; }

    /// <summary>Whether CJK ideographs are surrounded with spaces.</summary>
    public bool HandleChineseChars { get; }

    /// <summary>Whether accents are stripped.</summary>
    public bool StripAccents { get; }

    /// <summary>Whether text is lower-cased.</summary>
    public bool Lowercase { get; }

    internal override int Map(Rune rune, Span<Rune> output)
    {
        if (CleanText)
        {
            if (rune.Value is 0 or 0xFFFD || UnicodeClasses.IsControl(rune)) return 0;
            if (UnicodeClasses.IsWhitespace(rune)) rune = new Rune(' ');
        }
        // A CJK ideograph gets a space on each side; it still goes through accent stripping (compatibility
        // ideographs decompose) and lower-casing.
        var spaced = HandleChineseChars && UnicodeClasses.IsCjkIdeograph(rune.Value);
        var body = spaced ? output[1..] : output;
        var count = 1;
        body[0] = rune;
        if (StripAccents) count = AccentStripper.Strip(rune, body);
        if (Lowercase) count = Lowercaser.LowercaseInPlace(body, count);
        if (!spaced) return count;
        output[0] = new Rune(' ');
        output[count + 1] = new Rune(' ');
        return count + 2;
    }

    internal override void Normalize(ReadOnlySpan<char> text, int offset, TextBuffer output)
    {
        // Printable ASCII (most text) maps one to one: itself, lower-cased when asked; a vector at a time.
        var printable = text.IndexOfAnyExceptInRange(FirstPrintable, LastPrintable) is var found and >= 0 ? found : text.Length;
        var start = output.Length;
        output.AppendIdentity(text[..printable], offset);
        if (Lowercase) Ascii.ToLowerInPlace(output.Chars.AsSpan(start, printable), out _);
        if (printable < text.Length) NormalizeMixed(text, printable, offset, output);
    }

    private void NormalizeMixed(ReadOnlySpan<char> text, int index, int offset, TextBuffer output)
    {
        while (index < text.Length)
        {
            var c = text[index];
            if (c < AsciiCount)
            {
                var mapped = _ascii[c];
                if (mapped != Removed) output.Append(mapped, offset + index, offset + index + 1);
                index++;
                continue;
            }
            var end = index + 1;
            while (end < text.Length && text[end] >= AsciiCount) end++;
            base.Normalize(text[index..end], offset + index, output);
            index = end;
        }
    }
}

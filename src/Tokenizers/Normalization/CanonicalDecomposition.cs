using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>
/// Canonical (NFD) decomposition of single code points. .NET's <see cref="string.Normalize()"/> is a no-op in
/// globalization-invariant mode, so the table ships with the assembly (generated from Hugging Face tokenizers' own);
/// Hangul syllables decompose algorithmically. Canonical reordering of combining marks is not applied: the
/// tokenizer decomposes one code point at a time, as accent stripping needs.
/// </summary>
internal static class CanonicalDecomposition
{
    private const string ResourceName = "canonical-decompositions.txt";
    private const int HangulBase = 0xAC00, HangulCount = 11172;
    private const int LeadingBase = 0x1100, VowelBase = 0x1161, TrailingBase = 0x11A7;
    private const int VowelCount = 21, TrailingCount = 28;

    /// <summary>The longest decomposition of one code point, in code points.</summary>
    public const int MaxLength = 4;

    private static readonly Dictionary<int, int[]> Table = LoadTable();

    /// <summary>Writes the decomposition of <paramref name="rune"/> (itself when it has none) and returns its length.</summary>
    public static int Decompose(Rune rune, Span<Rune> output)
    {
        var value = rune.Value;
        if (value < 0xC0)
        {
            output[0] = rune;
            return 1;
        }
        var syllable = value - HangulBase;
        if ((uint)syllable < HangulCount)
        {
            output[0] = new Rune(LeadingBase + syllable / (VowelCount * TrailingCount));
            output[1] = new Rune(VowelBase + syllable % (VowelCount * TrailingCount) / TrailingCount);
            var trailing = syllable % TrailingCount;
            if (trailing == 0) return 2;
            output[2] = new Rune(TrailingBase + trailing);
            return 3;
        }
        if (!Table.TryGetValue(value, out var parts))
        {
            output[0] = rune;
            return 1;
        }
        for (var i = 0; i < parts.Length; i++) output[i] = new Rune(parts[i]);
        return parts.Length;
    }

    private static Dictionary<int, int[]> LoadTable()
    {
        using var stream = typeof(CanonicalDecomposition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, int[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(' ');
            table[Parse(fields[0])] = fields[1..].Select(Parse).ToArray();
        }
        return table;
    }

    private static int Parse(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

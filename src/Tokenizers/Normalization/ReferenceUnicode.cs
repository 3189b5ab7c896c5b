using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>
/// Hugging Face tokenizers' view of Unicode where .NET's differs (generated from the reference by
/// tools/reference/tokenizers/generate-legacy-unicode.js): the general categories its older tables give some code
/// points, and its lower-case mapping of every non-ASCII code point.
/// </summary>
internal static class ReferenceUnicode
{
    private const string ResourceName = "legacy-unicode.txt";

    private static readonly Tables Data = Load();

    /// <summary>The category the reference gives <paramref name="codePoint"/> when it differs from .NET's.</summary>
    public static bool TryGetCategory(int codePoint, out UnicodeCategory category)
    {
        var index = Array.BinarySearch(Data.Firsts, codePoint);
        if (index < 0) index = ~index - 1;
        if (index >= 0 && codePoint <= Data.Lasts[index])
        {
            category = Data.Categories[index];
            return true;
        }
        category = default;
        return false;
    }

    /// <summary>The lower case of <paramref name="rune"/> (itself when it has none).</summary>
    public static ReadOnlySpan<Rune> Lowercase(in Rune rune) =>
        Data.Lowercase.TryGetValue(rune.Value, out var lower) ? lower : new ReadOnlySpan<Rune>(in rune);

    private sealed record Tables(int[] Firsts, int[] Lasts, UnicodeCategory[] Categories, Dictionary<int, Rune[]> Lowercase);

    private static Tables Load()
    {
        using var stream = typeof(ReferenceUnicode).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var (firsts, lasts, categories) = (new List<int>(), new List<int>(), new List<UnicodeCategory>());
        var lowercase = new Dictionary<int, Rune[]>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(' ');
            switch (fields[0])
            {
                case "C":
                    firsts.Add(Hex(fields[1]));
                    lasts.Add(Hex(fields[2]));
                    categories.Add(fields[3] switch
                    {
                        "Cn" => UnicodeCategory.OtherNotAssigned,
                        "Cc" => UnicodeCategory.Control,
                        "Po" => UnicodeCategory.OtherPunctuation,
                        "Mn" => UnicodeCategory.NonSpacingMark,
                        var other => throw new InvalidDataException($"{ResourceName}: unknown category '{other}'."),
                    });
                    break;
                case "L":
                    lowercase[Hex(fields[1])] = fields[2..].Select(field => new Rune(Hex(field))).ToArray();
                    break;
            }
        }
        return new Tables(firsts.ToArray(), lasts.ToArray(), categories.ToArray(), lowercase);
    }

    private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

using System.Text.Json;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>The real corpora of <c>fixtures/corpora.json</c>, cut into texts exactly as the reference script cuts them.</summary>
internal static class ReferenceCorpora
{
    private static readonly Lazy<JsonElement[]> Definitions = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("corpora.json")));
        return document.RootElement.GetProperty("corpora").EnumerateArray().Select(corpus => corpus.Clone()).ToArray();
    });

    /// <summary>The names of the corpora.</summary>
    public static IEnumerable<string> Names => Definitions.Value.Select(corpus => corpus.GetProperty("name").GetString()!);

    /// <summary>The texts of corpus <paramref name="name"/> (inconclusive when the shared data folder is absent).</summary>
    public static IReadOnlyList<string> Texts(string name)
    {
        var corpus = Definitions.Value.Single(c => c.GetProperty("name").GetString() == name);
        var data = TestPaths.SharedPath("data");
        return corpus.GetProperty("kind").GetString() switch
        {
            "tsv" => TsvColumn(data, corpus),
            "paragraphs" => Paragraphs(data, corpus),
            var kind => throw new InvalidDataException($"corpora.json: corpus {name} has an unknown kind '{kind}'."),
        };
    }

    /// <summary>Consecutive texts as pairs: (0, 1), (2, 3), ...</summary>
    public static IReadOnlyList<(string Text, string? Pair)> Pairs(IReadOnlyList<string> texts) =>
        Enumerable.Range(0, texts.Count / 2).Select(i => (texts[2 * i], (string?)texts[2 * i + 1])).ToArray();

    private static List<string> TsvColumn(string data, JsonElement corpus)
    {
        var column = corpus.GetProperty("column").GetInt32();
        var header = corpus.GetProperty("header").GetBoolean();
        var texts = new List<string>();
        foreach (var file in corpus.GetProperty("files").EnumerateArray())
        {
            // Split on '\n' only (as the reference does): some rows hold a bare '\r' inside a field.
            var lines = File.ReadAllText(Path.Combine(data, file.GetString()!)).Split('\n')
                .Select(line => line.EndsWith('\r') ? line[..^1] : line)
                .Where(line => line.Length > 0)
                .Skip(header ? 1 : 0);
            texts.AddRange(lines.Select(line => line.Split('\t')[column]));
        }
        return texts;
    }

    private static List<string> Paragraphs(string data, JsonElement corpus)
    {
        var minChars = corpus.GetProperty("min_chars").GetInt32();
        var directory = Path.Combine(data, corpus.GetProperty("directory").GetString()!);
        var texts = new List<string>();
        foreach (var file in Directory.GetFiles(directory, "*.txt").OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file).TrimEnd('\r', '\n');
            var start = 0;
            while (start < text.Length)
            {
                var cut = start + minChars < text.Length ? text.IndexOf(". ", start + minChars, StringComparison.Ordinal) : -1;
                if (cut < 0)
                {
                    texts.Add(text[start..]);
                    break;
                }
                texts.Add(text[start..(cut + 1)]);
                start = cut + 2;
            }
        }
        return texts;
    }
}

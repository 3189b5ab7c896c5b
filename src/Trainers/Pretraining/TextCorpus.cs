using System.Text.Json;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// An unlabelled text corpus read from <c>.txt</c> and <c>.jsonl</c> files and directories of them, streamed a line at
/// a time (never loaded whole). A <c>.txt</c> file with blank lines holds paragraphs separated by blank lines (their
/// lines joined with spaces); one without blank lines holds one text per line. A <c>.jsonl</c> line is an object with
/// a string <c>text</c> field. Texts are split into training and held-out parts by a seeded draw per text.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The extensions read; a directory is searched recursively for them.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".txt", ".jsonl"];

    /// <summary>The field of a <c>.jsonl</c> object that holds the text.</summary>
    public const string JsonTextField = "text";

    private readonly ulong _splitKey;

    /// <summary>Resolves the files of <paramref name="paths"/> (files, or directories searched recursively).</summary>
    /// <param name="paths">Files and directories.</param>
    /// <param name="heldOutFraction">The fraction of texts held out for perplexity, in [0, 1).</param>
    /// <param name="seed">Fixes which texts are held out.</param>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    /// <exception cref="InvalidDataException">A file has another extension, or no file is found.</exception>
    public TextCorpus(IReadOnlyList<string> paths, double heldOutFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (heldOutFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(heldOutFraction), "The held-out fraction must be in [0, 1).");
        Files = [.. paths.SelectMany(ResolveFiles)];
        if (Files.Count == 0) throw new InvalidDataException($"{string.Join(", ", paths)}: no {string.Join(" or ", Extensions)} files found.");
        HeldOutFraction = heldOutFraction;
        _splitKey = new Rng(seed).NextStreamKey();
    }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The fraction of texts held out.</summary>
    public double HeldOutFraction { get; }

    /// <summary>Streams the texts of one part of the split, in file order.</summary>
    public IEnumerable<string> Read(CorpusPart part)
    {
        long index = 0;
        foreach (var text in ReadAll())
        {
            var heldOut = Rng.UniformAt(_splitKey, index++) < HeldOutFraction;
            if (heldOut == (part == CorpusPart.HeldOut)) yield return text;
        }
    }

    /// <summary>Streams every text of every file, in order.</summary>
    public IEnumerable<string> ReadAll() => Files.SelectMany(ReadFile);

    private static IEnumerable<string> ResolveFiles(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(file => Extensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
                .Order(StringComparer.Ordinal);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such corpus file or directory.", path);
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            throw new InvalidDataException($"{path}: a corpus file must be {string.Join(" or ", Extensions)}.");
        return [path];
    }

    private static IEnumerable<string> ReadFile(string file) =>
        Path.GetExtension(file).Equals(".jsonl", StringComparison.OrdinalIgnoreCase) ? ReadJsonLines(file) : ReadTextFile(file);

    private static IEnumerable<string> ReadJsonLines(string file)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? text;
            try
            {
                using var document = JsonDocument.Parse(line);
                text = document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(JsonTextField, out var field) && field.ValueKind == JsonValueKind.String
                    ? field.GetString()
                    : null;
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{file}:{lineNumber}: not a JSON object ({error.Message}).");
            }
            if (text is null) throw new InvalidDataException($"{file}:{lineNumber}: the object has no string '{JsonTextField}' field.");
            if (!string.IsNullOrWhiteSpace(text)) yield return text;
        }
    }

    private static IEnumerable<string> ReadTextFile(string file)
    {
        if (!HasParagraphBreaks(file))
        {
            foreach (var line in File.ReadLines(file))
                if (!string.IsNullOrWhiteSpace(line)) yield return line;
            yield break;
        }
        var paragraph = new List<string>();
        foreach (var line in File.ReadLines(file))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                paragraph.Add(line.Trim());
                continue;
            }
            if (paragraph.Count > 0) yield return string.Join(' ', paragraph);
            paragraph.Clear();
        }
        if (paragraph.Count > 0) yield return string.Join(' ', paragraph);
    }

    /// <summary>Whether a blank line separates two non-blank lines (a streamed pre-scan).</summary>
    private static bool HasParagraphBreaks(string file)
    {
        var (seenText, seenBlankAfterText) = (false, false);
        foreach (var line in File.ReadLines(file))
        {
            var blank = string.IsNullOrWhiteSpace(line);
            if (!blank && seenBlankAfterText) return true;
            if (blank && seenText) seenBlankAfterText = true;
            seenText |= !blank;
        }
        return false;
    }
}

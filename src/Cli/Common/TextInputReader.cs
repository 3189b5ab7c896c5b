using System.Text.Json;

namespace MLNet.Transformers.Cli.Common;

/// <summary>
/// Reads command inputs: <c>.txt</c> (one text per line) or <c>.jsonl</c> (one object per line with a string
/// <c>text</c> and an optional string <c>text_pair</c>; blank lines skipped). A file that is not UTF-8 text is refused;
/// errors name the file and line.
/// </summary>
internal static class TextInputReader
{
    /// <summary>The field names of a <c>.jsonl</c> input line.</summary>
    public const string TextField = "text", PairField = "text_pair";

    /// <summary>Reads every input of <paramref name="path"/>, in order, lazily.</summary>
    public static IEnumerable<TextInput> Read(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: no such input file.");
        var inputs = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".txt" => ReadText(path),
            ".jsonl" => ReadJsonLines(path),
            var extension => throw new UserInputException($"{path}: unsupported input type '{extension}' (use .txt or .jsonl)."),
        };
        TextFileCheck.RequireText(path);
        return inputs;
    }

    private static IEnumerable<TextInput> ReadText(string path)
    {
        foreach (var line in File.ReadLines(path)) yield return new TextInput(line, null);
    }

    private static IEnumerable<TextInput> ReadJsonLines(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return ParseLine(path, number, line);
        }
    }

    private static TextInput ParseLine(string path, int number, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            throw new UserInputException($"{path}: line {number}: not valid JSON ({error.Message}).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new UserInputException($"{path}: line {number}: expected a JSON object.");
            if (!root.TryGetProperty(TextField, out var text) || text.ValueKind != JsonValueKind.String)
                throw new UserInputException($"{path}: line {number}: field \"{TextField}\" must be a string.");
            string? pair = null;
            if (root.TryGetProperty(PairField, out var pairElement) && pairElement.ValueKind != JsonValueKind.Null)
            {
                if (pairElement.ValueKind != JsonValueKind.String)
                    throw new UserInputException($"{path}: line {number}: field \"{PairField}\" must be a string when present.");
                pair = pairElement.GetString();
            }
            return new TextInput(text.GetString()!, pair);
        }
    }
}

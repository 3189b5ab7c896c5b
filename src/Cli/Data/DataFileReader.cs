using System.Text.Json;
using MLNet.Transformers.Cli.Common;

namespace MLNet.Transformers.Cli.Data;

/// <summary>
/// Reads the data files of <c>--data</c> / <c>--input</c>: <c>.tsv</c> / <c>.csv</c> with a header row (or the column
/// names given by <c>--columns</c> for a file without one), <c>.jsonl</c> (one object per line; its fields are the
/// columns), or, where plain texts are allowed, <c>.txt</c> (one text per line, the column <c>text</c>). A file that is
/// not UTF-8 text is refused; a bad row fails the read with the file, line and reason.
/// </summary>
internal static class DataFileReader
{
    /// <summary>The column name of a <c>.txt</c> file's lines.</summary>
    public const string TextColumn = TextInputReader.TextField;

    /// <summary>Reads <paramref name="path"/>; <paramref name="columns"/> names the fields of a header-less .tsv/.csv.</summary>
    public static DataTable Read(string path, IReadOnlyList<string>? columns, bool allowPlainText)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: no such data file.");
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (columns is not null && extension is not (".tsv" or ".csv"))
            throw new UserInputException($"--columns names the fields of a .tsv or .csv file, not of {path}.");
        Func<DataTable> read = extension switch
        {
            ".tsv" => () => DelimitedFileReader.Read(path, '\t', allowQuoting: false, columns),
            ".csv" => () => DelimitedFileReader.Read(path, ',', allowQuoting: true, columns),
            ".jsonl" => () => ReadJsonLines(path),
            ".txt" when allowPlainText => () => ReadText(path),
            _ => throw new UserInputException($"{path}: unsupported data file type '{extension}' (use {(allowPlainText ? ".tsv, .csv, .jsonl or .txt" : ".tsv, .csv or .jsonl")})."),
        };
        TextFileCheck.RequireText(path);
        return read();
    }

    /// <summary>Parses the value of <c>--columns</c> (comma-separated names).</summary>
    public static IReadOnlyList<string>? ParseColumnNames(string? value)
    {
        if (value is null) return null;
        var names = value.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(string.IsNullOrEmpty)) throw new UserInputException($"--columns '{value}': every column needs a name.");
        return names;
    }

    private static DataTable ReadJsonLines(string path)
    {
        List<string>? names = null;
        List<string>[] values = [];
        List<int> lines = [];
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var document = ParseObject(path, number, line);
            var root = document.RootElement;
            if (names is null)
            {
                names = [.. root.EnumerateObject().Select(p => p.Name)];
                if (names.Count == 0) throw new UserInputException($"{path} line {number}: the first object has no fields to make columns of.");
                values = [.. names.Select(_ => new List<string>())];
            }
            for (var i = 0; i < names.Count; i++)
            {
                if (!root.TryGetProperty(names[i], out var field))
                    throw new UserInputException($"{path} line {number}: field \"{names[i]}\" is missing (the first line has it).");
                values[i].Add(FieldText(path, number, names[i], field));
            }
            lines.Add(number);
        }
        if (names is null) throw new UserInputException($"{path}: the file has no rows.");
        return new DataTable(path, names, [.. values.Select(v => v.ToArray())], lines);
    }

    private static JsonDocument ParseObject(string path, int number, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            throw new UserInputException($"{path} line {number}: not valid JSON ({error.Message}).");
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
        document.Dispose();
        throw new UserInputException($"{path} line {number}: expected a JSON object.");
    }

    private static string FieldText(string path, int number, string name, JsonElement field) => field.ValueKind switch
    {
        JsonValueKind.String => field.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => field.GetRawText(),
        JsonValueKind.Null => "",
        _ => throw new UserInputException($"{path} line {number}: field \"{name}\" must be a string, number or boolean."),
    };

    private static DataTable ReadText(string path)
    {
        var lines = File.ReadAllLines(path);
        return new DataTable(path, [TextColumn], [lines], [.. Enumerable.Range(1, lines.Length)]);
    }
}

using System.Text;
using MLNet.Transformers.Cli.Common;

namespace MLNet.Transformers.Cli.Data;

/// <summary>
/// The rows of a .tsv/.csv file as ML.NET's <c>TextLoader</c> sees them, checked before it reads them: ML.NET is lenient
/// (a short row reads as empty fields, broken quoting as a missing value), so this scan is what reports a bad row with
/// its file, line and reason. It follows the loader's rules: lines that are empty or start with <c>//</c> are skipped
/// (the latter as comments), so are lines starting with <c>#</c> before the first row; with quoting (.csv), a field
/// that starts with <c>"</c> (after spaces) runs to the next lone <c>"</c>, across lines, <c>""</c> being a quote.
/// </summary>
internal sealed class DelimitedFileLayout
{
    private const char Quote = '"';
    private const string CommentStart = "//";
    private const char HeaderCommentStart = '#';

    private DelimitedFileLayout(IReadOnlyList<string> names, IReadOnlyList<int> rowLines, IReadOnlyList<int> commentLines)
    {
        Names = names;
        RowLines = rowLines;
        CommentLines = commentLines;
    }

    /// <summary>The column names: the header's fields, or the names given for a file without a header.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The line each row starts on (1-based), in file order.</summary>
    public IReadOnlyList<int> RowLines { get; }

    /// <summary>The lines after the first row that start with <c>//</c>, which the loader skips as comments.</summary>
    public IReadOnlyList<int> CommentLines { get; }

    /// <summary>
    /// Scans <paramref name="path"/>. With a header (<paramref name="columns"/> null) every row must have as many fields
    /// as the header; without one, at least as many as <paramref name="columns"/> names (it names the leading fields).
    /// </summary>
    /// <exception cref="UserInputException">The file has no header, a header name is empty or repeated, or a row has
    /// the wrong number of fields or broken quoting; the message names the file and line.</exception>
    public static DelimitedFileLayout Scan(string path, char separator, bool allowQuoting, IReadOnlyList<string>? columns)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var lines = new LineSource(reader);
        var splitter = new RecordSplitter(path, separator, allowQuoting, lines);
        var names = columns;
        List<int> rows = [], comments = [];
        var beforeFirstRecord = true;
        while (lines.Next() is { } line)
        {
            if (line.Length == 0) continue;
            if (line.StartsWith(CommentStart, StringComparison.Ordinal))
            {
                if (!beforeFirstRecord) comments.Add(lines.Number);
                continue;
            }
            if (beforeFirstRecord && line[0] == HeaderCommentStart) continue;
            var start = lines.Number;
            var fields = splitter.Split(line);
            if (beforeFirstRecord && names is null)
            {
                names = CheckedHeader(path, fields);
                beforeFirstRecord = false;
                continue;
            }
            beforeFirstRecord = false;
            RequireFieldCount(path, start, fields.Count, names!, exact: columns is null, separator);
            rows.Add(start);
        }
        if (names is null) throw new UserInputException($"{path}: the file is empty; a header row naming the columns was expected.");
        return new DelimitedFileLayout(names, rows, comments);
    }

    /// <summary>The header's fields as column names (spaces around them dropped), each named once.</summary>
    private static IReadOnlyList<string> CheckedHeader(string path, List<string> header)
    {
        var fields = header.Select(name => name.Trim()).ToList();
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Length == 0) throw new UserInputException($"{path}: header field {i + 1} is empty; every column needs a name.");
            if (fields.IndexOf(fields[i]) < i) throw new UserInputException($"{path}: the column name '{fields[i]}' appears twice in the header.");
        }
        return fields;
    }

    private static void RequireFieldCount(string path, int line, int count, IReadOnlyList<string> names, bool exact, char separator)
    {
        if (count >= names.Count && (!exact || count == names.Count)) return;
        var fields = $"{count} field{(count == 1 ? "" : "s")}";
        var separatedBy = separator == '\t' ? "tabs" : $"'{separator}'";
        throw new UserInputException(count < names.Count
            ? $"{path} line {line}: no field for column '{names[count]}' (the row has {fields} separated by {separatedBy}; the columns are {string.Join(", ", names)})."
            : $"{path} line {line}: the row has {fields} separated by {separatedBy}, but the header names {names.Count} columns ({string.Join(", ", names)}).");
    }

    /// <summary>The lines of a file, numbered.</summary>
    private sealed class LineSource(TextReader reader)
    {
        /// <summary>The number of the line <see cref="Next"/> returned last.</summary>
        public int Number { get; private set; }

        /// <summary>The next line, or null at the end.</summary>
        public string? Next()
        {
            var line = reader.ReadLine();
            if (line is not null) Number++;
            return line;
        }
    }

    /// <summary>Splits records into fields, reading further lines while a quoted field stays open.</summary>
    private sealed class RecordSplitter(string path, char separator, bool allowQuoting, LineSource lines)
    {
        private readonly StringBuilder _field = new();

        public List<string> Split(string line)
        {
            var fields = new List<string>();
            var i = 0;
            while (true)
            {
                var start = i;
                while (allowQuoting && i < line.Length && line[i] == ' ') i++;
                if (allowQuoting && i < line.Length && line[i] == Quote)
                {
                    line = ReadQuoted(line, ref i, fields.Count + 1);
                    fields.Add(_field.ToString());
                }
                else
                {
                    var end = line.IndexOf(separator, start);
                    i = end < 0 ? line.Length : end;
                    fields.Add(line[start..i]);
                }
                if (i >= line.Length) return fields;
                i++; // the separator
            }
        }

        /// <summary>Reads the quoted field at <paramref name="i"/> into the buffer; returns the line it ends on, <paramref name="i"/> after it.</summary>
        private string ReadQuoted(string line, ref int i, int fieldNumber)
        {
            var openedOn = lines.Number;
            _field.Clear();
            i++;
            while (true)
            {
                var close = line.IndexOf(Quote, i);
                if (close < 0)
                {
                    _field.Append(line, i, line.Length - i).Append('\n');
                    line = lines.Next() ?? throw new UserInputException($"{path} line {openedOn}: the quoted field {fieldNumber} is never closed (a '\"' is missing).");
                    i = 0;
                    continue;
                }
                _field.Append(line, i, close - i);
                if (close + 1 < line.Length && line[close + 1] == Quote)
                {
                    _field.Append(Quote);
                    i = close + 2;
                    continue;
                }
                i = close + 1;
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != separator)
                    throw new UserInputException($"{path} line {lines.Number}: unexpected '{line[i]}' after the closing quote of field {fieldNumber} "
                        + "(a quote inside a quoted field is written \"\").");
                return line;
            }
        }
    }
}

using System.Buffers;
using System.Text;

namespace MLNet.Transformers.Data;

/// <summary>
/// Splits a text stream into records of fields, one record at a time: separators, optional RFC 4180 quoting (a
/// quoted field may hold separators, doubled quotes and line breaks), optional trimming. Only the current record is
/// held. Field values are slices of a string made once per record, so a text value stays valid after the reader moves.
/// </summary>
internal sealed class DelimitedRecordReader(TextReader reader, char[] separators, bool allowQuoting, bool trimWhitespace) : IDisposable
{
    private const char Quote = '"';

    private readonly SearchValues<char> _separators = SearchValues.Create(separators);
    private readonly List<Range> _fields = [];
    private readonly StringBuilder _quoted = new();
    private string _text = "";
    private long _linesRead;

    /// <summary>The 1-based line the current record starts on.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The number of fields in the current record.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>Field <paramref name="index"/> of the current record, unquoted.</summary>
    public ReadOnlyMemory<char> Field(int index) => _text.AsMemory(_fields[index]);

    /// <summary>Reads the next record; false at the end. Throws <see cref="FormatException"/> (with the reason only)
    /// for malformed quoting, after consuming the bad record.</summary>
    public bool Read()
    {
        var line = reader.ReadLine();
        if (line is null) return false;
        LineNumber = ++_linesRead;
        _fields.Clear();
        if (allowQuoting && line.Contains(Quote)) SplitQuoted(line);
        else SplitPlain(line);
        return true;
    }

    private void SplitPlain(string line)
    {
        _text = line;
        int start = 0;
        while (true)
        {
            int found = line.AsSpan(start).IndexOfAny(_separators);
            int end = found < 0 ? line.Length : start + found;
            _fields.Add(Trimmed(line, start, end));
            if (found < 0) return;
            start = end + 1;
        }
    }

    private Range Trimmed(string text, int start, int end)
    {
        if (trimWhitespace)
        {
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        }
        return start..end;
    }

    private void SplitQuoted(string line)
    {
        _quoted.Clear();
        int i = 0;
        while (true)
        {
            int fieldStart = _quoted.Length;
            while (trimWhitespace && i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == Quote) line = ReadQuotedField(line, ref i);
            else
            {
                int found = line.AsSpan(i).IndexOfAny(_separators);
                int end = found < 0 ? line.Length : i + found;
                int trimmedEnd = end;
                while (trimWhitespace && trimmedEnd > i && char.IsWhiteSpace(line[trimmedEnd - 1])) trimmedEnd--;
                _quoted.Append(line, i, trimmedEnd - i);
                i = end;
            }
            _fields.Add(fieldStart.._quoted.Length);
            if (i >= line.Length) break;
            i++; // the separator
        }
        _text = _quoted.ToString();
    }

    /// <summary>Appends the quoted field starting at <paramref name="i"/>, reading more lines while it stays open; returns the line it ends on.</summary>
    private string ReadQuotedField(string line, ref int i)
    {
        long openedOn = _linesRead;
        i++;
        while (true)
        {
            int close = line.IndexOf(Quote, i);
            if (close < 0)
            {
                _quoted.Append(line, i, line.Length - i).Append('\n');
                line = reader.ReadLine() ?? throw new FormatException($"the quoted field opened on line {openedOn} is never closed");
                _linesRead++;
                i = 0;
                continue;
            }
            _quoted.Append(line, i, close - i);
            if (close + 1 < line.Length && line[close + 1] == Quote)
            {
                _quoted.Append(Quote);
                i = close + 2;
                continue;
            }
            i = close + 1;
            while (trimWhitespace && i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && !_separators.Contains(line[i]))
                throw new FormatException($"unexpected '{line[i]}' after the closing quote of field {_fields.Count + 1}");
            return line;
        }
    }

    public void Dispose() => reader.Dispose();
}

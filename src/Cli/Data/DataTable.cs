using MLNet.Transformers.Cli.Common;

namespace MLNet.Transformers.Cli.Data;

/// <summary>
/// A data file read into memory as text columns (the CLI's data sets are small enough; reading them whole finds
/// every bad row before any work starts). Columns are looked up by name; a missing one is a user mistake that names
/// the file and the columns it does have. Each row remembers the line it came from, for error messages.
/// </summary>
internal sealed class DataTable
{
    private readonly Dictionary<string, string[]> _columns;
    private readonly IReadOnlyList<int> _lines;

    /// <summary>A table of <paramref name="path"/> with the columns <paramref name="names"/>; row r came from line <paramref name="lines"/>[r].</summary>
    public DataTable(string path, IReadOnlyList<string> names, IReadOnlyList<string[]> columns, IReadOnlyList<int> lines)
    {
        Path = path;
        ColumnNames = names;
        _lines = lines;
        _columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
            if (!_columns.TryAdd(names[i], columns[i])) throw new UserInputException($"{path}: the column name '{names[i]}' appears twice.");
    }

    /// <summary>The file the table was read from.</summary>
    public string Path { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of rows (header excluded).</summary>
    public int RowCount => _lines.Count;

    /// <summary>Whether the table has a column named <paramref name="name"/>.</summary>
    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The values of column <paramref name="name"/>, one per row.</summary>
    public IReadOnlyList<string> Column(string name) => _columns.TryGetValue(name, out var values)
        ? values
        : throw new UserInputException($"{Path}: no column '{name}' (the columns are: {string.Join(", ", ColumnNames)}).");

    /// <summary>Where row <paramref name="row"/> (0-based) is, for messages: <c>row 3 (line 4)</c>.</summary>
    public string Locate(int row) => $"row {row + 1} (line {_lines[row]})";
}

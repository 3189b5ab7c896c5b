using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Data;

namespace MLNet.Transformers.Cli.Data;

/// <summary>
/// A data file read into memory as text columns (the CLI's data sets are small enough; reading them whole finds
/// every bad row before any work starts). Columns are looked up by name; a missing one is a user mistake that names
/// the file and the columns it does have.
/// </summary>
internal sealed class DataTable
{
    private readonly Dictionary<string, string[]> _columns;

    /// <summary>A table of <paramref name="path"/> with the columns <paramref name="names"/>, all of <paramref name="rowCount"/> rows.</summary>
    public DataTable(string path, IReadOnlyList<string> names, IReadOnlyList<string[]> columns, int rowCount)
    {
        Path = path;
        ColumnNames = names;
        RowCount = rowCount;
        _columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
            if (!_columns.TryAdd(names[i], columns[i])) throw new UserInputException($"{path}: the column name '{names[i]}' appears twice.");
    }

    /// <summary>The file the table was read from.</summary>
    public string Path { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of rows (header excluded).</summary>
    public int RowCount { get; }

    /// <summary>Whether the table has a column named <paramref name="name"/>.</summary>
    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The values of column <paramref name="name"/>, one per row.</summary>
    public IReadOnlyList<string> Column(string name) => _columns.TryGetValue(name, out var values)
        ? values
        : throw new UserInputException($"{Path}: no column '{name}' (the columns are: {string.Join(", ", ColumnNames)}).");

    /// <summary>
    /// A data view of the columns <paramref name="columns"/> (each a name in the view and the table column it reads),
    /// in that order.
    /// </summary>
    public IDataView ToDataView(IEnumerable<(string ViewName, string TableName)> columns)
    {
        var builder = new ArrayDataViewBuilder();
        foreach (var (viewName, tableName) in columns) builder.AddColumn(viewName, Column(tableName));
        return builder.GetDataView();
    }

    /// <summary>A table of the rows <paramref name="rows"/> of this one (used for seeded splits).</summary>
    public DataTable Rows(IReadOnlyList<int> rows) =>
        new(Path, ColumnNames, [.. ColumnNames.Select(name => rows.Select(r => _columns[name][r]).ToArray())], rows.Count);
}

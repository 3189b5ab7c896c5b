using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Cli.Common;

namespace MLNet.Transformers.Cli.Data;

/// <summary>
/// Reads a .tsv or .csv file with ML.NET's <c>TextLoader</c>, every column as text, after
/// <see cref="DelimitedFileLayout"/> has checked its rows (ML.NET itself would read a bad row leniently). Rows starting
/// with <c>//</c>, which the loader skips as comments, are counted in a warning so that no row goes missing unnoticed.
/// </summary>
internal static class DelimitedFileReader
{
    /// <summary>Reads <paramref name="path"/>; <paramref name="columns"/> names the leading fields of a file without a header.</summary>
    public static DataTable Read(string path, char separator, bool allowQuoting, IReadOnlyList<string>? columns)
    {
        var layout = DelimitedFileLayout.Scan(path, separator, allowQuoting, columns);
        if (layout.CommentLines.Count > 0)
            Console.Error.WriteLine($"warning: {path}: {layout.CommentLines.Count} line(s) starting with '//' were skipped as comments "
                + $"(ML.NET's TextLoader reads them so), the first is line {layout.CommentLines[0]}.");

        var loader = new MLContext().Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [separator],
            HasHeader = columns is null,
            AllowQuoting = allowQuoting,
            ReadMultilines = allowQuoting,
            Columns = [.. layout.Names.Select((name, i) => new TextLoader.Column(name, DataKind.String, i))],
        });
        var values = ReadColumns(path, loader.Load(path));
        if (values[0].Count != layout.RowLines.Count)
            throw new InvalidOperationException($"{path}: ML.NET's TextLoader read {values[0].Count} rows where the check found {layout.RowLines.Count}.");
        return new DataTable(path, layout.Names, [.. values.Select(v => v.ToArray())], layout.RowLines);
    }

    private static List<string>[] ReadColumns(string path, IDataView view)
    {
        var values = view.Schema.Select(_ => new List<string>()).ToArray();
        try
        {
            using var cursor = view.GetRowCursor(view.Schema);
            var getters = view.Schema.Select(cursor.GetGetter<ReadOnlyMemory<char>>).ToArray();
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
                for (var i = 0; i < getters.Length; i++)
                {
                    getters[i](ref value);
                    values[i].Add(value.ToString());
                }
        }
        catch (FormatException error)
        {
            // The layout check reads what the loader reads; this is the loader's own word on a row it still refuses.
            throw new UserInputException($"{path}: {CliErrors.OneLine(CliErrors.Innermost(error).Message)}");
        }
        return values;
    }
}

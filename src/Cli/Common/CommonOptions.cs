using System.CommandLine;

namespace MLNet.Transformers.Cli.Common;

/// <summary>Options several commands share, described once.</summary>
internal static class CommonOptions
{
    /// <summary><c>--columns a,b,...</c>: the column names of a .tsv/.csv data file that has no header row.</summary>
    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Comma-separated column names for a .tsv/.csv file without a header row (e.g. --columns text,label).",
    };
}

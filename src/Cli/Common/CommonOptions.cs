using System.CommandLine;

namespace MLNet.Transformers.Cli.Common;

/// <summary>Options several commands share, described once.</summary>
internal static class CommonOptions
{
    private static readonly Dictionary<string, Precision> Precisions = new() { ["float32"] = Precision.Float32, ["int8"] = Precision.Int8 };

    /// <summary>
    /// <c>--precision float32|int8</c>: the arithmetic of the encoder's dense products; <paramref name="whenOmitted"/>
    /// says what applies without it.
    /// </summary>
    public static Option<string?> PrecisionChoice(string whenOmitted)
    {
        var option = new Option<string?>("--precision")
        {
            Description = $"Arithmetic of the encoder's dense products: float32, or int8 (8-bit weights and activations, about twice as fast on CPUs with AVX-VNNI, cosine about 0.99 to float32); default: {whenOmitted}.",
        };
        option.AcceptOnlyFromAmong([.. Precisions.Keys]);
        return option;
    }

    /// <summary>The precision named by a <see cref="PrecisionChoice"/> option's value, or null when it was omitted.</summary>
    public static Precision? ParsePrecision(string? value) => value is null ? null : Precisions[value];

    /// <summary><c>--columns a,b,...</c>: the column names of a .tsv/.csv data file that has no header row.</summary>
    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Comma-separated column names for a .tsv/.csv file without a header row (e.g. --columns text,label).",
    };
}

using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// Shows multiclass metrics: a table of the overall figures and the per-class precision / recall / F1, the confusion
/// matrix, and the JSON file of <c>evaluate --output</c> (snake_case: <c>accuracy</c>, <c>macro_accuracy</c>,
/// <c>log_loss</c>, <c>log_loss_reduction</c> (null when undefined: data of one class), <c>rows</c>, <c>classes</c>
/// with per-class figures, <c>confusion_matrix</c> with counts[truth][predicted]).
/// </summary>
internal static class MetricsReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the metrics table, the per-class table and the confusion matrix to the console.</summary>
    public static void Print(ClassifierMetrics metrics, string title)
    {
        var overall = new Table().Title(Markup.Escape(title)).AddColumns("Metric", "Value");
        overall.AddRow("Accuracy", Format(metrics.Metrics.MicroAccuracy));
        overall.AddRow("Macro accuracy", Format(metrics.Metrics.MacroAccuracy));
        overall.AddRow("Log-loss", Format(metrics.Metrics.LogLoss));
        overall.AddRow("Log-loss reduction", metrics.LogLossReduction is { } reduction ? Format(reduction) : ClassifierMetrics.UndefinedLogLossReduction);
        AnsiConsole.Write(overall);

        var confusion = metrics.Confusion;
        var names = metrics.ClassNames;
        var perClass = new Table().Title("Per class").AddColumns("Class", "Precision", "Recall", "F1", "Rows");
        for (var c = 0; c < names.Count; c++)
            perClass.AddRow(Markup.Escape(names[c]), Format(confusion.PerClassPrecision[c]), Format(confusion.PerClassRecall[c]),
                Format(metrics.F1(c)), metrics.RowsOf(c).ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(perClass);

        var matrix = new Table().Title("Confusion matrix").AddColumn("Truth \\ Predicted");
        foreach (var name in names) matrix.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        matrix.AddColumn(new TableColumn("Recall").RightAligned());
        for (var r = 0; r < names.Count; r++)
            matrix.AddRow([Markup.Escape(names[r]), .. confusion.Counts[r].Select(n => n.ToString(CultureInfo.InvariantCulture)), Format(confusion.PerClassRecall[r])]);
        matrix.AddRow(["Precision", .. confusion.PerClassPrecision.Select(Format), ""]);
        AnsiConsole.Write(matrix);
    }

    /// <summary>The metrics as the JSON document of <c>evaluate --output</c>.</summary>
    public static string ToJson(ClassifierMetrics metrics)
    {
        var confusion = metrics.Confusion;
        var document = new Dictionary<string, object?>
        {
            ["accuracy"] = metrics.Metrics.MicroAccuracy,
            ["macro_accuracy"] = metrics.Metrics.MacroAccuracy,
            ["log_loss"] = metrics.Metrics.LogLoss,
            ["log_loss_reduction"] = metrics.LogLossReduction,
            ["rows"] = metrics.Rows,
            ["classes"] = metrics.ClassNames.Select((name, c) => new Dictionary<string, object>
            {
                ["label"] = name,
                ["precision"] = confusion.PerClassPrecision[c],
                ["recall"] = confusion.PerClassRecall[c],
                ["f1"] = metrics.F1(c),
                ["rows"] = metrics.RowsOf(c),
            }).ToArray(),
            ["confusion_matrix"] = new Dictionary<string, object>
            {
                ["labels"] = metrics.ClassNames,
                ["counts"] = confusion.Counts.Select(row => row.Select(n => (long)n).ToArray()).ToArray(),
            },
        };
        return JsonSerializer.Serialize(document, Json);
    }

    /// <summary>A metric with four decimals.</summary>
    public static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

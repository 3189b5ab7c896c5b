using System.Globalization;
using System.Text.Json;
using MLNet.Transformers.Data;
using Spectre.Console;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// Shows multiclass metrics: a table of the overall figures and the per-class precision / recall / F1, the confusion
/// matrix, and the JSON file of <c>evaluate --output</c> (snake_case: <c>accuracy</c>, <c>macro_accuracy</c>,
/// <c>log_loss</c>, <c>log_loss_reduction</c>, <c>rows</c>, <c>classes</c> with per-class figures,
/// <c>confusion_matrix</c> with counts[truth][predicted]).
/// </summary>
internal static class MetricsReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the metrics table and the confusion matrix to the console.</summary>
    public static void Print(MulticlassClassificationMetrics metrics, string title)
    {
        var confusion = metrics.ConfusionMatrix;
        var overall = new Table().Title(Markup.Escape(title)).AddColumns("Metric", "Value");
        overall.AddRow("Accuracy", Format(metrics.MicroAccuracy));
        overall.AddRow("Macro accuracy", Format(metrics.MacroAccuracy));
        overall.AddRow("Log-loss", Format(metrics.LogLoss));
        overall.AddRow("Log-loss reduction", Format(metrics.LogLossReduction));
        AnsiConsole.Write(overall);

        var perClass = new Table().Title("Per class").AddColumns("Class", "Precision", "Recall", "F1", "Rows");
        for (var c = 0; c < confusion.NumberOfClasses; c++)
            perClass.AddRow(Markup.Escape(confusion.ClassNames[c]), Format(confusion.PerClassPrecision[c]), Format(confusion.PerClassRecall[c]),
                Format(confusion.PerClassF1Score[c]), confusion.Counts[c].Sum().ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(perClass);

        AnsiConsole.WriteLine("Confusion matrix:");
        AnsiConsole.WriteLine(confusion.GetFormattedConfusionTable());
    }

    /// <summary>The metrics as the JSON document of <c>evaluate --output</c>.</summary>
    public static string ToJson(MulticlassClassificationMetrics metrics)
    {
        var confusion = metrics.ConfusionMatrix;
        var document = new Dictionary<string, object?>
        {
            ["accuracy"] = metrics.MicroAccuracy,
            ["macro_accuracy"] = metrics.MacroAccuracy,
            ["log_loss"] = metrics.LogLoss,
            ["log_loss_reduction"] = metrics.LogLossReduction,
            ["rows"] = confusion.Counts.Sum(row => row.Sum()),
            ["classes"] = Enumerable.Range(0, confusion.NumberOfClasses).Select(c => new Dictionary<string, object>
            {
                ["label"] = confusion.ClassNames[c],
                ["precision"] = confusion.PerClassPrecision[c],
                ["recall"] = confusion.PerClassRecall[c],
                ["f1"] = confusion.PerClassF1Score[c],
                ["rows"] = confusion.Counts[c].Sum(),
            }).ToArray(),
            ["confusion_matrix"] = new Dictionary<string, object>
            {
                ["labels"] = confusion.ClassNames,
                ["counts"] = confusion.Counts,
            },
        };
        return JsonSerializer.Serialize(document, Json);
    }

    private static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

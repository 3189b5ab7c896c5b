using System.Globalization;
using System.Text;
using MLNet.Transformers.Cli.Classification;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Cli.Training;

/// <summary>
/// The report <c>train</c> writes beside the model (<c>MODEL.report.html</c>): one self-contained HTML page with
/// inline SVG charts of the training loss and the validation curves, the confusion matrix and metrics of the final
/// model, and the options used.
/// </summary>
internal static class TrainingReport
{
    /// <summary>Steps averaged by the smoothed loss curve (a trailing mean), so noisy batches do not hide the trend.</summary>
    private const int SmoothingWindow = 20;

    /// <summary>The report path of the model at <paramref name="modelPath"/>: <c>NAME.report.html</c> beside it.</summary>
    public static string PathFor(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Path.GetFileNameWithoutExtension(modelPath) + ".report.html");

    /// <summary>Writes the report to <paramref name="path"/> (atomically).</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="history">The run's steps and validations.</param>
    /// <param name="metrics">The final model's metrics and on which data (<paramref name="metricsData"/>).</param>
    /// <param name="metricsData">Which data the metrics were measured on (e.g. the validation file).</param>
    /// <param name="settings">The options used, name → value, in display order.</param>
    public static void Write(string path, TrainingHistory history, ClassifierMetrics metrics, string metricsData,
        IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Training report</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}figure{margin:1em 0}</style>");
        html.Append("</head><body><h1>Training report</h1>");

        html.Append("<h2>Training loss</h2><figure>");
        var steps = history.Steps;
        html.Append(SvgChart.Lines("Training loss per step", "step",
        [
            new("loss", "#90a4ae", [.. steps.Select(s => ((double)s.Step, s.Loss))]),
            new($"mean of last {SmoothingWindow}", "#1565c0", Smoothed(steps)),
        ]));
        html.Append("</figure>");

        html.Append("<h2>Validation</h2><figure>");
        var validations = history.Validations;
        html.Append(validations.Count == 0 ? "<p>No validation data was given.</p>" : SvgChart.Lines("Validation after each pass", "step",
        [
            new("loss", "#c62828", [.. validations.Select(v => ((double)v.Step, v.Result.Loss))]),
            new("accuracy", "#2e7d32", [.. validations.Where(v => v.Result.Accuracy is not null).Select(v => ((double)v.Step, v.Result.Accuracy!.Value))]),
        ]));
        html.Append("</figure>");
        if (history.BestStep is { } best) html.Append(CultureInfo.InvariantCulture, $"<p>The model keeps the weights of step {best} (best validation).</p>");
        if (history.StopReason is { } reason) html.Append(CultureInfo.InvariantCulture, $"<p>The run ended: {SvgChart.Escape(reason)}.</p>");

        html.Append(CultureInfo.InvariantCulture, $"<h2>Final model on {SvgChart.Escape(metricsData)}</h2>");
        AppendTable(html, [
            new("accuracy", MetricsReport.Format(metrics.Metrics.MicroAccuracy)),
            new("macro accuracy", MetricsReport.Format(metrics.Metrics.MacroAccuracy)),
            new("log-loss", MetricsReport.Format(metrics.Metrics.LogLoss)),
            new("log-loss reduction", metrics.LogLossReduction is { } reduction ? MetricsReport.Format(reduction) : ClassifierMetrics.UndefinedLogLossReduction),
        ]);
        html.Append("<figure>").Append(SvgChart.Confusion("Confusion matrix", metrics.ClassNames, metrics.Confusion.Counts)).Append("</figure>");

        html.Append("<h2>Options</h2>");
        AppendTable(html, settings);
        html.Append("</body></html>\n");

        using var output = new AtomicFileWriter(path);
        output.Writer.Write(html.ToString());
        output.Commit();
    }

    private static List<(double, double)> Smoothed(IReadOnlyList<StepRecord> steps)
    {
        var points = new List<(double, double)>(steps.Count);
        double sum = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            sum += steps[i].Loss;
            if (i >= SmoothingWindow) sum -= steps[i - SmoothingWindow].Loss;
            points.Add((steps[i].Step, sum / Math.Min(i + 1, SmoothingWindow)));
        }
        return points;
    }

    private static void AppendTable(StringBuilder html, IEnumerable<KeyValuePair<string, string>> rows)
    {
        html.Append("<table>");
        foreach (var (name, value) in rows) html.Append("<tr><th>").Append(SvgChart.Escape(name)).Append("</th><td>").Append(SvgChart.Escape(value)).Append("</td></tr>");
        html.Append("</table>");
    }
}

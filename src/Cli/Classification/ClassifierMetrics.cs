using Microsoft.ML.Data;

namespace MLNet.Transformers.Cli.Classification;

/// <summary>
/// ML.NET's multiclass metrics of a classifier with its class names (ML.NET's confusion matrix keeps them to itself),
/// and the figures the CLI shows that ML.NET leaves out or cannot give: per-class F1, and a log-loss reduction that is
/// null where it is undefined.
/// </summary>
/// <param name="Metrics">What <c>MulticlassClassification.Evaluate</c> measured.</param>
/// <param name="ClassNames">The class names in key (score) order.</param>
internal sealed record ClassifierMetrics(MulticlassClassificationMetrics Metrics, IReadOnlyList<string> ClassNames)
{
    /// <summary>ML.NET's confusion matrix: counts[truth][predicted], per-class precision and recall.</summary>
    public ConfusionMatrix Confusion => Metrics.ConfusionMatrix;

    /// <summary>The number of rows measured.</summary>
    public int Rows => (int)Confusion.Counts.Sum(row => row.Sum());

    /// <summary>The rows of class <paramref name="c"/> in the data.</summary>
    public int RowsOf(int c) => (int)Confusion.Counts[c].Sum();

    /// <summary>
    /// The log-loss reduction (how much better than predicting the class frequencies), or null when undefined: with
    /// fewer than two classes in the data, the frequencies' own log-loss is 0 and there is nothing to improve on.
    /// </summary>
    public double? LogLossReduction =>
        Enumerable.Range(0, Confusion.NumberOfClasses).Count(c => RowsOf(c) > 0) >= 2 && double.IsFinite(Metrics.LogLossReduction)
            ? Metrics.LogLossReduction
            : null;

    /// <summary>Why <see cref="LogLossReduction"/> is null, in a few words.</summary>
    public const string UndefinedLogLossReduction = "undefined (the data has one class)";

    /// <summary>The F1 score of class <paramref name="c"/> (harmonic mean of precision and recall; 0 when both are 0).</summary>
    public double F1(int c)
    {
        double precision = Confusion.PerClassPrecision[c], recall = Confusion.PerClassRecall[c];
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}

namespace MLNet.Transformers.Data;

/// <summary>
/// Quality of a multiclass classifier on labelled rows; each figure equals scikit-learn's on the same inputs
/// (micro accuracy = <c>accuracy_score</c>, macro accuracy = <c>balanced_accuracy_score</c>, <c>log_loss</c> with
/// all classes, per-class <c>precision_recall_fscore_support</c>, <c>confusion_matrix</c>). Log-losses are in nats.
/// </summary>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(ConfusionMatrix confusion, double logLoss, double priorLogLoss, IReadOnlyList<double> perClassLogLoss)
    {
        ConfusionMatrix = confusion;
        int k = confusion.NumberOfClasses;
        long total = 0, correct = 0;
        var recalls = new List<double>();
        for (int c = 0; c < k; c++)
        {
            long rowsOfClass = confusion.Counts[c].Sum();
            total += rowsOfClass;
            correct += confusion.Counts[c][c];
            if (rowsOfClass > 0) recalls.Add(confusion.PerClassRecall[c]);
        }
        MicroAccuracy = total == 0 ? double.NaN : (double)correct / total;
        MacroAccuracy = recalls.Count == 0 ? double.NaN : recalls.Average();
        LogLoss = logLoss;
        LogLossReduction = (priorLogLoss - logLoss) / priorLogLoss;
        PerClassLogLoss = perClassLogLoss;
    }

    /// <summary>The fraction of rows predicted right.</summary>
    public double MicroAccuracy { get; }

    /// <summary>The mean over classes (that have rows) of each class's recall.</summary>
    public double MacroAccuracy { get; }

    /// <summary>The mean cross-entropy of the score vectors (nats).</summary>
    public double LogLoss { get; }

    /// <summary>How much better than predicting the class frequencies: (prior log-loss - LogLoss) / prior log-loss.</summary>
    public double LogLossReduction { get; }

    /// <summary>Per class, the mean log-loss of its rows (NaN for a class without rows).</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>Counts of (truth, prediction) with per-class precision, recall and F1.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Computes the metrics of <paramref name="rows"/> (0-based label, class scores, 0-based prediction).</summary>
    internal static MulticlassClassificationMetrics Compute(IReadOnlyList<string> classNames, IReadOnlyList<(int Label, float[] Scores, int Predicted)> rows)
    {
        int k = classNames.Count;
        var counts = new long[k, k];
        var classLoss = new double[k];
        var classRows = new long[k];
        var probabilities = new double[k];
        double logLoss = 0;
        foreach (var row in rows)
        {
            counts[row.Label, row.Predicted]++;
            for (int c = 0; c < k; c++) probabilities[c] = row.Scores[c];
            double loss = Data.LogLoss.Row(probabilities, row.Label);
            logLoss += loss;
            classLoss[row.Label] += loss;
            classRows[row.Label]++;
        }
        var priors = classRows.Select(n => (double)n / rows.Count).ToArray();
        var perClass = classLoss.Select((loss, c) => classRows[c] == 0 ? double.NaN : loss / classRows[c]).ToArray();
        return new MulticlassClassificationMetrics(new ConfusionMatrix(classNames, counts), logLoss / rows.Count, Data.LogLoss.Prior(priors), perClass);
    }
}

namespace MLNet.Transformers.Data;

/// <summary>
/// Quality of a binary classifier on labelled rows; each figure equals scikit-learn's on the same inputs
/// (<c>accuracy_score</c>, <c>roc_auc_score</c>, <c>average_precision_score</c>, <c>precision_score</c>,
/// <c>recall_score</c>, <c>f1_score</c>, <c>log_loss</c>). Log-losses are in nats (ML.NET reports bits).
/// </summary>
public sealed class CalibratedBinaryClassificationMetrics
{
    internal CalibratedBinaryClassificationMetrics(ConfusionMatrix confusion, double auc, double auprc, double logLoss, double entropy)
    {
        ConfusionMatrix = confusion;
        long total = confusion.Counts.Sum(r => r.Sum());
        Accuracy = total == 0 ? double.NaN : (double)(confusion.Counts[0][0] + confusion.Counts[1][1]) / total;
        AreaUnderRocCurve = auc;
        AreaUnderPrecisionRecallCurve = auprc;
        LogLoss = logLoss;
        Entropy = entropy;
        LogLossReduction = (entropy - logLoss) / entropy;
    }

    /// <summary>The fraction of rows predicted right.</summary>
    public double Accuracy { get; }

    /// <summary>The area under the ROC curve of the scores (ties count half).</summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>Average precision: the area under the precision-recall curve as a step function.</summary>
    public double AreaUnderPrecisionRecallCurve { get; }

    /// <summary>Of the rows predicted positive, the fraction that are.</summary>
    public double PositivePrecision => ConfusionMatrix.PerClassPrecision[1];

    /// <summary>Of the positive rows, the fraction predicted positive.</summary>
    public double PositiveRecall => ConfusionMatrix.PerClassRecall[1];

    /// <summary>Of the rows predicted negative, the fraction that are.</summary>
    public double NegativePrecision => ConfusionMatrix.PerClassPrecision[0];

    /// <summary>Of the negative rows, the fraction predicted negative.</summary>
    public double NegativeRecall => ConfusionMatrix.PerClassRecall[0];

    /// <summary>The F1 score of the positive class.</summary>
    public double F1Score => ConfusionMatrix.PerClassF1Score[1];

    /// <summary>The mean cross-entropy of the probabilities (nats).</summary>
    public double LogLoss { get; }

    /// <summary>The log-loss of always predicting the positive fraction (the labels' entropy, nats).</summary>
    public double Entropy { get; }

    /// <summary>How much better than the prior the probabilities are: (Entropy - LogLoss) / Entropy.</summary>
    public double LogLossReduction { get; }

    /// <summary>Counts of (truth, prediction), negative class first.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Computes the metrics of <paramref name="rows"/> (label, score, probability, predicted label).</summary>
    internal static CalibratedBinaryClassificationMetrics Compute(IReadOnlyList<(bool Label, float Score, float Probability, bool Predicted)> rows)
    {
        var counts = new long[2, 2];
        double logLoss = 0;
        long positives = 0;
        foreach (var row in rows)
        {
            counts[row.Label ? 1 : 0, row.Predicted ? 1 : 0]++;
            logLoss += Data.LogLoss.Binary(row.Probability, row.Label);
            if (row.Label) positives++;
        }
        double n = rows.Count, prior = positives / n;
        double entropy = prior * Data.LogLoss.Binary(prior, true) + (1 - prior) * Data.LogLoss.Binary(prior, false);
        var (auc, auprc) = RankingCurves.Areas(rows.Select(r => (r.Score, r.Label)).ToArray());
        return new CalibratedBinaryClassificationMetrics(new ConfusionMatrix(["False", "True"], counts), auc, auprc, logLoss / n, entropy);
    }
}

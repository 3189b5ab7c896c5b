namespace MLNet.Transformers.Data;

/// <summary>
/// Quality of a binary classifier's scores and decisions on labelled rows; each figure equals scikit-learn's on the
/// same inputs (<c>accuracy_score</c>, <c>roc_auc_score</c>, <c>average_precision_score</c>,
/// <c>precision_score</c>, <c>recall_score</c>, <c>f1_score</c>).
/// </summary>
public class BinaryClassificationMetrics
{
    private protected BinaryClassificationMetrics(ConfusionMatrix confusion, (double Auc, double AveragePrecision) areas)
    {
        ConfusionMatrix = confusion;
        long total = confusion.Counts.Sum(r => r.Sum());
        Accuracy = total == 0 ? double.NaN : (double)(confusion.Counts[0][0] + confusion.Counts[1][1]) / total;
        AreaUnderRocCurve = areas.Auc;
        AreaUnderPrecisionRecallCurve = areas.AveragePrecision;
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

    /// <summary>Counts of (truth, prediction), negative class first.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Computes the metrics of <paramref name="rows"/> (label, score, predicted label).</summary>
    internal static BinaryClassificationMetrics Compute(IReadOnlyList<BinaryScoredRow> rows) => new(Confusion(rows), RankingCurves.Areas(rows));

    private protected static ConfusionMatrix Confusion(IReadOnlyList<BinaryScoredRow> rows)
    {
        var counts = new long[2, 2];
        foreach (var row in rows) counts[row.Label ? 1 : 0, row.Predicted ? 1 : 0]++;
        return new ConfusionMatrix(["False", "True"], counts);
    }
}

/// <summary>
/// <see cref="BinaryClassificationMetrics"/> plus the quality of the probabilities: log-loss as scikit-learn's
/// <c>log_loss</c>, in nats (ML.NET reports bits).
/// </summary>
public sealed class CalibratedBinaryClassificationMetrics : BinaryClassificationMetrics
{
    private CalibratedBinaryClassificationMetrics(ConfusionMatrix confusion, (double Auc, double AveragePrecision) areas, double logLoss, double entropy)
        : base(confusion, areas)
    {
        LogLoss = logLoss;
        Entropy = entropy;
        LogLossReduction = (entropy - logLoss) / entropy;
    }

    /// <summary>The mean cross-entropy of the probabilities (nats).</summary>
    public double LogLoss { get; }

    /// <summary>The log-loss of always predicting the positive fraction (the labels' entropy, nats).</summary>
    public double Entropy { get; }

    /// <summary>How much better than the prior the probabilities are: (Entropy - LogLoss) / Entropy.</summary>
    public double LogLossReduction { get; }

    /// <summary>Computes the metrics of <paramref name="rows"/> (label, score, probability, predicted label).</summary>
    internal static new CalibratedBinaryClassificationMetrics Compute(IReadOnlyList<BinaryScoredRow> rows)
    {
        double logLoss = rows.Sum(r => Data.LogLoss.Binary(r.Probability, r.Label)) / rows.Count;
        double prior = rows.Count(r => r.Label) / (double)rows.Count;
        double entropy = prior * Data.LogLoss.Binary(prior, true) + (1 - prior) * Data.LogLoss.Binary(prior, false);
        return new CalibratedBinaryClassificationMetrics(Confusion(rows), RankingCurves.Areas(rows), logLoss, entropy);
    }
}

/// <summary>One evaluated row: its label, ranking score, positive-class probability (NaN when absent) and decision.</summary>
internal readonly record struct BinaryScoredRow(bool Label, float Score, float Probability, bool Predicted);

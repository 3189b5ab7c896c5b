namespace MLNet.Transformers.Data;

/// <summary>Areas under the ROC and precision-recall curves of scores, with tied scores forming one threshold.</summary>
internal static class RankingCurves
{
    /// <summary>(ROC AUC, average precision); NaN when the labels are all of one class.</summary>
    public static (double Auc, double AveragePrecision) Areas(IReadOnlyList<BinaryScoredRow> rows)
    {
        var sorted = rows.OrderByDescending(r => r.Score).ToArray();
        long positives = rows.LongCount(r => r.Label), negatives = rows.Count - positives;
        if (positives == 0 || negatives == 0) return (double.NaN, positives == 0 ? double.NaN : 1);
        long tp = 0, fp = 0;
        double rocArea = 0, averagePrecision = 0;
        for (int i = 0; i < sorted.Length;)
        {
            long previousTp = tp, previousFp = fp;
            float threshold = sorted[i].Score;
            for (; i < sorted.Length && sorted[i].Score == threshold; i++)
            {
                if (sorted[i].Label) tp++;
                else fp++;
            }
            rocArea += (fp - previousFp) * (tp + previousTp) / 2.0;
            averagePrecision += (double)(tp - previousTp) / positives * tp / (tp + fp);
        }
        return (rocArea / ((double)positives * negatives), averagePrecision);
    }
}

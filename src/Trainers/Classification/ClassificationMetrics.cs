using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Validation loss, accuracy and macro accuracy of class probabilities against labels.</summary>
internal static class ClassificationMetrics
{
    /// <summary>Probabilities are (n, <paramref name="classes"/>); the loss is the mean −log p[label].</summary>
    public static ValidationResult Compute(float[] probabilities, int[] labels, int classes)
    {
        double loss = 0;
        var correct = new int[classes];
        var total = new int[classes];
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            loss -= Math.Log(Math.Max(row[labels[i]], 1e-15));
            total[labels[i]]++;
            if (best == labels[i]) correct[labels[i]]++;
        }
        var present = Enumerable.Range(0, classes).Where(c => total[c] > 0).ToList();
        return new ValidationResult(loss / labels.Length, (double)correct.Sum() / labels.Length,
            present.Average(c => (double)correct[c] / total[c]));
    }
}

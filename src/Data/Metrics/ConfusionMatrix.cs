using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Data;

/// <summary>
/// Counts of (true class, predicted class) pairs: rows are the truth, columns the prediction, classes in key order
/// (for binary classification: negative, then positive). Per-class precision, recall and F1 follow from it
/// (0 where undefined, as scikit-learn's <c>zero_division=0</c>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    internal ConfusionMatrix(IReadOnlyList<string> classNames, long[,] counts)
    {
        ClassNames = classNames;
        _counts = counts;
        int k = classNames.Count;
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        for (int c = 0; c < k; c++)
        {
            long truePositives = counts[c, c], actual = 0, predicted = 0;
            for (int o = 0; o < k; o++)
            {
                actual += counts[c, o];
                predicted += counts[o, c];
            }
            precision[c] = predicted == 0 ? 0 : (double)truePositives / predicted;
            recall[c] = actual == 0 ? 0 : (double)truePositives / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        PerClassPrecision = precision;
        PerClassRecall = recall;
        PerClassF1Score = f1;
        Counts = [.. Enumerable.Range(0, k).Select(r => (IReadOnlyList<long>)[.. Enumerable.Range(0, k).Select(c => counts[r, c])])];
    }

    /// <summary>The number of classes.</summary>
    public int NumberOfClasses => ClassNames.Count;

    /// <summary>The class names, in key order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Counts[truth][predicted].</summary>
    public IReadOnlyList<IReadOnlyList<long>> Counts { get; }

    /// <summary>Per class: correct predictions of the class over all predictions of it.</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Per class: correct predictions of the class over all rows of it.</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>Per class: the harmonic mean of precision and recall.</summary>
    public IReadOnlyList<double> PerClassF1Score { get; }

    /// <summary>The number of rows of class <paramref name="actualClassIndex"/> predicted as <paramref name="predictedClassIndex"/>.</summary>
    public long GetCountForClassPair(int predictedClassIndex, int actualClassIndex) => _counts[actualClassIndex, predictedClassIndex];

    /// <summary>The matrix as an aligned text table, with recall per row and precision per column.</summary>
    public string GetFormattedConfusionTable()
    {
        const string Truth = "TRUTH ↓ / PREDICTED →", Recall = "Recall", Precision = "Precision";
        int k = NumberOfClasses;
        int labelWidth = new[] { Truth.Length, Precision.Length }.Concat(ClassNames.Select(n => n.Length)).Max();
        int cellWidth = Math.Max(Recall.Length, ClassNames.Select(n => n.Length)
            .Concat(Counts.SelectMany(r => r).Select(c => c.ToString(CultureInfo.InvariantCulture).Length)).Max());
        var text = new StringBuilder();
        void Row(string label, IEnumerable<string> cells, string last) =>
            text.Append(label.PadLeft(labelWidth)).Append(" |")
                .AppendJoin("", cells.Select(c => " " + c.PadLeft(cellWidth))).Append(" | ").Append(last).Append('\n');
        string Fraction(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
        Row(Truth, ClassNames, Recall);
        text.Append(new string('-', labelWidth + 2 + k * (cellWidth + 1) + 3 + Recall.Length)).Append('\n');
        for (int r = 0; r < k; r++)
            Row(ClassNames[r], Counts[r].Select(c => c.ToString(CultureInfo.InvariantCulture)), Fraction(PerClassRecall[r]));
        Row(Precision, PerClassPrecision.Select(Fraction), "");
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => GetFormattedConfusionTable();
}

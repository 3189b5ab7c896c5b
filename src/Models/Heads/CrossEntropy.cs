using System.Numerics.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// Softmax cross-entropy over logits, forward and backward fused: the mean over labelled rows of
/// <c>logsumexp(x) − x[label]</c>, and its gradient <c>(softmax(x) − onehot(label)) / count</c>.
/// </summary>
public static class CrossEntropy
{
    /// <summary>The label that marks a row as not part of the loss (PyTorch's default <c>ignore_index</c>).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>
    /// Returns the mean loss over rows of <paramref name="logits"/> (rows, classes) whose label is not
    /// <see cref="IgnoreIndex"/> (0 when none is), and writes its gradient into <paramref name="dLogits"/> (rows,
    /// classes; zero on ignored rows) unless that is empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes) and is not the ignore index.</exception>
    public static float ForwardBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> dLogits, int classes)
    {
        var rows = labels.Length;
        if (logits.Length != rows * classes)
            throw new ArgumentException($"logits have {logits.Length} values, expected {rows} rows × {classes} classes.", nameof(logits));
        var counted = 0;
        foreach (var label in labels)
        {
            if (label == IgnoreIndex) continue;
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels must be in [0, {classes}) or {IgnoreIndex}.");
            counted++;
        }
        if (!dLogits.IsEmpty) dLogits.Clear();
        if (counted == 0) return 0f;

        var probabilities = new float[classes];
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            if (labels[r] == IgnoreIndex) continue;
            var row = logits.Slice(r * classes, classes);
            var max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, probabilities);
            TensorPrimitives.Exp(probabilities, probabilities);
            var sum = TensorPrimitives.Sum(probabilities);
            total += Math.Log(sum) + max - row[labels[r]];
            if (dLogits.IsEmpty) continue;
            var dRow = dLogits.Slice(r * classes, classes);
            TensorPrimitives.Multiply(probabilities, 1f / (sum * counted), dRow);
            dRow[labels[r]] -= 1f / counted;
        }
        return (float)(total / counted);
    }
}

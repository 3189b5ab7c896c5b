namespace MLNet.Transformers.Tensors;

/// <summary>
/// Mean cross-entropy of softmax(logits) against class targets, as <c>torch.nn.functional.cross_entropy</c>
/// computes it: with class weights w the loss is Σᵢ ℓᵢ / Σᵢ w[yᵢ] over non-ignored rows, where
/// ℓᵢ = (1 − ε)·w[yᵢ]·(−log pᵢ[yᵢ]) + (ε/K)·Σ_c w[c]·(−log pᵢ[c]).
/// </summary>
public static class CrossEntropy
{
    private static readonly CrossEntropyOptions Defaults = new();

    /// <summary>
    /// Returns the mean loss of logits (n, classes) against <paramref name="targets"/> (n) and writes the softmax
    /// probabilities (n, classes) the backward pass needs. Returns 0 when every target is ignored.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is neither a class nor the ignore index.</exception>
    public static float Forward(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> probabilities, int classes,
        CrossEntropyOptions? options = null)
    {
        options ??= Defaults;
        var n = CheckShapes(logits.Length, targets, probabilities.Length, classes, options);
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            Softmax.Row(logits.Slice(i * classes, classes), row);
            var y = targets[i];
            if (y == options.IgnoreIndex) continue;
            total += RowLoss(row, y, options);
        }
        var normalizer = Normalizer(targets, options);
        return normalizer == 0 ? 0f : (float)(total / normalizer);
    }

    /// <summary>dLogits (n, classes) = dLoss · ∂loss/∂logits, from the forward's probabilities.</summary>
    public static void Backward(
        ReadOnlySpan<float> probabilities, ReadOnlySpan<int> targets, Span<float> dLogits, int classes,
        CrossEntropyOptions? options = null, float dLoss = 1f)
    {
        options ??= Defaults;
        var n = CheckShapes(probabilities.Length, targets, dLogits.Length, classes, options);
        var normalizer = Normalizer(targets, options);
        var weights = options.ClassWeights;
        var weightSum = weights is null ? classes : weights.Sum();
        var smooth = options.LabelSmoothing / classes;
        for (var i = 0; i < n; i++)
        {
            var p = probabilities.Slice(i * classes, classes);
            var d = dLogits.Slice(i * classes, classes);
            var y = targets[i];
            if (y == options.IgnoreIndex || normalizer == 0)
            {
                d.Clear();
                continue;
            }
            // ∂ℓ/∂z = (1 − ε)·w[y]·(p − e_y) + (ε/K)·((Σw)·p − w)
            var hard = (1f - options.LabelSmoothing) * (weights?[y] ?? 1f);
            var scale = dLoss / (float)normalizer;
            for (var c = 0; c < classes; c++)
                d[c] = scale * (hard * p[c] + smooth * (weightSum * p[c] - (weights?[c] ?? 1f)));
            d[y] -= scale * hard;
        }
    }

    private static double RowLoss(ReadOnlySpan<float> probabilities, int y, CrossEntropyOptions options)
    {
        var weights = options.ClassWeights;
        var loss = (1.0 - options.LabelSmoothing) * (weights?[y] ?? 1f) * -Math.Log(probabilities[y]);
        if (options.LabelSmoothing == 0f) return loss;
        double smooth = 0;
        for (var c = 0; c < probabilities.Length; c++) smooth += (weights?[c] ?? 1f) * -Math.Log(probabilities[c]);
        return loss + options.LabelSmoothing / probabilities.Length * smooth;
    }

    /// <summary>Σ w[yᵢ] over non-ignored rows (their count without weights).</summary>
    private static double Normalizer(ReadOnlySpan<int> targets, CrossEntropyOptions options)
    {
        double sum = 0;
        foreach (var y in targets)
            if (y != options.IgnoreIndex) sum += options.ClassWeights?[y] ?? 1f;
        return sum;
    }

    private static int CheckShapes(int logits, ReadOnlySpan<int> targets, int output, int classes, CrossEntropyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var n = targets.Length;
        if (logits != n * classes) throw new ArgumentException($"logits have {logits} elements, expected {n} × {classes}.");
        if (output != n * classes) throw new ArgumentException($"output has {output} elements, expected {n} × {classes}.");
        if (options.ClassWeights is { } w && w.Length != classes)
            throw new ArgumentException($"ClassWeights has {w.Length} entries, expected one per class ({classes}).");
        if (options.LabelSmoothing is < 0f or > 1f)
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelSmoothing, "LabelSmoothing must be in [0, 1].");
        for (var i = 0; i < n; i++)
            if (targets[i] != options.IgnoreIndex && (uint)targets[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i],
                    $"Target at row {i} is not a class in [0, {classes}) nor the ignore index {options.IgnoreIndex}.");
        return n;
    }
}

using System.Numerics.Tensors;

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
    public static unsafe float Forward(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> probabilities, int classes,
        CrossEntropyOptions? options = null)
    {
        options ??= Defaults;
        var n = CheckShapes(logits.Length, targets, probabilities.Length, classes, options);
        var blockLosses = new double[RowParallel.BlockCount(n, classes)]; // summed in block order: deterministic
        fixed (float* pz = logits, pp = probabilities)
        fixed (int* py = targets)
        {
            float* zs = pz, ps = pp;
            int* ys = py;
            RowParallel.For(n, classes, (block, start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    var z = new ReadOnlySpan<float>(zs + (long)i * classes, classes);
                    var logNormalizer = SoftmaxRow(z, new Span<float>(ps + (long)i * classes, classes));
                    if (ys[i] != options.IgnoreIndex) blockLosses[block] += RowLoss(z, logNormalizer, ys[i], options);
                }
            });
        }
        var normalizer = Normalizer(targets, options);
        return normalizer == 0 ? 0f : (float)(blockLosses.Sum() / normalizer);
    }

    /// <summary>dLogits (n, classes) = dLoss · ∂loss/∂logits, from the forward's probabilities.</summary>
    public static unsafe void Backward(
        ReadOnlySpan<float> probabilities, ReadOnlySpan<int> targets, Span<float> dLogits, int classes,
        CrossEntropyOptions? options = null, float dLoss = 1f)
    {
        options ??= Defaults;
        var n = CheckShapes(probabilities.Length, targets, dLogits.Length, classes, options);
        var normalizer = Normalizer(targets, options);
        var weights = options.ClassWeights;
        var weightSum = weights is null ? classes : weights.Sum();
        var smooth = options.LabelSmoothing / classes;
        var scale = normalizer == 0 ? 0f : dLoss / (float)normalizer;
        fixed (float* pp = probabilities, pd = dLogits)
        fixed (int* py = targets)
        {
            float* ps = pp, ds = pd;
            int* ys = py;
            RowParallel.For(n, classes, (_, start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    var p = new ReadOnlySpan<float>(ps + (long)i * classes, classes);
                    var d = new Span<float>(ds + (long)i * classes, classes);
                    var y = ys[i];
                    if (y == options.IgnoreIndex)
                    {
                        d.Clear();
                        continue;
                    }
                    // ∂ℓ/∂z = (1 − ε)·w[y]·(p − e_y) + (ε/K)·((Σw)·p − w), times dLoss / Σ w[yᵢ]
                    var hard = (1f - options.LabelSmoothing) * (weights?[y] ?? 1f);
                    TensorPrimitives.Multiply(p, scale * (hard + smooth * weightSum), d);
                    if (smooth != 0f)
                    {
                        if (weights is null) TensorPrimitives.Add(d, -scale * smooth, d);
                        else TensorPrimitives.MultiplyAdd(weights, -scale * smooth, d, d);
                    }
                    d[y] -= scale * hard;
                }
            });
        }
    }

    /// <summary>Writes softmax(z) into <paramref name="p"/> and returns log Σ exp z, computed stably.</summary>
    private static double SoftmaxRow(ReadOnlySpan<float> z, Span<float> p)
    {
        var (max, sum) = Softmax.RowWithSum(z, p);
        return max + Math.Log(sum);
    }

    /// <summary>ℓ for one row from its logits, with −log p_c = log Σ exp z − z_c (no log of an underflowed p).</summary>
    private static double RowLoss(ReadOnlySpan<float> z, double logNormalizer, int y, CrossEntropyOptions options)
    {
        var weights = options.ClassWeights;
        var loss = (1.0 - options.LabelSmoothing) * (weights?[y] ?? 1f) * (logNormalizer - z[y]);
        if (options.LabelSmoothing == 0f) return loss;
        // Σ_c w_c·(−log p_c) = (Σ_c w_c)·log Σ exp z − Σ_c w_c·z_c
        var smooth = weights is null
            ? z.Length * logNormalizer - TensorPrimitives.Sum(z)
            : weights.Sum() * logNormalizer - TensorPrimitives.Dot(weights, z);
        return loss + options.LabelSmoothing / z.Length * smooth;
    }

    private static int CheckShapes(int logits, ReadOnlySpan<int> targets, int output, int classes, CrossEntropyOptions options)
    {
        CheckTargets(targets, classes, options);
        var n = targets.Length;
        if (logits != n * classes) throw new ArgumentException($"logits have {logits} elements, expected {n} × {classes}.");
        if (output != n * classes) throw new ArgumentException($"output has {output} elements, expected {n} × {classes}.");
        return n;
    }

    /// <summary>
    /// Checks <paramref name="options"/> and that every target is a class in [0, <paramref name="classes"/>) or the
    /// ignore index, as <see cref="Forward"/> does: for a loss computed elsewhere (on a device) to fail alike.
    /// </summary>
    /// <exception cref="ArgumentException">The class weights are not one per class.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No classes, a label smoothing outside [0, 1], or a target neither a class nor the ignore index.</exception>
    public static void CheckTargets(ReadOnlySpan<int> targets, int classes, CrossEntropyOptions? options = null)
    {
        options ??= Defaults;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (options.ClassWeights is { } w && w.Length != classes)
            throw new ArgumentException($"ClassWeights has {w.Length} entries, expected one per class ({classes}).");
        if (options.LabelSmoothing is < 0f or > 1f)
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelSmoothing, "LabelSmoothing must be in [0, 1].");
        for (var i = 0; i < targets.Length; i++)
            if (targets[i] != options.IgnoreIndex && (uint)targets[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i],
                    $"Target at row {i} is not a class in [0, {classes}) nor the ignore index {options.IgnoreIndex}.");
    }

    /// <summary>Σ w[yᵢ] over non-ignored rows (their count without weights): the loss's denominator.</summary>
    public static double Normalizer(ReadOnlySpan<int> targets, CrossEntropyOptions? options = null)
    {
        options ??= Defaults;
        double sum = 0;
        foreach (var y in targets)
            if (y != options.IgnoreIndex) sum += options.ClassWeights?[y] ?? 1f;
        return sum;
    }
}

using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>
/// The loss on the device: log-softmax, the per-row losses and the gradient are libtorch operations on the logits
/// where they are (any device); the host sends the targets and their per-row coefficients (N values each) and
/// receives the one loss value.
/// </summary>
public sealed partial class TorchBackend
{
    private static readonly CrossEntropyOptions DefaultLoss = new();

    /// <inheritdoc />
    public override float CrossEntropy(
        DeviceTensor logits, ReadOnlySpan<int> targets, CrossEntropyOptions? options, DeviceTensor? dLogits, float lossScale,
        DeviceBuffer scratch)
    {
        ArgumentNullException.ThrowIfNull(logits);
        options ??= DefaultLoss;
        var classes = logits.Size(-1);
        var n = logits.Length / classes;
        if (targets.Length != n) throw new ArgumentException($"Got {targets.Length} targets for {n} rows of logits {logits}.", nameof(targets));
        if (dLogits is not null && !dLogits.Shape.SequenceEqual(logits.Shape))
            throw new ArgumentException($"The logits gradient has shape {dLogits}, expected the logits' {logits}.", nameof(dLogits));
        Tensors.CrossEntropy.CheckTargets(targets, classes, options);
        var normalizer = Tensors.CrossEntropy.Normalizer(targets, options);
        if (normalizer == 0)
        {
            if (dLogits is not null) T(dLogits).zero_();
            return 0f;
        }
        using var scope = NewDisposeScope();
        var rows = LossRows.Of(targets, options);
        var z = Rows(logits); // (N, V)
        var target = Indices(rows.Classes).unsqueeze(1); // (N, 1): ignored rows point at class 0 with no weight
        var hard = HostValues(rows.Hard).to_type(z.dtype); // (N): (1 − ε)·w[y], 0 where ignored
        var weights = options.ClassWeights is { } w ? HostValues(w).to_type(z.dtype) : null; // (V) or none
        var smooth = options.LabelSmoothing / classes;
        var logProbabilities = z.log_softmax(1); // (N, V)
        var rowLoss = logProbabilities.gather(1, target).squeeze(1).mul(hard).neg(); // (N): (1 − ε)·w[y]·(−log p[y])
        if (smooth != 0f) rowLoss.sub_((weights is null ? logProbabilities.sum(1) : logProbabilities.mv(weights)).mul(smooth));
        var loss = rowLoss.index_select(0, Indices(rows.Counted)).sum(ScalarType.Float64).item<double>() / normalizer;
        CountDownloaded(1);
        if (dLogits is not null)
        {
            var weightSum = options.ClassWeights?.Sum() ?? classes;
            CrossEntropyGradient(Rows(dLogits), logProbabilities, target, hard, weights, weightSum, smooth, lossScale / (float)normalizer,
                rows.Ignored.Length == 0 ? null : Indices(rows.Ignored));
        }
        return (float)loss;
    }

    /// <summary>
    /// d (N, V) = scale · ((1 − ε)·w[y]·(p − e_y) + (ε/V)·((Σw)·p − w)), zero on ignored rows, from the log-probabilities
    /// (overwritten); scale = dLoss / Σ w[yᵢ], Σw over the classes.
    /// </summary>
    private static void CrossEntropyGradient(
        Tensor d, Tensor logProbabilities, Tensor target, Tensor hard, Tensor? weights, float weightSum, float smooth, float scale,
        Tensor? ignored)
    {
        var rowScale = hard.mul(scale).add_(scale * smooth * weightSum).unsqueeze(1); // (N, 1)
        d.copy_(logProbabilities.exp_().mul_(rowScale));
        if (smooth != 0f)
        {
            if (weights is null) d.sub_(scale * smooth);
            else d.sub_(weights.mul(scale * smooth)); // (V) broadcast over the rows
        }
        d.scatter_add_(1, target, hard.mul(-scale).unsqueeze(1));
        if (ignored is not null) d.index_fill_(0, ignored, 0); // set, not scaled by 0: a NaN row (padding) gets no NaN gradient
    }

    /// <summary>The host side of a loss: per row its class (0 where ignored) and hard-target weight, and which rows count.</summary>
    private sealed record LossRows(int[] Classes, float[] Hard, int[] Counted, int[] Ignored)
    {
        public static LossRows Of(ReadOnlySpan<int> targets, CrossEntropyOptions options)
        {
            var (classes, hard) = (new int[targets.Length], new float[targets.Length]);
            List<int> counted = [], ignored = [];
            for (var i = 0; i < targets.Length; i++)
            {
                var y = targets[i];
                if (y == options.IgnoreIndex)
                {
                    ignored.Add(i);
                    continue;
                }
                counted.Add(i);
                (classes[i], hard[i]) = (y, (1f - options.LabelSmoothing) * (options.ClassWeights?[y] ?? 1f));
            }
            return new LossRows(classes, hard, [.. counted], [.. ignored]);
        }
    }
}

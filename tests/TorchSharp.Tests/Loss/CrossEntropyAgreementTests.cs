using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;
using ScalarType = TorchSharp.torch.ScalarType;
using Tensor = MLNet.Transformers.Tensors.Tensor;

namespace MLNet.Transformers.TorchSharp.Tests.Loss;

/// <summary>
/// <see cref="ComputeBackend.CrossEntropy"/> on TorchSharp against the managed engine's kernel and against a float64
/// evaluation of the definition written out here: the loss and the logits' gradient agree within 1e-5 relative, on
/// GPT-2's 50257-wide vocabulary, with ignored rows, label smoothing and class weights, and on logits of ±1e4.
/// </summary>
[TestClass]
public sealed class CrossEntropyAgreementTests
{
    /// <summary>GPT-2's vocabulary: the width whose logits a host loss would move every step.</summary>
    private const int Gpt2Vocabulary = 50257;

    private static readonly CrossEntropyOptions Defaults = new();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(12, Gpt2Vocabulary, 0f, false, 1f)]
    [DataRow(12, Gpt2Vocabulary, 0f, false, 0.25f)]
    [DataRow(30, 7, 0.1f, false, 1f)]
    [DataRow(30, 7, 0.1f, true, 0.5f)]
    [DataRow(30, 7, 0f, true, 1f)]
    public void TorchLossAndGradientEqualTheKernelAndTheDefinition(int rows, int classes, float smoothing, bool weighted, float lossScale)
    {
        var options = new CrossEntropyOptions
        {
            LabelSmoothing = smoothing,
            ClassWeights = weighted ? [.. Enumerable.Range(0, classes).Select(c => 0.5f + c % 3)] : null,
        };
        var logits = BackendPair.Random(rows, rows, classes); // (N, V)
        var targets = Targets(rows, classes, options.IgnoreIndex);

        var (managedLoss, managedGradient) = Run(ManagedBackend.Instance, logits, targets, options, lossScale);
        var (torchLoss, torchGradient) = Run(new TorchBackend(TorchDevices.Cpu), logits, targets, options, lossScale);
        var (referenceLoss, referenceGradient) = Reference(logits, targets, options, lossScale);

        TestContext.WriteLine($"({rows}, {classes}) ε {smoothing} weighted {weighted}: loss {torchLoss} vs kernel {managedLoss} vs float64 {referenceLoss}, " +
            $"gradient {BackendPair.RelativeError(torchGradient, managedGradient):E2} from the kernel, {BackendPair.RelativeError(torchGradient, referenceGradient):E2} from float64");
        Assert.AreEqual(managedLoss, torchLoss, BackendPair.Tolerance * managedLoss);
        Assert.AreEqual(referenceLoss, torchLoss, BackendPair.Tolerance * referenceLoss);
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torchGradient, managedGradient));
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torchGradient, referenceGradient));
        for (var i = 0; i < rows; i++)
        {
            if (targets[i] == options.IgnoreIndex)
                Assert.IsTrue(torchGradient.AsSpan(i * classes, classes).ToArray().All(d => d == 0f), $"ignored row {i} has a gradient");
        }
    }

    [TestMethod]
    public void ExtremeLogitsGiveTheKernelsFiniteLossAndGradient()
    {
        const int rows = 16, classes = 1000;
        const float extreme = 1e4f;
        var logits = BackendPair.Random(3, rows, classes); // (N, V): a third of the logits at ±1e4
        var span = logits.Span;
        for (var i = 0; i < span.Length; i += 3) span[i] = span[i] > 0 ? extreme : -extreme;
        var targets = Targets(rows, classes, Defaults.IgnoreIndex);

        var (managedLoss, managedGradient) = Run(ManagedBackend.Instance, logits, targets, Defaults, 1f);
        var (torchLoss, torchGradient) = Run(new TorchBackend(TorchDevices.Cpu), logits, targets, Defaults, 1f);

        Assert.IsTrue(float.IsFinite(torchLoss), $"loss {torchLoss}");
        Assert.IsTrue(torchGradient.All(float.IsFinite), "a gradient is not finite");
        Assert.AreEqual(managedLoss, torchLoss, BackendPair.Tolerance * managedLoss);
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torchGradient, managedGradient));
    }

    [TestMethod]
    public void GradientIsTheLossDerivativeInDoublePrecision()
    {
        const int rows = 6, classes = 9;
        const double step = 1e-3;
        var options = new CrossEntropyOptions { LabelSmoothing = 0.2f, ClassWeights = [1f, 2f, 0.5f, 1f, 1.5f, 1f, 3f, 1f, 0.25f] };
        var backend = new TorchBackend(TorchDevices.Cpu, ScalarType.Float64);
        var logits = BackendPair.Random(8, rows, classes); // (N, V)
        var targets = Targets(rows, classes, options.IgnoreIndex);
        var (_, gradient) = Run(backend, logits, targets, options, 1f);

        // The directional derivative along the gradient itself, |g|², by central differences of the loss.
        var direction = Enumerable.Range(0, gradient.Length).Select(i => (double)gradient[i]).ToArray();
        var norm = Math.Sqrt(direction.Sum(d => d * d));
        double LossAt(double t) => Run(backend, Shifted(logits, direction, t / norm), targets, options, 1f).Loss;
        var difference = (LossAt(step) - LossAt(-step)) / (2 * step);

        TestContext.WriteLine($"|g| {norm}, central difference {difference}");
        Assert.AreEqual(norm, difference, 1e-3 * norm);
    }

    [TestMethod]
    public void OutOfRangeTargetFailsAlikeOnBothBackends()
    {
        var logits = BackendPair.Random(1, 2, 3); // (2, 3)
        foreach (var backend in new ComputeBackend[] { ManagedBackend.Instance, new TorchBackend(TorchDevices.Cpu) })
        {
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Run(backend, logits, [0, 3], Defaults, 1f));
            StringAssert.Contains(error.Message, "Target at row 1 is not a class in [0, 3)", backend.Device);
        }
    }

    [TestMethod]
    public void EveryRowIgnoredGivesZeroLossAndGradient()
    {
        var logits = BackendPair.Random(2, 3, 4); // (3, 4)
        int[] ignored = [Defaults.IgnoreIndex, Defaults.IgnoreIndex, Defaults.IgnoreIndex];
        var (loss, gradient) = Run(new TorchBackend(TorchDevices.Cpu), logits, ignored, Defaults, 1f);
        Assert.AreEqual(0f, loss);
        Assert.IsTrue(gradient.All(d => d == 0f));
    }

    /// <summary>The loss and gradient (N·V) of host <paramref name="logits"/> on <paramref name="backend"/>.</summary>
    private static (float Loss, float[] Gradient) Run(ComputeBackend backend, Tensor logits, int[] targets, CrossEntropyOptions options, float lossScale)
    {
        var shape = logits.Shape.ToArray();
        var device = backend.CreateBuffer().Get(shape);
        var dLogits = backend.CreateBuffer().Get(shape);
        backend.Upload(logits.Span, device);
        var loss = backend.CrossEntropy(device, targets, options, dLogits, lossScale, backend.CreateBuffer());
        var gradient = new float[logits.Length];
        backend.Download(dLogits, gradient);
        return (loss, gradient);
    }

    /// <summary>Classes drawn from the row index, every fourth row ignored.</summary>
    private static int[] Targets(int rows, int classes, int ignore) =>
        [.. Enumerable.Range(0, rows).Select(i => i % 4 == 1 ? ignore : (int)((i * 7919L + 3) % classes))];

    /// <summary>logits + t·direction.</summary>
    private static Tensor Shifted(Tensor logits, double[] direction, double t)
    {
        var shifted = new Tensor(logits.Shape.ToArray());
        for (var i = 0; i < direction.Length; i++) shifted.Span[i] = (float)(logits.Span[i] + t * direction[i]);
        return shifted;
    }

    /// <summary>
    /// The definition in float64: ℓᵢ = (1 − ε)·w[yᵢ]·(−log pᵢ[yᵢ]) + (ε/V)·Σ_c w[c]·(−log pᵢ[c]), loss = Σᵢ ℓᵢ / Σᵢ w[yᵢ]
    /// over rows not ignored, and its gradient lossScale·∂loss/∂z = lossScale·((1 − ε)·w[y]·(p − e_y) + (ε/V)·((Σw)·p − w)) / Σᵢ w[yᵢ].
    /// </summary>
    private static (double Loss, float[] Gradient) Reference(Tensor logits, int[] targets, CrossEntropyOptions options, float lossScale)
    {
        var (rows, classes) = (logits.Size(0), logits.Size(1));
        var z = logits.Span.ToArray();
        double Weight(int c) => options.ClassWeights?[c] ?? 1.0;
        var weightSum = Enumerable.Range(0, classes).Sum(Weight);
        var (epsilon, gradient) = ((double)options.LabelSmoothing, new double[rows * classes]);
        double loss = 0, normalizer = 0;
        for (var i = 0; i < rows; i++)
        {
            var y = targets[i];
            if (y == options.IgnoreIndex) continue;
            var row = Enumerable.Range(0, classes).Select(c => (double)z[i * classes + c]).ToArray();
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            var hard = (1 - epsilon) * Weight(y);
            loss += hard * (logSum - row[y]) + epsilon / classes * Enumerable.Range(0, classes).Sum(c => Weight(c) * (logSum - row[c]));
            normalizer += Weight(y);
            for (var c = 0; c < classes; c++)
            {
                var p = Math.Exp(row[c] - logSum);
                gradient[i * classes + c] = hard * (p - (c == y ? 1 : 0)) + epsilon / classes * (weightSum * p - Weight(c));
            }
        }
        return (loss / normalizer, [.. gradient.Select(g => (float)(lossScale * g / normalizer))]);
    }
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;
using TorchSharp;

namespace MLNet.Transformers.TorchSharp.Tests.Backends;

/// <summary>
/// A fine-tuning step of a classifier on the real all-MiniLM-L6-v2 (the encoder from the checkpoint, a seeded head,
/// dropout on, the cross-entropy gradient of real labels) on the managed engine and on TorchSharp: logits and every
/// parameter's gradient agree within 1e-5 relative, and each backend's gradients match a double-precision run.
/// </summary>
[TestClass]
public sealed class MiniLmFineTuningStepTests
{
    private const ulong Seed = 5;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LogitsAndEveryGradientAgree()
    {
        var reference = Step(new TorchBackend(TorchDevices.Cpu, torch.ScalarType.Float64));
        var managed = Step(null);
        var single = Step(new TorchBackend(TorchDevices.Cpu));

        foreach (var (name, run) in new[] { ("managed", managed), ("torch", single) })
        {
            var gradient = BackendPair.WorstGradientError(run.Model.Parameters, reference.Model.Parameters);
            TestContext.WriteLine($"{name} vs float64: logits {BackendPair.RelativeError(run.Logits, reference.Logits):E2}, worst gradient {gradient.Name} {gradient.Error:E2}");
        }
        var between = BackendPair.WorstGradientError(single.Model.Parameters, managed.Model.Parameters);
        TestContext.WriteLine($"torch vs managed: logits {BackendPair.RelativeError(single.Logits, managed.Logits):E2}, worst gradient {between.Name} {between.Error:E2}");
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(single.Logits, managed.Logits));
        BackendPair.AssertGradientsAgree(single.Model.Parameters, managed.Model.Parameters);
    }

    /// <summary>Forward (training) and the backward of the mean cross-entropy over three labelled sentences.</summary>
    internal static (BertForSequenceClassification Model, float[] Logits) Step(ComputeBackend? backend)
    {
        var model = BertForSequenceClassification.FromPretrained(
            TestPaths.SharedPath("models", "all-MiniLM-L6-v2"), Seed, ["negative", "positive"], backend);
        var batch = EncoderBatch.Pad(
            [[101, 1037, 2307, 3185, 1012, 102], [101, 2023, 2003, 1037, 2936, 6251, 2055, 4542, 1998, 2147, 1012, 102], [101, 7592, 102]],
            [new int[6], new int[12], new int[3]], padTokenId: 0);
        int[] labels = [1, 0, 1];
        var logits = model.Forward(batch, training: true).Span.ToArray(); // (B, 2)
        var probabilities = new float[logits.Length];
        var dLogits = new Tensor(batch.BatchSize, 2);
        CrossEntropy.Forward(logits, labels, probabilities, 2);
        CrossEntropy.Backward(probabilities, labels, dLogits.Span, 2);
        model.Backward(dLogits);
        return (model, logits);
    }
}

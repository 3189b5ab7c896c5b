using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// A fine-tuning step of a classifier on the real all-MiniLM-L6-v2 (dropout on, the cross-entropy gradient of real
/// labels) in bfloat16 mixed precision against the same step in single precision, both on libtorch: the logits and
/// every parameter's gradient stay within bfloat16's error (see <see cref="MixedPrecisionError"/>) yet differ by more
/// than single precision's rounding, so the products did run in bfloat16.
/// </summary>
[TestClass]
public sealed class MiniLmMixedPrecisionStepTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LogitsAndGradientsStayWithinBFloat16Error()
    {
        var single = MiniLmFineTuningStepTests.Step(new TorchBackend(TorchDevices.Cpu, TrainingPrecision.Float32));
        var mixed = MiniLmFineTuningStepTests.Step(new TorchBackend(TorchDevices.Cpu, TrainingPrecision.BFloat16));

        var logits = BackendPair.RelativeError(mixed.Logits, single.Logits);
        var gradients = MixedPrecisionError.Gradients(mixed.Model.Parameters, single.Model.Parameters);
        TestContext.WriteLine($"MiniLM bf16 vs fp32: logits {logits:E2}, {MixedPrecisionError.Describe(gradients)}");
        Assert.IsLessThan(MixedPrecisionError.LogitsBound, logits);
        Assert.IsGreaterThan(MixedPrecisionError.LeastDifference, logits, "the products ran in bfloat16");
        MixedPrecisionError.AssertGradientsClose(gradients);
    }
}

using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// The short fine-tuning run of <see cref="FineTuningTests"/> (a tiny classifier, AdamW, dropout on) in bfloat16 mixed
/// precision learns the task to the accuracy of the single-precision run with losses that track it; the weights it
/// trained (single-precision master weights) save and load on the managed engine, which scores them as libtorch does
/// in single precision.
/// </summary>
[TestClass]
public sealed class MixedPrecisionFineTuningTests
{
    /// <summary>How far the two runs' losses may drift apart over the run (bfloat16's rounding at every step).</summary>
    private const double LossAgreement = 1e-2;

    /// <summary>Held-out examples the two runs' predictions may differ by.</summary>
    private const int AccuracySlack = 2;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LearnsAsSinglePrecisionAndSavedWeightsScoreOnTheManagedEngine()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        var (train, test) = (FineTuningTests.Task(config, 1), FineTuningTests.Task(config, 2));
        var single = FineTuningTests.Train(config, new TorchBackend(TorchDevices.Cpu), train, out var singleLosses);
        var mixed = FineTuningTests.Train(config, new TorchBackend(TorchDevices.Cpu, TrainingPrecision.BFloat16), train, out var mixedLosses);

        var (singleAccuracy, mixedAccuracy) = (FineTuningTests.Accuracy(single, test), FineTuningTests.Accuracy(mixed, test));
        var drift = Enumerable.Range(0, FineTuningTests.Steps).Max(s => Math.Abs(mixedLosses[s] - singleLosses[s]) / Math.Max(1, singleLosses[s]));
        TestContext.WriteLine($"accuracy fp32 {singleAccuracy:P1}, bf16 {mixedAccuracy:P1}; final loss fp32 {singleLosses[^1]:F4}, bf16 {mixedLosses[^1]:F4}; largest loss drift {drift:E2}");
        Assert.IsGreaterThanOrEqualTo(FineTuningTests.GoodAccuracy, mixedAccuracy, $"bf16 losses {string.Join(" ", mixedLosses.Select(l => l.ToString("F3")))}");
        Assert.AreEqual(singleAccuracy, mixedAccuracy, (double)AccuracySlack / FineTuningTests.Examples);
        Assert.IsLessThan(LossAgreement, drift);

        var reference = new BertForSequenceClassification(config, FineTuningTests.Seed, new TorchBackend(TorchDevices.Cpu));
        var path = Path.Combine(Directory.CreateTempSubdirectory("bf16-trained-").FullName, "model.safetensors");
        try
        {
            mixed.SaveWeights(path);
            reference.LoadWeights(path).EnsureComplete(allowUnexpected: false);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        var scoring = BackendPair.RelativeError(
            mixed.CreateInferenceSession().Forward(test.Batch).Span, reference.CreateInferenceSession().Forward(test.Batch).Span);
        TestContext.WriteLine($"the same weights scored in bf16 vs fp32 on libtorch: logits {scoring:E2}");
        var managed = new BertForSequenceClassification(config, FineTuningTests.Seed);
        FineTuningTests.AssertLoadsWithTheSameLogits(reference, managed, test);
        Assert.AreEqual(FineTuningTests.Accuracy(reference, test), FineTuningTests.Accuracy(managed, test));
    }
}

using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Tests.Pretraining;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// The trainers' <c>TrainingPrecision</c> option: the managed engine refuses bfloat16 with a message that names the
/// option and the devices to choose; a TorchSharp device takes it (a masked-LM pretraining run in bfloat16 has the losses of the
/// single-precision run, within bfloat16's error);
/// a checkpoint written in one precision is not resumed in another.
/// </summary>
[TestClass]
public sealed class TrainingPrecisionOptionTests
{
    /// <summary>How far a bfloat16 run's losses may drift from the single-precision run's, relative.</summary>
    private const double LossAgreement = 5e-3;

    private string _directory = "";

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("bf16-option-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void TheManagedEngineRefusesBFloat16()
    {
        TrainingOptions[] refused =
        [
            new TextClassificationOptions { ModelPath = _directory, TrainingPrecision = TrainingPrecision.BFloat16 },
            new PretrainingOptions { Corpus = [_directory], TrainingPrecision = TrainingPrecision.BFloat16 },
        ];
        foreach (var options in refused)
        {
            var error = Assert.ThrowsExactly<InvalidOptionException>(options.Validate);
            Assert.AreEqual(nameof(TrainingPrecision), error.ParamName);
            StringAssert.Contains(error.Message, "torch:cpu");
        }
        var direct = Assert.ThrowsExactly<ArgumentException>(() => ComputeBackends.Create(ComputeBackends.DefaultDevice, trainingPrecision: TrainingPrecision.BFloat16));
        StringAssert.Contains(direct.Message, "TorchSharp device");

        new TextClassificationOptions { ModelPath = _directory, TrainingPrecision = TrainingPrecision.BFloat16, Device = TorchDevices.Cpu }.Validate();
        Assert.AreEqual(TrainingPrecision.BFloat16, ComputeBackends.Create(TorchDevices.Cpu, trainingPrecision: TrainingPrecision.BFloat16).TrainingPrecision);
    }

    [TestMethod]
    public void PretrainingInBFloat16TracksFloat32AndItsCheckpointDoesNotResumeInFloat32()
    {
        var checkpoints = Path.Combine(_directory, "checkpoints");
        var options = new PretrainingOptions
        {
            Corpus = [TinyCorpus.Write(_directory, lines: 100)], Preset = "tiny", VocabularySize = 200, MaxLength = 32, BatchSize = 8,
            MaxSteps = 6, LearningRate = 2e-3f, HeldOutFraction = 0, Seed = 5, Device = TorchDevices.Cpu,
        };
        var single = Losses(new MaskedLanguageModelPretrainer(options).Fit());
        var mixedOptions = options with { TrainingPrecision = TrainingPrecision.BFloat16, CheckpointDirectory = checkpoints, CheckpointEverySteps = 6 };
        var mixed = Losses(new MaskedLanguageModelPretrainer(mixedOptions).Fit());
        var drift = Enumerable.Range(0, single.Length).Max(s => Math.Abs(mixed[s] - single[s]) / single[s]);
        TestContext.WriteLine($"masked-LM pretraining bf16 vs fp32: largest loss drift {drift:E2} over {single.Length} steps");
        for (var step = 0; step < single.Length; step++)
            Assert.AreEqual(single[step], mixed[step], LossAgreement * single[step], $"loss at step {step + 1}: fp32 {string.Join(" ", single)}; bf16 {string.Join(" ", mixed)}");

        var resumed = Assert.ThrowsExactly<InvalidDataException>(
            () => new MaskedLanguageModelPretrainer(mixedOptions with { TrainingPrecision = TrainingPrecision.Float32 }).Fit());
        StringAssert.Contains(resumed.Message, $"precision={TrainingPrecision.BFloat16}");
    }

    private static double[] Losses(PretrainingResult result) => [.. result.History.Steps.Select(s => s.Loss)];
}

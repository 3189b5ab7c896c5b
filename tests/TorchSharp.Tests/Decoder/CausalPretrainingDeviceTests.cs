using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Trainers.Pretraining;
using MLNet.Transformers.Trainers.Tests.Pretraining;

namespace MLNet.Transformers.TorchSharp.Tests.Decoder;

/// <summary>
/// Causal-LM pretraining with <c>PretrainingOptions.Device = "torch:cpu"</c> trains the GPT-2 on TorchSharp and ends
/// where the same run on the managed engine ends: the same held-out perplexity, the same weights, up to rounding.
/// </summary>
[TestClass]
public sealed class CausalPretrainingDeviceTests
{
    /// <summary>How far the two runs may drift apart over a few AdamW steps (rounding differs, dropout masks do not).</summary>
    private const double Agreement = 1e-3;

    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("torch-causal-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void TorchCpuEndsWhereTheManagedEngineEnds()
    {
        var corpus = TinyCorpus.Write(_directory, lines: 100);
        CausalPretrainingResult Pretrain(string device) => new CausalLanguageModelPretrainer(new PretrainingOptions
        {
            Objective = PretrainingObjective.Causal, Corpus = [corpus], Preset = "tiny", VocabularySize = 200, MaxLength = 32,
            BatchSize = 8, MaxSteps = 6, LearningRate = 2e-3f, HeldOutFraction = 0.1, ValidateEverySteps = 6, Seed = 5, Device = device,
        }).Fit();

        var managed = Pretrain(ComputeBackends.DefaultDevice);
        var torch = Pretrain(TorchDevices.Cpu);

        Assert.AreEqual(TorchDevices.Cpu, torch.Model.Backend.Device);
        Assert.AreEqual(managed.HeldOutPerplexity!.Value, torch.HeldOutPerplexity!.Value, Agreement * managed.HeldOutPerplexity.Value);
        for (var i = 0; i < managed.Model.Parameters.Count; i++)
        {
            var (expected, actual) = (managed.Model.Parameters[i], torch.Model.Parameters[i]);
            Assert.IsLessThan(Agreement, Backends.BackendPair.RelativeError(actual.Value.Span, expected.Value.Span), expected.Name);
        }
    }
}

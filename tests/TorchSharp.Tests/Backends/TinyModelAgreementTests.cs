using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.TorchSharp.Tests.Backends;

/// <summary>
/// The same tiny sequence classifier on the managed engine and on TorchSharp (libtorch on the CPU): logits and every
/// parameter's gradient of a training step (dropout on) agree within 1e-5 relative, for each architecture.
/// </summary>
[TestClass]
public sealed class TinyModelAgreementTests
{
    private const ulong Seed = 11;

    [TestMethod]
    [DataRow(EncoderArchitecture.Bert)]
    [DataRow(EncoderArchitecture.Roberta)]
    [DataRow(EncoderArchitecture.DistilBert)]
    public void TrainingStepAgrees(EncoderArchitecture architecture)
    {
        var (config, managed, torch) = Classifiers(architecture);
        var batch = BackendPair.Batch(config, seed: 3, 7, 12, 4);
        var dLogits = BackendPair.Random(5, batch.BatchSize, config.Labels.Count);

        var expected = managed.Forward(batch, training: true).Span.ToArray();
        var actual = torch.Forward(batch, training: true).Span.ToArray();
        managed.Backward(dLogits);
        torch.Backward(dLogits);

        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(actual, expected));
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    [DataRow(EncoderArchitecture.Bert)]
    [DataRow(EncoderArchitecture.DistilBert)]
    public void InferenceAgrees(EncoderArchitecture architecture)
    {
        var (config, managed, torch) = Classifiers(architecture);
        var batch = BackendPair.Batch(config, seed: 4, 9, 3, 6, 6);

        var expected = managed.CreateInferenceSession().Forward(batch).Span.ToArray();
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torch.Forward(batch, training: false).Span, expected));
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(torch.CreateInferenceSession().Forward(batch).Span, expected));
    }

    /// <summary>The same randomly initialised tiny classifier on each backend.</summary>
    private static (BertConfig Config, BertForSequenceClassification Managed, BertForSequenceClassification Torch) Classifiers(EncoderArchitecture architecture)
    {
        var config = BackendPair.Tiny(architecture);
        var managed = new BertForSequenceClassification(config, Seed);
        var torch = new BertForSequenceClassification(config, Seed, new TorchBackend(TorchDevices.Cpu));
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        return (config, managed, torch);
    }
}

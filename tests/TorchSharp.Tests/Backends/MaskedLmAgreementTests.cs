using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.TorchSharp.Tests.Backends;

/// <summary>
/// The same tiny masked-LM model (encoder and tied decoder head) on the managed engine and on TorchSharp: the loss of
/// a training step at the masked positions (dropout on), its logits and every parameter's gradient agree within 1e-5
/// relative, for each architecture's head; and the full-sequence forward's logits and gradients too.
/// </summary>
[TestClass]
public sealed class MaskedLmAgreementTests
{
    private const ulong Seed = 13;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Flat positions (b·T + t) of the three sequences (lengths 7, 12, 4, padded to 12) that are predicted.</summary>
    private static readonly int[] MaskedPositions = [1, 4, 6, 12, 13, 17, 22, 24, 26];

    [TestMethod]
    [DataRow(EncoderArchitecture.Bert)]
    [DataRow(EncoderArchitecture.Roberta)]
    [DataRow(EncoderArchitecture.DistilBert)]
    public void MaskedPositionsStepAgrees(EncoderArchitecture architecture)
    {
        var (config, managed, torch) = Models(architecture);
        var batch = BackendPair.Batch(config, seed: 3, 7, 12, 4);
        var targets = MaskedPositions.Select(p => batch.InputIds[p]).ToArray();

        var (expectedLoss, expectedLogits) = Step(managed, batch, targets);
        var (actualLoss, actualLogits) = Step(torch, batch, targets);

        var worst = BackendPair.WorstGradientError(torch.Parameters, managed.Parameters);
        TestContext.WriteLine($"{architecture}: loss {Math.Abs(actualLoss - expectedLoss) / expectedLoss:E2}, worst gradient {worst.Name} {worst.Error:E2}");
        Assert.IsLessThan(BackendPair.Tolerance, Math.Abs(actualLoss - expectedLoss) / expectedLoss, $"loss {actualLoss} vs {expectedLoss}");
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(actualLogits, expectedLogits));
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    public void WholeSequenceStepAgrees()
    {
        var (config, managed, torch) = Models(EncoderArchitecture.Bert);
        var batch = BackendPair.Batch(config, seed: 4, 9, 3, 6);
        var dLogits = BackendPair.Random(6, batch.TokenCount, config.VocabSize);

        var expected = managed.Forward(batch, training: true).Span.ToArray();
        var actual = torch.Forward(batch, training: true).Span.ToArray();
        managed.Backward(dLogits);
        torch.Backward(dLogits);

        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(actual, expected));
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
        Assert.IsLessThan(BackendPair.Tolerance, BackendPair.RelativeError(
            torch.Forward(batch, training: false).Span, managed.Forward(batch, training: false).Span), "inference logits");
    }

    /// <summary>A training step at <see cref="MaskedPositions"/>: the mean cross-entropy and its gradient's backward; returns the loss and logits.</summary>
    private static (float Loss, float[] Logits) Step(BertForMaskedLM model, Models.Encoder.EncoderBatch batch, int[] targets)
    {
        model.ReseedDropout(Seed);
        var logits = model.Forward(batch, MaskedPositions, training: true); // (P, V)
        var vocabulary = logits.Size(1);
        var probabilities = new float[logits.Length];
        var dLogits = new Tensor(logits.Size(0), vocabulary);
        var loss = CrossEntropy.Forward(logits.Span, targets, probabilities, vocabulary);
        CrossEntropy.Backward(probabilities, targets, dLogits.Span, vocabulary);
        var kept = logits.Span.ToArray();
        model.Backward(dLogits);
        return (loss, kept);
    }

    /// <summary>The same randomly initialised tiny masked-LM model on each backend.</summary>
    private static (BertConfig Config, BertForMaskedLM Managed, BertForMaskedLM Torch) Models(EncoderArchitecture architecture)
    {
        var config = BackendPair.Tiny(architecture);
        var managed = new BertForMaskedLM(config, Seed);
        var torch = new BertForMaskedLM(config, Seed, new TorchBackend(TorchDevices.Cpu));
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        return (config, managed, torch);
    }
}

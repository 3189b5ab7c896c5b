using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;
using MLNet.Transformers.TorchSharp.Tests.Decoder;

namespace MLNet.Transformers.TorchSharp.Tests.Loss;

/// <summary>
/// A training step on TorchSharp moves no logits between host and device: counted by the backend's transfer counters,
/// a step downloads at most the parameters' gradients and the one loss value, and uploads at most the parameters and
/// the attention mask, while a host-side forward of the same batch downloads its logits (the counters see them). The
/// step's loss and gradients equal the managed engine's within 1e-5 relative.
/// </summary>
[TestClass]
public sealed class TrainingTransferTests
{
    private const ulong Seed = 13;
    private const int Batch = 2, Tokens = 12;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void CausalLanguageModelStepDownloadsNoLogits()
    {
        var config = Gpt2Pair.Tiny();
        var (managed, torch) = Gpt2Pair.LanguageModels(config);
        var backend = (TorchBackend)torch.Backend;
        var ids = Gpt2Pair.Ids(5, Batch * Tokens, config.VocabSize);
        var logitElements = (long)Batch * Tokens * config.VocabSize;

        var (loss, downloaded, uploaded) = Counted(backend, () => torch.ForwardBackward(ids, Batch, ids));
        var expected = managed.ForwardBackward(ids, Batch, ids);
        var (_, forwardDownloaded, _) = Counted(backend, () => torch.Forward(ids, Batch, training: false).Length);

        AssertNoLogitsMoved(torch.Parameters, downloaded, uploaded, logitElements, extraUploads: 0, forwardDownloaded);
        Assert.AreEqual(expected, loss, BackendPair.Tolerance * expected);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    public void MaskedLanguageModelStepDownloadsNoLogits()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        var managed = new BertForMaskedLM(config, Seed);
        var backend = new TorchBackend(TorchDevices.Cpu);
        var torch = new BertForMaskedLM(config, Seed, backend);
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        var batch = BackendPair.Batch(config, seed: 3, 7, 12, 4);
        int[] positions = [1, 4, 6, 12, 13, 17, 22, 24, 26];
        var targets = positions.Select(p => batch.InputIds[p]).ToArray();
        var logitElements = (long)positions.Length * config.VocabSize;

        var (loss, downloaded, uploaded) = Counted(backend, () => torch.ForwardBackward(batch, positions, targets));
        var expected = managed.ForwardBackward(batch, positions, targets);
        var (_, forwardDownloaded, _) = Counted(backend, () => torch.Forward(batch, positions, training: false).Length);

        AssertNoLogitsMoved(torch.Parameters, downloaded, uploaded, logitElements, extraUploads: batch.TokenCount, forwardDownloaded);
        Assert.AreEqual(expected, loss, BackendPair.Tolerance * expected);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
        Assert.AreEqual(managed.Loss(batch, positions, targets), torch.Loss(batch, positions, targets), BackendPair.Tolerance * expected);
    }

    [TestMethod]
    public void ClassifierStepWithClassWeightsAgrees()
    {
        var config = Gpt2Pair.Tiny(labels: ["a", "b", "c"]);
        var managed = new Gpt2ForSequenceClassification(config, Seed);
        var torch = new Gpt2ForSequenceClassification(config, Seed, new TorchBackend(TorchDevices.Cpu));
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        var ids = Gpt2Pair.Ids(6, Batch * Tokens, config.VocabSize);
        var mask = Gpt2Pair.Mask(Tokens, left: false, Tokens, 5);
        var options = new CrossEntropyOptions { ClassWeights = [1f, 2.5f, 0.5f], LabelSmoothing = 0.1f };

        var expected = managed.ForwardBackward(ids, Batch, mask, [2, 1], options, lossScale: 0.5f);
        var actual = torch.ForwardBackward(ids, Batch, mask, [2, 1], options, lossScale: 0.5f);

        Assert.AreEqual(expected, actual, BackendPair.Tolerance * expected);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    /// <summary>The result of <paramref name="step"/> and the elements the backend downloaded and uploaded while it ran.</summary>
    private static (float Result, long Downloaded, long Uploaded) Counted(TorchBackend backend, Func<float> step)
    {
        var (downloaded, uploaded) = (backend.ElementsDownloaded, backend.ElementsUploaded);
        var result = step();
        return (result, backend.ElementsDownloaded - downloaded, backend.ElementsUploaded - uploaded);
    }

    /// <summary>
    /// Downloads at most every gradient and the loss, uploads at most every parameter and <paramref name="extraUploads"/>
    /// (the mask): a host loss would add the logits each way, which a forward to the host shows the counters count.
    /// </summary>
    private void AssertNoLogitsMoved(
        IReadOnlyList<Parameter> parameters, long downloaded, long uploaded, long logitElements, long extraUploads, long forwardDownloaded)
    {
        var parameterElements = parameters.Sum(p => (long)p.Value.Length);
        TestContext.WriteLine($"step: {downloaded} downloaded, {uploaded} uploaded; parameters {parameterElements}, logits {logitElements}; host forward: {forwardDownloaded} downloaded");
        Assert.IsLessThanOrEqualTo(parameterElements + 1, downloaded);
        Assert.IsLessThanOrEqualTo(parameterElements + extraUploads, uploaded);
        Assert.IsGreaterThanOrEqualTo(logitElements, forwardDownloaded);
    }
}

using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;
using MLNet.Transformers.TorchSharp.Tests.Decoder;

namespace MLNet.Transformers.TorchSharp.Tests.Loss;

/// <summary>
/// A training step on TorchSharp moves no logits between host and device. The step runs as <c>TrainingLoop</c> runs
/// it, with the parameters held on the device, and the backend's transfer counters show it downloads only the loss
/// value and uploads less than one copy of the logits (ids, mask, dropout masks, targets), while a host-side forward
/// of the same batch downloads its logits (the counters see them). The vocabulary is large enough that the logits
/// outweigh everything else a step moves. The step's loss and gradients equal the managed engine's within 1e-5
/// relative.
/// </summary>
[TestClass]
public sealed class TrainingTransferTests
{
    private const ulong Seed = 13;
    private const int Batch = 2, Tokens = 12;

    /// <summary>A vocabulary whose logits (tokens × V) outweigh a step's ids, masks and dropout masks.</summary>
    private const int LargeVocabulary = 5000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void CausalLanguageModelStepDownloadsNoLogits()
    {
        var config = Gpt2Pair.Tiny(vocabulary: LargeVocabulary);
        var (managed, torch) = Gpt2Pair.LanguageModels(config);
        var backend = (TorchBackend)torch.Backend;
        var ids = Gpt2Pair.Ids(5, Batch * Tokens, config.VocabSize);
        var logitElements = (long)Batch * Tokens * config.VocabSize;

        var (loss, downloaded, uploaded) = CountedOnDevice(backend, torch.DeviceParameters, () => torch.ForwardBackward(ids, Batch, ids));
        var expected = managed.ForwardBackward(ids, Batch, ids);
        var (_, forwardDownloaded, _) = Counted(backend, () => torch.Forward(ids, Batch, training: false).Length);

        AssertNoLogitsMoved(downloaded, uploaded, logitElements, forwardDownloaded);
        Assert.AreEqual(expected, loss, BackendPair.Tolerance * expected);
        BackendPair.AssertGradientsAgree(torch.Parameters, managed.Parameters);
    }

    [TestMethod]
    public void MaskedLanguageModelStepDownloadsNoLogits()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert, LargeVocabulary);
        var managed = new BertForMaskedLM(config, Seed);
        var backend = new TorchBackend(TorchDevices.Cpu);
        var torch = new BertForMaskedLM(config, Seed, backend);
        managed.Initialize(Seed);
        torch.Initialize(Seed);
        var batch = BackendPair.Batch(config, seed: 3, 7, 12, 4);
        int[] positions = [1, 4, 6, 12, 13, 17, 22, 24, 26];
        var targets = positions.Select(p => batch.InputIds[p]).ToArray();
        var logitElements = (long)positions.Length * config.VocabSize;

        var (loss, downloaded, uploaded) = CountedOnDevice(backend, torch.DeviceParameters, () => torch.ForwardBackward(batch, positions, targets));
        var expected = managed.ForwardBackward(batch, positions, targets);
        var (_, forwardDownloaded, _) = Counted(backend, () => torch.Forward(batch, positions, training: false).Length);

        AssertNoLogitsMoved(downloaded, uploaded, logitElements, forwardDownloaded);
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
    /// <see cref="Counted"/> with <paramref name="parameters"/> held on the device, as in training; the gradients are
    /// then pulled to the host (not counted) for the comparison with the managed engine.
    /// </summary>
    private static (float Result, long Downloaded, long Uploaded) CountedOnDevice(
        TorchBackend backend, IReadOnlyList<DeviceParameter> parameters, Func<float> step)
    {
        backend.PushValues(parameters);
        (float, long, long) counted;
        using (backend.KeepOnDevice(parameters)) counted = Counted(backend, step);
        backend.PullGradients(parameters);
        return counted;
    }

    /// <summary>
    /// The step downloaded the loss value alone and uploaded less than the logits; a host loss would move the logits
    /// each way, and a forward to the host shows the counters count them.
    /// </summary>
    private void AssertNoLogitsMoved(long downloaded, long uploaded, long logitElements, long forwardDownloaded)
    {
        TestContext.WriteLine($"step: {downloaded} downloaded, {uploaded} uploaded; logits {logitElements}; host forward: {forwardDownloaded} downloaded");
        Assert.AreEqual(1, downloaded);
        Assert.IsLessThan(logitElements, uploaded);
        Assert.IsGreaterThanOrEqualTo(logitElements, forwardDownloaded);
    }
}

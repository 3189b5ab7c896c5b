using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// In mixed precision the backend keeps a bfloat16 copy of each weight for its products. A forward without a backward
/// (held-out evaluation during training) leaves those copies in place; the optimizer then updates the weights on the
/// device, and the next forward must compute with the updated weights, not the kept copies: it equals the forward of a
/// fresh bfloat16 backend holding the same weights.
/// </summary>
[TestClass]
public sealed class ProductCopyTests
{
    private const ulong Seed = 7;
    private const float LearningRate = 1e-2f;

    [TestMethod]
    public void ForwardAfterAnOptimizerStepReadsTheUpdatedWeights()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        var backend = new TorchBackend(TorchDevices.Cpu, TrainingPrecision.BFloat16);
        var model = new BertForSequenceClassification(config, Seed, backend);
        model.Initialize(Seed);
        var batch = BackendPair.Batch(config, seed: 5, 9, 6, 3);
        int[] labels = [0, 1, 1];
        var device = DeviceParameterMap.Align(backend, model.Parameters, model.DeviceParameters);
        using var optimizer = new DeviceAdamW(backend, model.Parameters, device);

        float[] before, after;
        backend.PushValues(device);
        using (backend.KeepOnDevice(device))
        {
            model.ForwardBackward(batch, labels);
            before = model.Forward(batch, training: false).Span.ToArray(); // (B, K); keeps the weights' bfloat16 copies
            optimizer.Step(LearningRate);
            after = model.Forward(batch, training: false).Span.ToArray();
            optimizer.SyncToHost(moments: false);
        }
        var fresh = new BertForSequenceClassification(config, Seed, new TorchBackend(TorchDevices.Cpu, TrainingPrecision.BFloat16));
        for (var i = 0; i < model.Parameters.Count; i++) fresh.Parameters[i].Load(model.Parameters[i].Value.Span);
        var expected = fresh.Forward(batch, training: false).Span.ToArray();

        Assert.IsGreaterThan(BackendPair.Tolerance, BackendPair.RelativeError(after, before), "the step moved the logits");
        CollectionAssert.AreEqual(expected, after);
    }
}

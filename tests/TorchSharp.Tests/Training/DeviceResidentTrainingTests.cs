using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.TorchSharp.Tests.Training;

/// <summary>
/// <see cref="TrainingLoop"/> keeps a model's parameters on its backend: several steps of a tiny BERT classifier on
/// <c>torch:cpu</c> (gradients accumulated over micro-batches, clipped and applied on the device) end with the weights
/// the managed engine's run ends with, and what crosses between host and device in a step is the batch's inputs, its
/// targets and the loss values, neither the parameters nor the logits.
/// </summary>
[TestClass]
public sealed class DeviceResidentTrainingTests
{
    private const ulong Seed = 11;
    private const int Examples = 32, BatchSize = 8, Length = 8;

    /// <summary>
    /// The key projection's bias has an exact gradient of zero (a per-row constant added to the attention scores), so
    /// both backends hold rounding noise there and AdamW, which normalises the update, turns it into steps of about
    /// ±lr whose signs are the noise's: those weights are left out of the comparison.
    /// </summary>
    private const string ZeroGradientBias = "attention.self.key.bias";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void StepsOnTorchEndWithTheManagedEnginesWeights()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        var options = Options(epochs: 1);
        var (managed, managedHistory) = Train(config, null, options);
        var (torch, torchHistory) = Train(config, new TorchBackend(TorchDevices.Cpu), options);

        Assert.HasCount(Examples / BatchSize, torchHistory.Steps);
        for (var step = 0; step < managedHistory.Steps.Count; step++)
            Assert.AreEqual(managedHistory.Steps[step].Loss, torchHistory.Steps[step].Loss, BackendPair.Tolerance * managedHistory.Steps[step].Loss, $"loss at step {step + 1}");
        var errors = managed.Parameters.Select((p, i) => (p.Name, Error: BackendPair.RelativeError(torch.Parameters[i].Value.Span, p.Value.Span)))
            .Where(e => !e.Name.Contains(ZeroGradientBias, StringComparison.Ordinal)).OrderByDescending(e => e.Error).ToList();
        TestContext.WriteLine($"worst weights: {string.Join("; ", errors.Take(3).Select(e => $"{e.Name} {e.Error:E2}"))}");
        Assert.IsLessThan(BackendPair.Tolerance, errors[0].Error, errors[0].Name);
    }

    [TestMethod]
    public void OnlyInputsTargetsAndLossesCrossInAStep()
    {
        var config = BackendPair.Tiny(EncoderArchitecture.Bert);
        (config.HiddenDropoutProb, config.AttentionProbsDropoutProb) = (0, 0); // no dropout masks to upload
        var (oneStep, _) = Traffic(config, steps: 1);
        var (threeSteps, parameterCount) = Traffic(config, steps: 3);
        var uploaded = (threeSteps.Uploaded - oneStep.Uploaded) / 2;
        var downloaded = (threeSteps.Downloaded - oneStep.Downloaded) / 2;
        var pushPull = HostOptimizerStepTraffic(config);
        TestContext.WriteLine($"parameters {parameterCount}; per step uploaded {uploaded}, downloaded {downloaded}; "
            + $"a step with host-side parameters uploaded {pushPull.Uploaded}, downloaded {pushPull.Downloaded}");

        Assert.AreEqual(MicroBatches + 1L, downloaded, "each micro-batch's loss and the squared gradient norm");
        Assert.AreEqual((long)TokenTensorsPerMicroBatch * BatchSize * Length + LossValuesPerRow * BatchSize, uploaded, "index tensors, the mask and the targets");
        Assert.IsGreaterThanOrEqualTo(parameterCount, pushPull.Uploaded, "host-side parameters are pushed every step");
        Assert.IsGreaterThanOrEqualTo(parameterCount, pushPull.Downloaded, "and their gradients pulled");
    }

    /// <summary>
    /// Token-sized tensors a micro-batch sends to the device: the word, position and token type ids for the embeddings'
    /// forward and again for their backward, and the attention mask.
    /// </summary>
    private const int TokenTensorsPerMicroBatch = 7;

    /// <summary>Values per sequence the device loss sends: its class, its weight in the loss, and its index among the counted rows.</summary>
    private const int LossValuesPerRow = 3;

    /// <summary>Micro-batches per step (<see cref="TrainingOptions.GradientAccumulationSteps"/>).</summary>
    private const int MicroBatches = 2;

    private static TrainingOptions Options(int epochs, int? maxSteps = null) => new()
    {
        BatchSize = BatchSize, Epochs = epochs, MaxSteps = maxSteps, LearningRate = 1e-3f, WarmupRatio = 0,
        MaxGradientNorm = 0.5f, GradientAccumulationSteps = MicroBatches, Seed = (int)Seed, DegreeOfParallelism = 1,
    };

    private static (BertForSequenceClassification Model, TrainingHistory History) Train(BertConfig config, ComputeBackend? backend, TrainingOptions options)
    {
        var model = new BertForSequenceClassification(config, Seed, backend);
        model.Initialize(Seed);
        var history = new TrainingLoop(Task(model), options).Run();
        return (model, history);
    }

    /// <summary>The elements a run of <paramref name="steps"/> steps on a fresh <c>torch:cpu</c> backend moves, and the model's parameter count.</summary>
    private static ((long Uploaded, long Downloaded) Moved, long ParameterCount) Traffic(BertConfig config, int steps)
    {
        var backend = new TorchBackend(TorchDevices.Cpu);
        var (model, _) = Train(config, backend, Options(epochs: 1, maxSteps: steps));
        return ((backend.ElementsUploaded, backend.ElementsDownloaded), model.Parameters.Sum(p => (long)p.Value.Length));
    }

    /// <summary>What one step moves when the optimizer works on the host: the model pushes its weights and pulls its gradients.</summary>
    private static (long Uploaded, long Downloaded) HostOptimizerStepTraffic(BertConfig config)
    {
        var backend = new TorchBackend(TorchDevices.Cpu);
        var model = new BertForSequenceClassification(config, Seed, backend);
        model.Initialize(Seed);
        var task = Task(model);
        var (uploaded, downloaded) = (backend.ElementsUploaded, backend.ElementsDownloaded);
        model.ZeroGradients();
        task.ForwardBackward([.. Enumerable.Range(0, BatchSize)], 1f);
        return (backend.ElementsUploaded - uploaded, backend.ElementsDownloaded - downloaded);
    }

    /// <summary>
    /// Sequences of <see cref="Length"/> random tokens (one length, so every step moves as much) labelled by whether
    /// their first token is in the upper half of the vocabulary.
    /// </summary>
    private static TinyClassifierTraining Task(BertForSequenceClassification model)
    {
        var random = new Random((int)Seed);
        var vocabulary = model.Config.VocabSize;
        int[][] ids = [.. Enumerable.Range(0, Examples).Select(_ => Enumerable.Range(0, Length).Select(_ => random.Next(3, vocabulary)).ToArray())];
        return new TinyClassifierTraining(model, ids, [.. ids.Select(row => row[0] >= vocabulary / 2 ? 1 : 0)]);
    }
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Bench.FineTune;

/// <summary>
/// A sequence classifier over its training examples as <see cref="TrainingLoop"/> trains it (mean cross-entropy on
/// padded batches), recording the examples of every batch in order so that the PyTorch peer replays the same ones.
/// </summary>
internal sealed class RecordingClassifier(BertForSequenceClassification model, LabeledSequences train) : ITrainableModel
{
    /// <summary>The example indices of every batch trained, in order.</summary>
    public List<int[]> Batches { get; } = [];

    public IReadOnlyList<Parameter> Parameters => model.Parameters;

    public IReadOnlyList<Parameter> TrainableParameters => model.Parameters;

    public Models.Execution.ComputeBackend Backend => model.Encoder.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => model.DeviceParameters;

    public int ExampleCount => train.Count;

    public int ExampleLength(int index) => train.Ids[index].Length;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale)
    {
        if (lossScale != 1) throw new NotSupportedException("The benchmark records whole batches: run it without gradient accumulation.");
        var indices = examples.ToArray();
        Batches.Add(indices);
        var batch = EncoderBatches.Pad(train, indices, model.Config.PadTokenId);
        return model.ForwardBackward(batch, [.. indices.Select(i => train.Labels[i])]);
    }

    public void ReseedRandomness(ulong seed) => model.ReseedDropout(seed);

    public void WriteCheckpointFiles(string directory) => throw new NotSupportedException("The benchmark writes no checkpoints.");
}

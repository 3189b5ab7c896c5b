using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.TorchSharp.Tests.Training;

/// <summary>
/// A tiny sequence classifier and its labelled sequences as <see cref="TrainingLoop"/> trains them: padded
/// micro-batches, mean cross-entropy scaled by the loop's share of the step.
/// </summary>
internal sealed class TinyClassifierTraining(BertForSequenceClassification model, IReadOnlyList<int[]> sequences, int[] labels) : ITrainableModel
{
    public BertForSequenceClassification Model => model;

    public IReadOnlyList<Parameter> Parameters => model.Parameters;

    public IReadOnlyList<Parameter> TrainableParameters => model.Parameters;

    public ComputeBackend Backend => model.Encoder.Backend;

    public IReadOnlyList<DeviceParameter> DeviceParameters => model.DeviceParameters;

    public int ExampleCount => sequences.Count;

    public int ExampleLength(int index) => sequences[index].Length;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale)
    {
        var ids = new int[examples.Length][];
        var targets = new int[examples.Length];
        for (var i = 0; i < examples.Length; i++) (ids[i], targets[i]) = (sequences[examples[i]], labels[examples[i]]);
        var batch = EncoderBatch.Pad(ids, [.. ids.Select(row => new int[row.Length])], model.Config.PadTokenId);
        return model.ForwardBackward(batch, targets, lossScale: lossScale);
    }

    public void ReseedRandomness(ulong seed) => model.ReseedDropout(seed);

    public void WriteCheckpointFiles(string directory) => File.WriteAllText(Path.Combine(directory, "config.json"), model.Config.ToJson());
}

using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The four weight matrices of an encoder layer as its products read them: the packed query/key/value projection,
/// the attention output, the intermediate and the output dense. Either the bound parameters (current values) or,
/// for an inference session, the backend's prepared snapshot of them (packed, quantised).
/// </summary>
internal sealed record PackedLayerWeights(DeviceTensor Qkv, DeviceTensor AttentionOutput, DeviceTensor Intermediate, DeviceTensor Output)
{
    /// <summary>The layer's matrices as they are (every product reads the current values).</summary>
    public static PackedLayerWeights Current(LayerDeviceParameters p) =>
        new(p.QkvWeight.Value, p.AttentionOutputWeight.Value, p.IntermediateWeight.Value, p.OutputWeight.Value);

    /// <summary>The layer's matrices prepared once by <paramref name="backend"/> in <paramref name="precision"/> (a snapshot).</summary>
    public static PackedLayerWeights Prepare(ComputeBackend backend, LayerDeviceParameters p, Precision precision) => new(
        backend.PrepareWeight(p.QkvWeight, precision),
        backend.PrepareWeight(p.AttentionOutputWeight, precision),
        backend.PrepareWeight(p.IntermediateWeight, precision),
        backend.PrepareWeight(p.OutputWeight, precision));
}

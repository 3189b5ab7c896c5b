using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Layers;

/// <summary>An encoder layer's parameters bound to a backend (the packed query/key/value pair as one).</summary>
internal sealed class LayerDeviceParameters
{
    public LayerDeviceParameters(ComputeBackend backend, EncoderLayerParameters p)
    {
        QkvWeight = backend.Bind(p.QkvWeight.Value, p.QkvWeight.Gradient);
        QkvBias = backend.Bind(p.QkvBias.Value, p.QkvBias.Gradient);
        AttentionOutputWeight = backend.Bind(p.AttentionOutputWeight);
        AttentionOutputBias = backend.Bind(p.AttentionOutputBias);
        AttentionNormWeight = backend.Bind(p.AttentionNormWeight);
        AttentionNormBias = backend.Bind(p.AttentionNormBias);
        IntermediateWeight = backend.Bind(p.IntermediateWeight);
        IntermediateBias = backend.Bind(p.IntermediateBias);
        OutputWeight = backend.Bind(p.OutputWeight);
        OutputBias = backend.Bind(p.OutputBias);
        OutputNormWeight = backend.Bind(p.OutputNormWeight);
        OutputNormBias = backend.Bind(p.OutputNormBias);
        All =
        [
            QkvWeight, QkvBias, AttentionOutputWeight, AttentionOutputBias, AttentionNormWeight, AttentionNormBias,
            IntermediateWeight, IntermediateBias, OutputWeight, OutputBias, OutputNormWeight, OutputNormBias,
        ];
    }

    public DeviceParameter QkvWeight { get; }
    public DeviceParameter QkvBias { get; }
    public DeviceParameter AttentionOutputWeight { get; }
    public DeviceParameter AttentionOutputBias { get; }
    public DeviceParameter AttentionNormWeight { get; }
    public DeviceParameter AttentionNormBias { get; }
    public DeviceParameter IntermediateWeight { get; }
    public DeviceParameter IntermediateBias { get; }
    public DeviceParameter OutputWeight { get; }
    public DeviceParameter OutputBias { get; }
    public DeviceParameter OutputNormWeight { get; }
    public DeviceParameter OutputNormBias { get; }

    /// <summary>Every binding (each host tensor once: the query, key and value views share the packed pair).</summary>
    public IReadOnlyList<DeviceParameter> All { get; }
}

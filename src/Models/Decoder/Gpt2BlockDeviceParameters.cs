using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>A GPT-2 block's parameters bound to a backend, the weights in their checkpoint (Conv1D) layout.</summary>
internal sealed class Gpt2BlockDeviceParameters
{
    public Gpt2BlockDeviceParameters(ComputeBackend backend, Gpt2BlockParameters p)
    {
        DeviceParameter Bind(Parameter parameter) => backend.Bind(parameter.Value, parameter.Gradient);
        (AttentionNormWeight, AttentionNormBias) = (Bind(p.AttentionNormWeight), Bind(p.AttentionNormBias));
        (QkvWeight, QkvBias) = (Bind(p.QkvWeight), Bind(p.QkvBias));
        (AttentionOutputWeight, AttentionOutputBias) = (Bind(p.AttentionOutputWeight), Bind(p.AttentionOutputBias));
        (FeedForwardNormWeight, FeedForwardNormBias) = (Bind(p.FeedForwardNormWeight), Bind(p.FeedForwardNormBias));
        (InnerWeight, InnerBias) = (Bind(p.InnerWeight), Bind(p.InnerBias));
        (OutputWeight, OutputBias) = (Bind(p.OutputWeight), Bind(p.OutputBias));
        All =
        [
            AttentionNormWeight, AttentionNormBias, QkvWeight, QkvBias, AttentionOutputWeight, AttentionOutputBias,
            FeedForwardNormWeight, FeedForwardNormBias, InnerWeight, InnerBias, OutputWeight, OutputBias,
        ];
    }

    public DeviceParameter AttentionNormWeight { get; }
    public DeviceParameter AttentionNormBias { get; }
    public DeviceParameter QkvWeight { get; }
    public DeviceParameter QkvBias { get; }
    public DeviceParameter AttentionOutputWeight { get; }
    public DeviceParameter AttentionOutputBias { get; }
    public DeviceParameter FeedForwardNormWeight { get; }
    public DeviceParameter FeedForwardNormBias { get; }
    public DeviceParameter InnerWeight { get; }
    public DeviceParameter InnerBias { get; }
    public DeviceParameter OutputWeight { get; }
    public DeviceParameter OutputBias { get; }

    /// <summary>Every binding, in checkpoint order.</summary>
    public IReadOnlyList<DeviceParameter> All { get; }
}

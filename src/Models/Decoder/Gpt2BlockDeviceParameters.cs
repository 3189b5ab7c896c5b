using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>A GPT-2 block's parameters bound to a backend, the weights in their checkpoint (Conv1D) layout.</summary>
internal sealed class Gpt2BlockDeviceParameters
{
    public Gpt2BlockDeviceParameters(ComputeBackend backend, Gpt2BlockParameters p)
    {
        (AttentionNormWeight, AttentionNormBias) = (backend.Bind(p.AttentionNormWeight), backend.Bind(p.AttentionNormBias));
        (QkvWeight, QkvBias) = (backend.Bind(p.QkvWeight), backend.Bind(p.QkvBias));
        (AttentionOutputWeight, AttentionOutputBias) = (backend.Bind(p.AttentionOutputWeight), backend.Bind(p.AttentionOutputBias));
        (FeedForwardNormWeight, FeedForwardNormBias) = (backend.Bind(p.FeedForwardNormWeight), backend.Bind(p.FeedForwardNormBias));
        (InnerWeight, InnerBias) = (backend.Bind(p.InnerWeight), backend.Bind(p.InnerBias));
        (OutputWeight, OutputBias) = (backend.Bind(p.OutputWeight), backend.Bind(p.OutputBias));
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

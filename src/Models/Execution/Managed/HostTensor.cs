using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>A managed <see cref="Tensor"/> as the managed engine's device tensor (no copy).</summary>
public sealed class HostTensor(Tensor value) : DeviceTensor
{
    /// <summary>The tensor itself.</summary>
    public Tensor Value { get; } = value;

    /// <inheritdoc />
    public override ReadOnlySpan<int> Shape => Value.Shape;

    /// <summary>The elements.</summary>
    public Span<float> Span => Value.Span;
}

using MLNet.Transformers.Models.Execution;
using static TorchSharp.torch;

namespace MLNet.Transformers.TorchSharp;

/// <summary>A libtorch tensor as the TorchSharp backend's device tensor.</summary>
public sealed class TorchTensor : DeviceTensor
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="value"/> (owned by the caller's scope rules: the backend's slots dispose theirs).</summary>
    public TorchTensor(Tensor value)
    {
        Value = value;
        _shape = [.. value.shape.Select(d => checked((int)d))];
    }

    /// <summary>The libtorch tensor.</summary>
    public Tensor Value { get; }

    /// <inheritdoc />
    public override ReadOnlySpan<int> Shape => _shape;
}

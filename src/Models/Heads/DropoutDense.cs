using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>One step of a classification head: dropout (in training) then a dense layer with an optional activation.</summary>
internal sealed class DropoutDense(float dropout, DenseLayer dense, Rng rng, ComputeBackend backend)
{
    private readonly DeviceBuffer _dropped = backend.CreateBuffer();
    private ulong? _key;

    public DenseLayer Dense { get; } = dense;

    /// <summary>(rows, out) for (rows, in); the input is not modified.</summary>
    public DeviceTensor Forward(DeviceTensor input, bool training)
    {
        _key = null;
        if (!training || dropout == 0f) return Dense.Forward(input, training);
        var dropped = _dropped.Get(input.Size(0), input.Size(1));
        _key = rng.NextStreamKey();
        backend.Dropout(input, dropped, dropout, _key.Value);
        return Dense.Forward(dropped, training);
    }

    /// <summary>The input gradient (rows, in), owned by this step.</summary>
    public DeviceTensor Backward(DeviceTensor dOutput)
    {
        var dInput = Dense.Backward(dOutput);
        if (_key is { } key) backend.Dropout(dInput, dInput, dropout, key);
        return dInput;
    }
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>One step of a classification head: dropout (in training) then a dense layer with an optional activation.</summary>
internal sealed class DropoutDense(float dropout, DenseLayer dense, Rng rng)
{
    private readonly TensorBuffer _dropped = new();
    private ulong? _key;

    public DenseLayer Dense { get; } = dense;

    /// <summary>(rows, out) for (rows, in); the input is not modified.</summary>
    public Tensor Forward(Tensor input, bool training)
    {
        _key = null;
        if (!training || dropout == 0f) return Dense.Forward(input, training);
        var dropped = _dropped.Get(input.Size(0), input.Size(1));
        _key = rng.NextStreamKey();
        Dropout.Forward(input.Span, dropped.Span, dropout, _key.Value);
        return Dense.Forward(dropped, training);
    }

    /// <summary>The input gradient (rows, in), owned by this step.</summary>
    public Tensor Backward(Tensor dOutput)
    {
        var dInput = Dense.Backward(dOutput);
        if (_key is { } key) Dropout.Backward(dInput.Span, dInput.Span, dropout, key);
        return dInput;
    }
}

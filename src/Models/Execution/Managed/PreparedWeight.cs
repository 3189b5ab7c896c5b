using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>A weight (O, C) packed for single-precision products, or quantised per output channel for 8-bit ones.</summary>
internal sealed class PreparedWeight : DeviceTensor
{
    private readonly int[] _shape;
    private readonly PackedMatrix? _packed;
    private readonly QuantizedMatrix? _quantized;

    public PreparedWeight(Tensor weight, Precision precision)
    {
        _shape = weight.Shape.ToArray();
        var (outFeatures, inFeatures) = (weight.Size(0), weight.Size(1));
        switch (precision)
        {
            case Precision.Float32: _packed = Tensors.Linear.Pack(weight.Span, inFeatures, outFeatures); break;
            case Precision.Int8: _quantized = Tensors.Linear.Quantize(weight.Span, inFeatures, outFeatures); break;
            default: throw new NotSupportedException(
                $"The managed engine has no {precision} products: run on the TorchSharp backend (Device torch:cpu or cuda) for them.");
        }
    }

    /// <inheritdoc />
    public override ReadOnlySpan<int> Shape => _shape;

    /// <summary>y (n, O) = x (n, C) · Wᵀ + bias (may be empty).</summary>
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        if (_packed is not null) Tensors.Linear.Forward(x, _packed, bias, y, n);
        else Tensors.Linear.Forward(x, _quantized!, bias, y, n);
    }
}

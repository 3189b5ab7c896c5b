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
            default: throw Unsupported(precision);
        }
    }

    private PreparedWeight(int[] shape, PackedMatrix? packed, QuantizedMatrix? quantized) =>
        (_shape, _packed, _quantized) = (shape, packed, quantized);

    /// <summary>A weight stored (C, O) in Conv1D layout, prepared as the (O, C) weight it is the transpose of.</summary>
    public static PreparedWeight FromConv1D(Tensor weight, Precision precision)
    {
        var (inFeatures, outFeatures) = (weight.Size(0), weight.Size(1));
        int[] shape = [outFeatures, inFeatures];
        return precision switch
        {
            Precision.Float32 => new(shape, Tensors.Conv1D.Pack(weight.Span, inFeatures, outFeatures), null),
            Precision.Int8 => new(shape, null, Tensors.Linear.Quantize(Transposed(weight), inFeatures, outFeatures)),
            _ => throw Unsupported(precision),
        };
    }

    /// <inheritdoc />
    public override ReadOnlySpan<int> Shape => _shape;

    /// <summary>y (n, O) = x (n, C) · Wᵀ + bias (may be empty).</summary>
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        if (_packed is not null) Tensors.Linear.Forward(x, _packed, bias, y, n);
        else Tensors.Linear.Forward(x, _quantized!, bias, y, n);
    }

    private static NotSupportedException Unsupported(Precision precision) => new(
        $"The managed engine has no {precision} products: run on the TorchSharp backend (Device torch:cpu or cuda) for them.");

    /// <summary>The (O, C) transpose of a (C, O) weight.</summary>
    private static float[] Transposed(Tensor weight)
    {
        var (rows, columns) = (weight.Size(0), weight.Size(1));
        var source = weight.Span;
        var result = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var col = 0; col < columns; col++) result[col * rows + r] = source[r * columns + col];
        }
        return result;
    }
}

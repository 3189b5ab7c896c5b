using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>A dense layer's weight prepared once for inference products: packed single precision, or quantised to 8 bits.</summary>
internal interface IInferenceWeight
{
    /// <summary>y (n, out) = x (n, in) · Wᵀ + bias; <paramref name="bias"/> may be empty.</summary>
    void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int n);
}

/// <summary>A weight packed for single-precision products: the bits of the unpacked product.</summary>
internal sealed class PackedWeight(PackedMatrix matrix) : IInferenceWeight
{
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int n) => Linear.Forward(x, matrix, bias, y, n);
}

/// <summary>A weight quantised per output channel for 8-bit products.</summary>
internal sealed class QuantizedWeight(QuantizedMatrix matrix) : IInferenceWeight
{
    public void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int n) => Linear.Forward(x, matrix, bias, y, n);
}

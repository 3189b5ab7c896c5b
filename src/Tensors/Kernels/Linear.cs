namespace MLNet.Transformers.Tensors;

/// <summary>Fully connected layer <c>y = x · Wᵀ + b</c> with weights stored (out, in) as torch stores them.</summary>
public static class Linear
{
    /// <summary>y (n, outFeatures) = x (n, inFeatures) · weightᵀ + bias; <paramref name="bias"/> may be empty.</summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int n, int inFeatures, int outFeatures)
    {
        Check.Length(x, n * inFeatures, nameof(x));
        Check.Length(weight, outFeatures * inFeatures, nameof(weight));
        Check.Length(y, n * outFeatures, nameof(y));
        if (bias.IsEmpty) Gemm.Multiply(x, weight, y, n, outFeatures, inFeatures, transposeB: true);
        else Gemm.MultiplyAddBias(x, weight, bias, y, n, outFeatures, inFeatures, transposeB: true);
    }

    /// <summary>
    /// y (n, outFeatures) = x (n, inFeatures) · weightᵀ + bias over a weight packed by <see cref="Pack"/>;
    /// <paramref name="bias"/> may be empty. The same values as the unpacked <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, PackedMatrix weight, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Check.Length(x, n * weight.Depth, nameof(x));
        Check.Length(y, n * weight.Columns, nameof(y));
        Gemm.Multiply(x, weight, bias, y, n);
    }

    /// <summary>A weight stored (outFeatures, inFeatures) packed for the products of <see cref="Forward(ReadOnlySpan{float}, PackedMatrix, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> weight, int inFeatures, int outFeatures)
    {
        Check.Length(weight, outFeatures * inFeatures, nameof(weight));
        return PackedMatrix.Pack(weight, inFeatures, outFeatures, transposeB: true);
    }

    /// <summary>
    /// y (n, outFeatures) ≈ x (n, inFeatures) · weightᵀ + bias in 8-bit arithmetic over a weight quantised by
    /// <see cref="Quantize"/>: each row of x quantised on the fly (see <see cref="Int8Gemm"/>); <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, QuantizedMatrix weight, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Check.Length(x, n * weight.Depth, nameof(x));
        Check.Length(y, n * weight.Columns, nameof(y));
        Int8Gemm.Multiply(x, weight, bias, y, n);
    }

    /// <summary>
    /// A weight stored (outFeatures, inFeatures) quantised per output channel for the 8-bit products of
    /// <see cref="Forward(ReadOnlySpan{float}, QuantizedMatrix, ReadOnlySpan{float}, Span{float}, int)"/>.
    /// </summary>
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> weight, int inFeatures, int outFeatures, Int8Kernel kernel = Int8Kernel.Auto) =>
        QuantizedMatrix.Quantize(weight, inFeatures, outFeatures, kernel);

    /// <summary>
    /// Backward of the forward products: writes dx (may be empty to skip), adds to dWeight and dBias (may be empty).
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        Span<float> dx, Span<float> dWeight, Span<float> dBias, int n, int inFeatures, int outFeatures)
    {
        Check.Length(dy, n * outFeatures, nameof(dy));
        Check.Length(x, n * inFeatures, nameof(x));
        Check.Length(dWeight, outFeatures * inFeatures, nameof(dWeight));
        if (!dx.IsEmpty)
        {
            Check.Length(dx, n * inFeatures, nameof(dx));
            Gemm.Multiply(dy, weight, dx, n, inFeatures, outFeatures); // (n, out) · (out, in)
        }
        Gemm.Multiply(dy, x, dWeight, outFeatures, inFeatures, n, transposeA: true, accumulate: true); // dyᵀ · x
        if (!dBias.IsEmpty) Bias.AccumulateColumnSums(dy, dBias, n);
    }
}

namespace MLNet.Transformers.Tensors;

/// <summary>
/// GPT-2's fully connected layer (Hugging Face <c>Conv1D</c>): <c>y = x · W + b</c> with the weight stored
/// (in, out), the transpose of <see cref="Linear"/>'s (out, in).
/// </summary>
public static class Conv1D
{
    /// <summary>y (n, outFeatures) = x (n, inFeatures) · weight (inFeatures, outFeatures) + bias; <paramref name="bias"/> may be empty.</summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int n, int inFeatures, int outFeatures)
    {
        Check.Length(x, n * inFeatures, nameof(x));
        Check.Length(weight, inFeatures * outFeatures, nameof(weight));
        Check.Length(y, n * outFeatures, nameof(y));
        if (bias.IsEmpty) Gemm.Multiply(x, weight, y, n, outFeatures, inFeatures);
        else Gemm.MultiplyAddBias(x, weight, bias, y, n, outFeatures, inFeatures);
    }

    /// <summary>
    /// y (n, outFeatures) = x (n, inFeatures) · weight + bias over a weight packed by <see cref="Pack"/>; the same
    /// values as the unpacked forward. <paramref name="bias"/> may be empty. A packed weight no longer depends on how
    /// it was stored, so this is <see cref="Linear"/>'s packed forward.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, PackedMatrix weight, ReadOnlySpan<float> bias, Span<float> y, int n) =>
        Linear.Forward(x, weight, bias, y, n);

    /// <summary>A weight stored (inFeatures, outFeatures) packed for the products of the packed <see cref="Forward(ReadOnlySpan{float}, PackedMatrix, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> weight, int inFeatures, int outFeatures)
    {
        Check.Length(weight, inFeatures * outFeatures, nameof(weight));
        return PackedMatrix.Pack(weight, inFeatures, outFeatures);
    }

    /// <summary>
    /// Backward of <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>: writes dx (n, inFeatures) (may be empty to skip), adds to dWeight
    /// (inFeatures, outFeatures) and dBias (outFeatures, may be empty).
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        Span<float> dx, Span<float> dWeight, Span<float> dBias, int n, int inFeatures, int outFeatures)
    {
        Check.Length(dy, n * outFeatures, nameof(dy));
        Check.Length(x, n * inFeatures, nameof(x));
        Check.Length(dWeight, inFeatures * outFeatures, nameof(dWeight));
        if (!dx.IsEmpty)
        {
            Check.Length(dx, n * inFeatures, nameof(dx));
            Gemm.Multiply(dy, weight, dx, n, inFeatures, outFeatures, transposeB: true); // (n, out) · (out, in)
        }
        Gemm.Multiply(x, dy, dWeight, inFeatures, outFeatures, n, transposeA: true, accumulate: true); // xᵀ · dy
        if (!dBias.IsEmpty) Bias.AccumulateColumnSums(dy, dBias, n);
    }
}

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Products of float activations by 8-bit weights: <c>C (m×n) = A (m×k) · Wᵀ + bias</c> with W a
/// <see cref="QuantizedMatrix"/>. Each row of A is quantised on the fly (dynamic, per row, with a zero point: see
/// <see cref="AsymmetricQuantization"/>), the products
/// accumulate exactly in 32-bit integers (AVX-VNNI where the CPU has it) and are dequantised with the bias added as
/// they are stored. Results are bit-identical from run to run, at any degree of parallelism and with any kernel.
/// </summary>
public static class Int8Gemm
{
    /// <summary>Whether <paramref name="kernel"/> can run on this CPU.</summary>
    public static bool IsSupported(Int8Kernel kernel) => Int8Routines.IsSupported(kernel);

    /// <summary>
    /// <c>C (m×n) = A (m×k) · Wᵀ + bias</c>: k and n are <paramref name="weight"/>'s <see cref="QuantizedMatrix.Depth"/>
    /// and <see cref="QuantizedMatrix.Columns"/>, A and C dense row-major, the bias n values or empty.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer's length does not match the sizes.</exception>
    public static unsafe void Multiply(ReadOnlySpan<float> a, QuantizedMatrix weight, ReadOnlySpan<float> bias, Span<float> c, int m)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        var (n, k) = (weight.Columns, weight.Depth);
        Check.Length(a, m * k, nameof(a));
        Check.Length(c, m * n, nameof(c));
        if (!bias.IsEmpty) Check.Length(bias, n, nameof(bias));
        fixed (float* pa = a, pc = c, pbias = bias)
        {
            var problem = new Int8Problem(pa, pc, m, n, k, weight.Data, bias.IsEmpty ? null : pbias);
            var parts = problem.MultiplyAdds >= Int8Blocking.ParallelThreshold ? GemmBlocking.Parts : 1;
            weight.Routines.Multiply(problem, parts);
        }
    }
}

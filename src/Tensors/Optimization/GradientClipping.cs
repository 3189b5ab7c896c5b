namespace MLNet.Transformers.Tensors;

/// <summary>Global-norm gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>Added to the norm before dividing, as torch does, so a zero gradient stays finite.</summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>
    /// Scales every gradient by maxNorm / (‖g‖ + 1e-6) when the global L2 norm ‖g‖ over all of them exceeds
    /// <paramref name="maxNorm"/>. Returns ‖g‖ before clipping.
    /// </summary>
    public static float ClipGlobalNorm(IEnumerable<Parameter> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters as IReadOnlyList<Parameter> ?? [.. parameters];
        double sumOfSquares = 0;
        foreach (var parameter in list) sumOfSquares = AddSquares(parameter.Gradient.Span, sumOfSquares);
        var norm = Math.Sqrt(sumOfSquares);
        var coefficient = Coefficient(norm, maxNorm);
        if (coefficient < 1)
            foreach (var parameter in list)
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Gradient.Span, (float)coefficient, parameter.Gradient.Span);
        return (float)norm;
    }

    /// <summary>
    /// <paramref name="sum"/> plus the square of every element of <paramref name="gradient"/>, added one after another
    /// in double precision (the order <see cref="ClipGlobalNorm"/> sums a gradient in).
    /// </summary>
    public static double AddSquares(ReadOnlySpan<float> gradient, double sum)
    {
        foreach (var g in gradient) sum += (double)g * g;
        return sum;
    }

    /// <summary>
    /// The factor maxNorm / (‖g‖ + 1e-6) that gradients of global norm <paramref name="norm"/> are scaled by; clipping
    /// applies it (as a single-precision factor) only when it is below 1.
    /// </summary>
    public static double Coefficient(double norm, float maxNorm) => maxNorm / (norm + NormEpsilon);
}

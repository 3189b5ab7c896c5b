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
        foreach (var parameter in list)
            foreach (var g in parameter.Gradient.Span) sumOfSquares += (double)g * g;
        var norm = Math.Sqrt(sumOfSquares);
        var coefficient = maxNorm / (norm + NormEpsilon);
        if (coefficient < 1)
            foreach (var parameter in list)
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Gradient.Span, (float)coefficient, parameter.Gradient.Span);
        return (float)norm;
    }
}

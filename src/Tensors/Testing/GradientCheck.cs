namespace MLNet.Transformers.Tensors;

/// <summary>
/// Compares an analytic gradient with central finite differences, as <c>torch.autograd.gradcheck</c> does for
/// autograd: each checked element of the input is nudged by ±step and the loss, evaluated in double precision, is
/// differenced. The forward kernels run in float32, so the step must be large enough (about 1e-2) to rise above
/// float rounding; a smooth function then agrees to about 1e-3 of the gradient's scale.
/// </summary>
public static class GradientCheck
{
    /// <summary>The default perturbation.</summary>
    public const float DefaultStep = 1e-2f;

    /// <summary>
    /// Returns max |numeric − analytic| over the checked elements, divided by max(1, max |analytic|): relative to the
    /// gradient's scale, and absolute for gradients that are (mathematically) near zero, such as a key bias's.
    /// </summary>
    /// <param name="input">The values being differentiated; restored after each probe.</param>
    /// <param name="analytic">The gradient under test, same length as <paramref name="input"/>.</param>
    /// <param name="loss">Runs the forward pass on the current input and returns the scalar loss.</param>
    /// <param name="maxElements">Checks at most this many elements, evenly strided across the input.</param>
    /// <param name="step">The perturbation.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double RelativeError(
        Span<float> input, ReadOnlySpan<float> analytic, Func<double> loss, int maxElements = 64, float step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (input.Length != analytic.Length)
            throw new ArgumentException($"The gradient has {analytic.Length} elements, the input {input.Length}.");
        var scale = 1.0;
        foreach (var g in analytic) scale = Math.Max(scale, Math.Abs(g));
        var stride = Math.Max(1, input.Length / Math.Max(1, maxElements));
        var worst = 0.0;
        for (var i = 0; i < input.Length; i += stride)
        {
            var original = input[i];
            input[i] = original + step;
            var up = input[i];
            var lossUp = loss();
            input[i] = original - step;
            var down = input[i];
            var lossDown = loss();
            input[i] = original;
            var numeric = (lossUp - lossDown) / ((double)up - down);
            worst = Math.Max(worst, Math.Abs(numeric - analytic[i]));
        }
        return worst / scale;
    }

    /// <summary>Σ weights ⊙ values in double: a scalar loss whose gradient with respect to the values is the weights.</summary>
    public static double WeightedSum(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (values.Length != weights.Length)
            throw new ArgumentException($"{values.Length} values but {weights.Length} weights.");
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++) sum += (double)values[i] * weights[i];
        return sum;
    }
}

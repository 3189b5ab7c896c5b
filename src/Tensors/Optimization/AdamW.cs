namespace MLNet.Transformers.Tensors;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) as <c>torch.optim.AdamW</c> computes it: θ ← θ·(1 − lr·λ), then the bias-corrected
/// Adam update. Parameters fall in two groups by <see cref="Parameter.WeightDecay"/>: weights decay, biases and
/// LayerNorm parameters do not.
/// </summary>
public sealed class AdamW
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly AdamWOptions _options;
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;

    /// <summary>Creates the optimizer with zeroed moment estimates for <paramref name="parameters"/>.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _options = options ?? new AdamWOptions();
        _firstMoments = [.. parameters.Select(p => new float[p.Value.Length])];
        _secondMoments = [.. parameters.Select(p => new float[p.Value.Length])];
    }

    /// <summary>Number of steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> from the current gradients.</summary>
    public void Step(float learningRate)
    {
        Steps++;
        var (beta1, beta2) = (_options.Beta1, _options.Beta2);
        var stepSize = (float)(learningRate / (1 - Math.Pow(beta1, Steps)));
        var correction2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, Steps));
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            var decay = parameter.WeightDecay ? 1f - learningRate * _options.WeightDecay : 1f;
            Update(parameter.Value.Span, parameter.Gradient.Span, _firstMoments[i], _secondMoments[i],
                decay, stepSize, correction2Sqrt);
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }

    private void Update(
        Span<float> value, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float decay, float stepSize, float correction2Sqrt)
    {
        var (beta1, beta2, eps) = (_options.Beta1, _options.Beta2, _options.Epsilon);
        for (var j = 0; j < value.Length; j++)
        {
            var g = gradient[j];
            m[j] = beta1 * m[j] + (1f - beta1) * g;
            v[j] = beta2 * v[j] + (1f - beta2) * g * g;
            var denominator = MathF.Sqrt(v[j]) / correction2Sqrt + eps;
            value[j] = value[j] * decay - stepSize * m[j] / denominator;
        }
    }
}

using System.Runtime.Intrinsics;

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
    private int _steps;

    /// <summary>Creates the optimizer with zeroed moment estimates for <paramref name="parameters"/>.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _options = options ?? new AdamWOptions();
        _firstMoments = [.. parameters.Select(p => new float[p.Value.Length])];
        _secondMoments = [.. parameters.Select(p => new float[p.Value.Length])];
    }

    /// <summary>
    /// Number of steps taken so far (it sets the bias correction). Settable to restore a saved optimizer state
    /// together with <see cref="FirstMoments"/> and <see cref="SecondMoments"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Steps
    {
        get => _steps;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _steps = value;
        }
    }

    /// <summary>The parameters this optimizer updates, in the order of the moment accessors.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The running first-moment estimate m (same length as the parameter) of parameter <paramref name="index"/>; writable to restore a state.</summary>
    public Span<float> FirstMoments(int index) => _firstMoments[index];

    /// <summary>The running second-moment estimate v (same length as the parameter) of parameter <paramref name="index"/>; writable to restore a state.</summary>
    public Span<float> SecondMoments(int index) => _secondMoments[index];

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> from the current gradients.</summary>
    public void Step(float learningRate)
    {
        _steps++;
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

    /// <summary>Elements per parallel work item (a multiple of the vector width).</summary>
    private const int Chunk = 8192;

    private unsafe void Update(
        Span<float> value, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float decay, float stepSize, float correction2Sqrt)
    {
        var length = value.Length;
        var chunks = (length + Chunk - 1) / Chunk;
        var options = _options;
        fixed (float* pv = value, pg = gradient, pm = m, ps = v)
        {
            float* values = pv, gradients = pg, firsts = pm, seconds = ps;
            RowParallel.For(chunks, Chunk, (_, start, end) =>
            {
                var last = (int)Math.Min((long)end * Chunk, length);
                for (var i = start * Chunk; i < last; i += 8)
                {
                    var count = Math.Min(8, last - i);
                    var (p, g, m1, m2) = (Tail.Load(values + i, count, 0f), Tail.Load(gradients + i, count, 0f),
                        Tail.Load(firsts + i, count, 0f), Tail.Load(seconds + i, count, 0f));
                    m1 = Vector256.Create(options.Beta1) * m1 + Vector256.Create(1f - options.Beta1) * g;
                    m2 = Vector256.Create(options.Beta2) * m2 + Vector256.Create(1f - options.Beta2) * g * g;
                    var denominator = Vector256.Sqrt(m2) / Vector256.Create(correction2Sqrt) + Vector256.Create(options.Epsilon);
                    p = p * Vector256.Create(decay) - Vector256.Create(stepSize) * m1 / denominator;
                    Tail.Store(p, values + i, count);
                    Tail.Store(m1, firsts + i, count);
                    Tail.Store(m2, seconds + i, count);
                }
            });
        }
    }
}

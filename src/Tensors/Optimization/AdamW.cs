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
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private int _steps;

    /// <summary>Creates the optimizer with zeroed moment estimates for <paramref name="parameters"/>.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _options = options ?? new AdamWOptions();
        _firstMoments = [.. parameters.Select(p => new Tensor(p.Value.Shape.ToArray()))];
        _secondMoments = [.. parameters.Select(p => new Tensor(p.Value.Shape.ToArray()))];
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
    public Span<float> FirstMoments(int index) => _firstMoments[index].Span;

    /// <summary>The running second-moment estimate v (same length as the parameter) of parameter <paramref name="index"/>; writable to restore a state.</summary>
    public Span<float> SecondMoments(int index) => _secondMoments[index].Span;

    /// <summary>
    /// The moment estimates m and v of parameter <paramref name="index"/> as tensors of its shape (the memory
    /// <see cref="FirstMoments"/> and <see cref="SecondMoments"/> give), for an optimizer that updates them elsewhere.
    /// </summary>
    public (Tensor First, Tensor Second) Moments(int index) => (_firstMoments[index], _secondMoments[index]);

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> from the current gradients.</summary>
    public void Step(float learningRate)
    {
        _steps++;
        var update = AdamWUpdate.For(_options, learningRate, Steps);
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            Update(parameter.Value.Span, parameter.Gradient.Span, _firstMoments[i].Span, _secondMoments[i].Span,
                update.ForParameter(parameter.WeightDecay));
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }

    /// <summary>Elements per parallel work item (a multiple of the vector width).</summary>
    private const int Chunk = 8192;

    /// <summary>
    /// One AdamW update of one parameter in place, as <c>torch.optim.AdamW</c> computes it: θ ← θ·(1 − lr·λ);
    /// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε). All spans have
    /// the parameter's length.
    /// </summary>
    /// <param name="value">The parameter's values θ, updated.</param>
    /// <param name="gradient">Its gradient g.</param>
    /// <param name="firstMoment">The first-moment estimate m, updated.</param>
    /// <param name="secondMoment">The second-moment estimate v, updated.</param>
    /// <param name="update">The hyper-parameters of this step for this parameter.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Update(
        Span<float> value, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment, AdamWUpdate update)
    {
        var length = value.Length;
        if (gradient.Length != length || firstMoment.Length != length || secondMoment.Length != length)
            throw new ArgumentException("The values, gradient and moments of a parameter must have the same length.");
        var chunks = (length + Chunk - 1) / Chunk;
        var (beta1, beta2, epsilon) = (update.Beta1, update.Beta2, update.Epsilon);
        var (decay, stepSize, correction2Sqrt) = (update.DecayFactor, update.StepSize, update.SecondCorrectionSqrt);
        fixed (float* pv = value, pg = gradient, pm = firstMoment, ps = secondMoment)
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
                    m1 = Vector256.Create(beta1) * m1 + Vector256.Create(1f - beta1) * g;
                    m2 = Vector256.Create(beta2) * m2 + Vector256.Create(1f - beta2) * g * g;
                    var denominator = Vector256.Sqrt(m2) / Vector256.Create(correction2Sqrt) + Vector256.Create(epsilon);
                    p = p * Vector256.Create(decay) - Vector256.Create(stepSize) * m1 / denominator;
                    Tail.Store(p, values + i, count);
                    Tail.Store(m1, firsts + i, count);
                    Tail.Store(m2, seconds + i, count);
                }
            });
        }
    }
}

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The hyper-parameters of one AdamW update of one parameter at step <see cref="Step"/> (1 for the first update), and
/// the scalars derived from them exactly as <see cref="AdamW"/> computes them, so every implementation of the update
/// (the host optimizer, a backend's) starts from the same single-precision values.
/// </summary>
/// <param name="LearningRate">The learning rate of this step.</param>
/// <param name="Beta1">β₁, decay of the first-moment average.</param>
/// <param name="Beta2">β₂, decay of the second-moment average.</param>
/// <param name="Epsilon">ε added to the denominator.</param>
/// <param name="WeightDecay">Decoupled weight decay λ of this parameter (0 for one that does not decay).</param>
/// <param name="Step">The number of this update, counting from 1 (it sets the bias corrections).</param>
public readonly record struct AdamWUpdate(float LearningRate, float Beta1, float Beta2, float Epsilon, float WeightDecay, int Step)
{
    /// <summary>The update of step <paramref name="step"/> with <paramref name="options"/>' hyper-parameters, for a parameter that decays.</summary>
    public static AdamWUpdate For(AdamWOptions options, float learningRate, int step)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(learningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, step);
    }

    /// <summary>This update for a parameter that decays (<paramref name="decays"/>) or not (λ = 0).</summary>
    public AdamWUpdate ForParameter(bool decays) => decays ? this : this with { WeightDecay = 0 };

    /// <summary>The factor 1 − lr·λ the values are multiplied by before the Adam update (exactly 1 when λ = 0).</summary>
    public float DecayFactor => 1f - LearningRate * WeightDecay;

    /// <summary>lr / (1 − β₁ᵗ): the step size with the first moment's bias correction.</summary>
    public float StepSize => (float)(LearningRate / (1 - Math.Pow(Beta1, Step)));

    /// <summary>√(1 − β₂ᵗ): the second moment's bias correction, under the square root.</summary>
    public float SecondCorrectionSqrt => (float)Math.Sqrt(1 - Math.Pow(Beta2, Step));
}

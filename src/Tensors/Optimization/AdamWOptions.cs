namespace MLNet.Transformers.Tensors;

/// <summary>AdamW hyper-parameters; defaults are <c>torch.optim.AdamW</c>'s except the weight decay, BERT's 0.01.</summary>
public sealed class AdamWOptions
{
    /// <summary>β₁, decay of the first-moment average. Default 0.9.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>β₂, decay of the second-moment average. Default 0.999.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>ε added to the denominator. Default 1e-8.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Decoupled weight decay λ for parameters with <see cref="Parameter.WeightDecay"/>. Default 0.01.</summary>
    public float WeightDecay { get; init; } = 0.01f;
}

namespace MLNet.Transformers.Tensors;

/// <summary>Options of one scaled dot-product attention call.</summary>
/// <param name="Causal">Whether query i may only attend to keys j ≤ i (decoder-style).</param>
/// <param name="DropoutProbability">Dropout on the attention probabilities (0 in inference).</param>
/// <param name="DropoutKey">The dropout stream key (<see cref="Rng.NextStreamKey"/>); backward must get the same.</param>
public readonly record struct AttentionOptions(bool Causal = false, float DropoutProbability = 0f, ulong DropoutKey = 0)
{
    /// <summary>Whether dropout is active (probability above zero).</summary>
    public bool HasDropout => DropoutProbability > 0f;
}

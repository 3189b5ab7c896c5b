using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>Hyper-parameters of one BERT-style encoder layer; defaults are BERT-base's (Hugging Face config names in docs).</summary>
public sealed class EncoderLayerOptions
{
    /// <summary><c>hidden_size</c>, the model width C. Default 768.</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary><c>num_attention_heads</c>; must divide <see cref="HiddenSize"/>. Default 12.</summary>
    public int AttentionHeads { get; init; } = 12;

    /// <summary><c>intermediate_size</c>, the feed-forward width. Default 3072.</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary><c>hidden_act</c> of the feed-forward block. Default exact GELU (<c>gelu</c>).</summary>
    public ActivationKind HiddenActivation { get; init; } = ActivationKind.Gelu;

    /// <summary><c>layer_norm_eps</c>. Default 1e-12.</summary>
    public float LayerNormEps { get; init; } = 1e-12f;

    /// <summary><c>hidden_dropout_prob</c>, after the attention output and the feed-forward output. Default 0.1.</summary>
    public float HiddenDropout { get; init; } = 0.1f;

    /// <summary><c>attention_probs_dropout_prob</c>, on the attention probabilities. Default 0.1.</summary>
    public float AttentionDropout { get; init; } = 0.1f;

    /// <summary>Whether each token attends only to itself and earlier tokens. Default false (bidirectional).</summary>
    public bool Causal { get; init; }

    /// <summary>The width of one attention head, <see cref="HiddenSize"/> / <see cref="AttentionHeads"/>.</summary>
    public int HeadSize => HiddenSize / AttentionHeads;

    /// <summary>Throws when the sizes are inconsistent, naming the offending option.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the heads do not divide the width, or a dropout is outside [0, 1).</exception>
    public void Validate()
    {
        if (HiddenSize <= 0) throw new ArgumentException($"hidden_size must be positive, got {HiddenSize}.");
        if (AttentionHeads <= 0 || HiddenSize % AttentionHeads != 0)
            throw new ArgumentException(
                $"num_attention_heads ({AttentionHeads}) must be positive and divide hidden_size ({HiddenSize}).");
        if (IntermediateSize <= 0) throw new ArgumentException($"intermediate_size must be positive, got {IntermediateSize}.");
        if (LayerNormEps <= 0f) throw new ArgumentException($"layer_norm_eps must be positive, got {LayerNormEps}.");
        if (HiddenDropout is < 0f or >= 1f) throw new ArgumentException($"hidden_dropout_prob must be in [0, 1), got {HiddenDropout}.");
        if (AttentionDropout is < 0f or >= 1f)
            throw new ArgumentException($"attention_probs_dropout_prob must be in [0, 1), got {AttentionDropout}.");
    }
}

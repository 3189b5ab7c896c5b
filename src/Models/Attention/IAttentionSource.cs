namespace MLNet.Transformers.Models.Attention;

/// <summary>
/// A model that can show where it looks: the attention weights it gives a text (a transformer's self-attention per
/// layer and head, an attention-RNN's context weights over time), ready to render.
/// </summary>
public interface IAttentionSource
{
    /// <summary>The attention weights the model gives <paramref name="text"/>, over its tokens (special tokens included).</summary>
    /// <exception cref="ArgumentException">The text cannot be read by the model (e.g. longer than its positions).</exception>
    AttentionMaps GetAttention(string text);
}

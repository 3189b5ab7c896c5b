namespace MLNet.Transformers.Tensors;

/// <summary>Sizes of a multi-head attention call: batch B, heads H, tokens T, head size D (hidden C = H·D).</summary>
/// <param name="Batch">B, the number of sequences.</param>
/// <param name="Heads">H, the number of attention heads.</param>
/// <param name="Tokens">T, the sequence length (queries and keys).</param>
/// <param name="HeadSize">D, the width of one head.</param>
public readonly record struct AttentionShape(int Batch, int Heads, int Tokens, int HeadSize)
{
    /// <summary>C = H·D, the model width.</summary>
    public int Hidden => Heads * HeadSize;

    /// <summary>B·T·C = B·H·T·D: elements of one of Q, K, V or of the context.</summary>
    public int HeadElements => Batch * Heads * Tokens * HeadSize;

    /// <summary>B·H·T·T: elements of the attention probabilities.</summary>
    public int ScoreElements => Batch * Heads * Tokens * Tokens;
}

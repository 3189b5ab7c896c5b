using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Buffers of one embeddings forward, grown to the largest batch seen and reused after that: the embeddings' own
/// (their backward reads the sum and positions), or an inference session's. Shapes: N = B·T tokens, C hidden.
/// </summary>
internal sealed class EmbeddingBuffers
{
    private int[] _positions = [];

    public readonly TensorBuffer Sum = new();      // (N, C) word + position + token type, LayerNorm input
    public readonly TensorBuffer Gathered = new(); // (N, C) one table's rows
    public readonly TensorBuffer Output = new();   // (B, T, C)

    /// <summary>The position ids (N) of the last batch.</summary>
    public Span<int> Positions(int n)
    {
        if (_positions.Length < n) _positions = new int[n];
        return _positions.AsSpan(0, n);
    }
}

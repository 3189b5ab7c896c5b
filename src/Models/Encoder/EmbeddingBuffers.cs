using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Slots of one embeddings forward on a backend, grown to the largest batch seen and reused after that: the
/// embeddings' own (their backward reads the sum and positions), or an inference session's. Shapes: N = B·T tokens,
/// C hidden.
/// </summary>
internal sealed class EmbeddingBuffers(ComputeBackend backend)
{
    private int[] _positions = [];

    public readonly DeviceBuffer Sum = backend.CreateBuffer();      // (N, C) word + position + token type, LayerNorm input
    public readonly DeviceBuffer Gathered = backend.CreateBuffer(); // (N, C) one table's rows
    public readonly DeviceBuffer Output = backend.CreateBuffer();   // (B, T, C)

    /// <summary>The position ids (N) of the last batch.</summary>
    public Span<int> Positions(int n)
    {
        if (_positions.Length < n) _positions = new int[n];
        return _positions.AsSpan(0, n);
    }
}

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The keys and values of every token a <see cref="Gpt2LMHeadModel"/> has seen in generation, per block
/// (B, capacity, C) each, so that a new token attends to them without recomputing them: O(T) per token instead of
/// O(T²); and the model's weight matrices packed for the products of generation, a snapshot taken when the cache was
/// made (make a new cache after changing the weights). Made by <see cref="Gpt2LMHeadModel.CreateCache"/>; one per
/// generation (not shared between threads).
/// </summary>
public sealed class KeyValueCache
{
    private readonly float[][] _keys, _values;

    internal KeyValueCache(PackedGpt2Weights weights, int layers, int batch, int capacity, int hidden)
    {
        (Weights, Batch, Capacity, Hidden) = (weights, batch, capacity, hidden);
        _keys = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)batch * capacity * hidden])];
        _values = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)batch * capacity * hidden])];
    }

    /// <summary>The number of sequences B.</summary>
    public int Batch { get; }

    /// <summary>The most tokens per sequence it holds (the model's <c>n_positions</c>).</summary>
    public int Capacity { get; }

    /// <summary>Tokens per sequence cached so far: the position of the next token.</summary>
    public int Length { get; private set; }

    /// <summary>The model's weights packed when the cache was made.</summary>
    internal PackedGpt2Weights Weights { get; }

    /// <summary>The model width C.</summary>
    internal int Hidden { get; }

    /// <summary>Forgets every cached token (the buffers are kept for the next generation).</summary>
    public void Clear() => Length = 0;

    /// <summary>Block <paramref name="layer"/>'s keys (B, capacity, C).</summary>
    internal Span<float> Keys(int layer) => _keys[layer];

    /// <summary>Block <paramref name="layer"/>'s values (B, capacity, C).</summary>
    internal Span<float> Values(int layer) => _values[layer];

    /// <summary>Records that <paramref name="tokens"/> more tokens per sequence are cached.</summary>
    internal void Advance(int tokens) => Length += tokens;
}

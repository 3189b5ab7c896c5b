namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The keys and values of every token a <see cref="Gpt2LMHeadModel"/> has seen in generation, per block
/// (B, capacity, C) each, so that a new token attends to them without recomputing them: O(T) per token instead of
/// O(T²); and the model's weight matrices packed for the products of generation, a snapshot taken when the cache was
/// made (make a new cache after changing the weights). Made by <see cref="Gpt2LMHeadModel.CreateCache"/>; one per
/// generation (not shared between threads). It also keeps each sequence's attention mask (B, capacity), 1 for real
/// tokens and 0 for padding, and the number of real tokens of each, from which the position ids of new tokens follow
/// (as Hugging Face's <c>cumsum(attention_mask) - 1</c>), so that left-padded prompts of different lengths generate
/// together.
/// </summary>
public sealed class KeyValueCache
{
    private readonly float[][] _keys, _values;
    private readonly float[] _keyMask;
    private readonly int[] _realTokens;

    internal KeyValueCache(PackedGpt2Weights weights, int layers, int batch, int capacity, int hidden)
    {
        (Weights, Batch, Capacity, Hidden) = (weights, batch, capacity, hidden);
        _keys = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)batch * capacity * hidden])];
        _values = [.. Enumerable.Range(0, layers).Select(_ => new float[(long)batch * capacity * hidden])];
        _keyMask = new float[batch * capacity];
        _realTokens = new int[batch];
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
    public void Clear()
    {
        Length = 0;
        Array.Clear(_realTokens);
    }

    /// <summary>Block <paramref name="layer"/>'s keys (B, capacity, C).</summary>
    internal Span<float> Keys(int layer) => _keys[layer];

    /// <summary>Block <paramref name="layer"/>'s values (B, capacity, C).</summary>
    internal Span<float> Values(int layer) => _values[layer];

    /// <summary>The attention mask of every cached position (B, capacity), the new tokens' written by <see cref="PlaceTokens"/>.</summary>
    internal ReadOnlySpan<float> KeyMask => _keyMask;

    /// <summary>
    /// Writes the attention mask (B·Tn, row-major; empty for all real) of <paramref name="tokens"/> new tokens per
    /// sequence after the cached ones, and returns their position ids (B·Tn, see <see cref="PositionIds"/>).
    /// </summary>
    internal int[] PlaceTokens(ReadOnlySpan<float> attentionMask, int tokens)
    {
        if (!attentionMask.IsEmpty && attentionMask.Length != Batch * tokens)
            throw new ArgumentException($"The attention mask has {attentionMask.Length} entries for {Batch * tokens} new tokens.", nameof(attentionMask));
        for (var s = 0; s < Batch; s++)
        {
            var row = _keyMask.AsSpan(s * Capacity + Length, tokens);
            if (attentionMask.IsEmpty) row.Fill(1f);
            else attentionMask.Slice(s * tokens, tokens).CopyTo(row);
        }
        return PositionIds.FromMask(attentionMask, Batch, tokens, _realTokens);
    }

    /// <summary>Records that the <paramref name="tokens"/> tokens per sequence placed last are cached.</summary>
    internal void Advance(int tokens)
    {
        for (var s = 0; s < Batch; s++)
        {
            for (var i = 0; i < tokens; i++) _realTokens[s] += _keyMask[s * Capacity + Length + i] != 0f ? 1 : 0;
        }
        Length += tokens;
    }
}

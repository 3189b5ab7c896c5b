using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The keys and values of every token a <see cref="Gpt2LMHeadModel"/> has seen in generation, per block
/// (B, capacity, C) each on the model's backend, so that a new token attends to them without recomputing them: O(T)
/// per token instead of O(T²); and the model's weight matrices prepared by the backend for the products of generation
/// (packed on the managed engine), a snapshot taken when the cache was made (make a new cache after changing the
/// weights). Made by <see cref="Gpt2LMHeadModel.CreateCache"/>, more over the same weights by <see cref="CreateSibling"/>;
/// one per generation (not shared between threads). It
/// also keeps each sequence's attention mask (B, capacity), 1 for real tokens and 0 for padding, and the number of
/// real tokens of each, from which the position ids of new tokens follow (as Hugging Face's
/// <c>cumsum(attention_mask) - 1</c>), so that left-padded prompts of different lengths generate together.
/// </summary>
public sealed class KeyValueCache
{
    private readonly ComputeBackend _backend;
    private readonly DeviceTensor[] _keys, _values;
    private readonly Tensor _keyMask; // (B, capacity) on the host
    private readonly DeviceTensor _deviceKeyMask; // (B, capacity) on the backend (the host tensor itself on the managed engine)
    private readonly int[] _realTokens;

    internal KeyValueCache(ComputeBackend backend, PackedGpt2Weights weights, int layers, int batch, int capacity, int hidden)
    {
        (_backend, Weights, Batch, Capacity, Hidden) = (backend, weights, batch, capacity, hidden);
        _keys = [.. Enumerable.Range(0, layers).Select(_ => backend.CreateBuffer().Get(batch, capacity, hidden))];
        _values = [.. Enumerable.Range(0, layers).Select(_ => backend.CreateBuffer().Get(batch, capacity, hidden))];
        _keyMask = new Tensor(batch, capacity);
        _deviceKeyMask = backend.Constant(_keyMask);
        _realTokens = new int[batch];
    }

    /// <summary>The number of sequences B.</summary>
    public int Batch { get; }

    /// <summary>The most tokens per sequence it holds (the model's <c>n_positions</c>).</summary>
    public int Capacity { get; }

    /// <summary>Tokens per sequence cached so far: the position of the next token.</summary>
    public int Length { get; private set; }

    /// <summary>The model's weights prepared when the cache was made.</summary>
    internal PackedGpt2Weights Weights { get; }

    /// <summary>The model width C.</summary>
    internal int Hidden { get; }

    /// <summary>
    /// A new, empty cache for <paramref name="batchSize"/> sequences over the same prepared weights (nothing is prepared
    /// again): for the next generation, or another thread's.
    /// </summary>
    public KeyValueCache CreateSibling(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return new KeyValueCache(_backend, Weights, _keys.Length, batchSize, Capacity, Hidden);
    }

    /// <summary>Forgets every cached token (the buffers are kept for the next generation).</summary>
    public void Clear()
    {
        Length = 0;
        Array.Clear(_realTokens);
    }

    /// <summary>Block <paramref name="layer"/>'s keys (B, capacity, C).</summary>
    internal DeviceTensor Keys(int layer) => _keys[layer];

    /// <summary>Block <paramref name="layer"/>'s values (B, capacity, C).</summary>
    internal DeviceTensor Values(int layer) => _values[layer];

    /// <summary>The attention mask of every cached position (B, capacity) on the backend, the new tokens' written by <see cref="PlaceTokens"/>.</summary>
    internal DeviceTensor KeyMask => _deviceKeyMask;

    /// <summary>
    /// Writes the attention mask (B·Tn, row-major; empty for all real) of <paramref name="tokens"/> new tokens per
    /// sequence after the cached ones, and returns their position ids (B·Tn, see <see cref="PositionIds"/>).
    /// </summary>
    internal int[] PlaceTokens(ReadOnlySpan<float> attentionMask, int tokens)
    {
        if (!attentionMask.IsEmpty && attentionMask.Length != Batch * tokens)
            throw new ArgumentException($"The attention mask has {attentionMask.Length} entries for {Batch * tokens} new tokens.", nameof(attentionMask));
        var mask = _keyMask.Span;
        for (var s = 0; s < Batch; s++)
        {
            var row = mask.Slice(s * Capacity + Length, tokens);
            if (attentionMask.IsEmpty) row.Fill(1f);
            else attentionMask.Slice(s * tokens, tokens).CopyTo(row);
        }
        if (!_backend.SharesHostMemory) _backend.Upload(mask, _deviceKeyMask);
        return PositionIds.FromMask(attentionMask, Batch, tokens, _realTokens);
    }

    /// <summary>Records that the <paramref name="tokens"/> tokens per sequence placed last are cached.</summary>
    internal void Advance(int tokens)
    {
        var mask = _keyMask.Span;
        for (var s = 0; s < Batch; s++)
        {
            for (var i = 0; i < tokens; i++) _realTokens[s] += mask[s * Capacity + Length + i] != 0f ? 1 : 0;
        }
        Length += tokens;
    }
}

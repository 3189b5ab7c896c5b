namespace MLNet.Transformers.Models.Attention;

/// <summary>
/// The attention weights a model gave one text: for each layer and head, how much each query row attends to each
/// token. A transformer's self-attention has one row per token (rows are the tokens); an attention-RNN's context
/// vector has one layer, one head and a single row over the tokens. Rows hold probabilities (each sums to 1).
/// </summary>
public sealed class AttentionMaps
{
    private readonly float[] _weights;

    /// <summary>Wraps weights (L, H, Q, K), row-major, for <paramref name="tokens"/> (K) and <paramref name="queries"/> (Q).</summary>
    /// <param name="tokens">The tokens attended to (the columns, K), as the tokenizer writes them, special tokens included.</param>
    /// <param name="queries">The label of each row (Q): the tokens again for self-attention.</param>
    /// <param name="layers">L, the number of layers.</param>
    /// <param name="heads">H, the number of heads per layer.</param>
    /// <param name="weights">L·H·Q·K probabilities, layer-major; kept, not copied.</param>
    /// <exception cref="ArgumentException">A count is below 1, or the weights do not hold L·H·Q·K values.</exception>
    public AttentionMaps(IReadOnlyList<string> tokens, IReadOnlyList<string> queries, int layers, int heads, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens.Count, 1, nameof(tokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(queries.Count, 1, nameof(queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        var expected = (long)layers * heads * queries.Count * tokens.Count;
        if (weights.Length != expected)
            throw new ArgumentException($"The weights hold {weights.Length} values, expected L·H·Q·K = {expected}.", nameof(weights));
        (Tokens, Queries, Layers, Heads, _weights) = (tokens, queries, layers, heads, weights);
    }

    /// <summary>
    /// Self-attention maps of one sequence: every row is a token. <paramref name="layerProbabilities"/> holds one
    /// (H·T·T) span per layer, T = <paramref name="tokens"/>.Count.
    /// </summary>
    /// <exception cref="ArgumentException">A layer's span does not hold H·T·T values.</exception>
    public static AttentionMaps SelfAttention(IReadOnlyList<string> tokens, int heads, IReadOnlyList<float[]> layerProbabilities)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(layerProbabilities);
        var perLayer = heads * tokens.Count * tokens.Count;
        var weights = new float[layerProbabilities.Count * perLayer];
        for (var layer = 0; layer < layerProbabilities.Count; layer++)
        {
            if (layerProbabilities[layer].Length != perLayer)
                throw new ArgumentException($"Layer {layer} holds {layerProbabilities[layer].Length} values, expected H·T·T = {perLayer}.", nameof(layerProbabilities));
            layerProbabilities[layer].CopyTo(weights, layer * perLayer);
        }
        return new AttentionMaps(tokens, tokens, layerProbabilities.Count, heads, weights);
    }

    /// <summary>Default row label of <see cref="OverTokens"/>.</summary>
    public const string DefaultContextLabel = "context";

    /// <summary>
    /// Weights over the tokens from a single query, such as an attention-RNN's context weights over its hidden states:
    /// one layer, one head, one row labelled <paramref name="label"/>.
    /// </summary>
    /// <exception cref="ArgumentException">There is not one weight per token.</exception>
    public static AttentionMaps OverTokens(IReadOnlyList<string> tokens, float[] weights, string label = DefaultContextLabel)
    {
        ArgumentNullException.ThrowIfNull(label);
        return new AttentionMaps(tokens, [label], layers: 1, heads: 1, weights);
    }

    /// <summary>The tokens attended to (the columns, K).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The label of each row (Q): the tokens for self-attention, e.g. <c>context</c> for an attention-RNN.</summary>
    public IReadOnlyList<string> Queries { get; }

    /// <summary>L, the number of layers.</summary>
    public int Layers { get; }

    /// <summary>H, the number of heads per layer.</summary>
    public int Heads { get; }

    /// <summary>Every weight (L, H, Q, K), row-major.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The map of one layer and head: (Q, K), row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer or head does not exist.</exception>
    public ReadOnlySpan<float> Map(int layer, int head)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers);
        ArgumentOutOfRangeException.ThrowIfNegative(head);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(head, Heads);
        var size = Queries.Count * Tokens.Count;
        return _weights.AsSpan((layer * Heads + head) * size, size);
    }

    /// <summary>The weight row <paramref name="query"/> gives token <paramref name="key"/> in one layer and head.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public float this[int layer, int head, int query, int key]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(query);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, Queries.Count);
            ArgumentOutOfRangeException.ThrowIfNegative(key);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(key, Tokens.Count);
            return Map(layer, head)[query * Tokens.Count + key];
        }
    }
}

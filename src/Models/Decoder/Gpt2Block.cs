using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// One GPT-2 block, pre-LayerNorm with causal self-attention:
/// <code>
/// a = x + dropout(attn.c_proj(causal_attention(attn.c_attn(ln_1 x))))
/// y = a + dropout(mlp.c_proj(act(mlp.c_fc(ln_2 a))))
/// </code>
/// It owns its parameters (Hugging Face names relative to the block, see <see cref="Parameters"/>), their gradients
/// and its activation buffers. <see cref="Forward"/> returns a tensor the block owns, valid until its next call; the
/// input must stay unchanged until <see cref="Backward"/>, which adds into the parameter gradients.
/// </summary>
public sealed class Gpt2Block
{
    private readonly Gpt2Config _config;
    private readonly Rng _dropoutRng;
    private readonly Gpt2BlockWorkspace _work = new();

    // State of the last training forward, needed by the backward pass.
    private Tensor? _input;
    private AttentionShape _shape;
    private ulong _attentionDropoutKey, _attentionOutputDropoutKey, _outputDropoutKey;

    /// <summary>Creates a block with zero weights and unit LayerNorm scales.</summary>
    /// <param name="config">Sizes, activation, epsilon, dropout; validated by the caller.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys.</param>
    public Gpt2Block(Gpt2Config config, Rng dropoutRng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dropoutRng);
        (_config, _dropoutRng) = (config, dropoutRng);
        Parameters = new Gpt2BlockParameters(config);
    }

    /// <summary>The block's parameters and gradients by Hugging Face name.</summary>
    public Gpt2BlockParameters Parameters { get; }

    private float Epsilon => (float)_config.LayerNormEpsilon;

    /// <summary>
    /// Runs the block on hidden states (B, T, C), each token attending to itself and the tokens before it. With
    /// <paramref name="training"/> dropout is active and the activations are kept for <see cref="Backward"/>.
    /// <paramref name="attentionMask"/> (B·T) holds 0 for padding, never attended to; empty for none.
    /// </summary>
    /// <returns>The output (B, T, C), owned by the block and overwritten by its next call.</returns>
    /// <exception cref="ArgumentException">The hidden states are not (B, T, C).</exception>
    public Tensor Forward(Tensor hidden, bool training, ReadOnlySpan<float> attentionMask = default)
    {
        var shape = Shape(hidden);
        _input = training ? hidden : null;
        if (training) _shape = shape;
        return Run(hidden, shape, training, attentionMask, cache: null, layer: 0, packed: null);
    }

    /// <summary>
    /// The inference forward of the newest tokens (B, Tn, C) of sequences whose earlier tokens are in
    /// <paramref name="cache"/> (block <paramref name="layer"/>'s keys and values; the new ones are appended). The
    /// caller advances the cache after the last block. The products run over the cache's packed weights.
    /// </summary>
    internal Tensor ForwardCached(Tensor hidden, KeyValueCache cache, int layer) =>
        Run(hidden, Shape(hidden), training: false, attentionMask: [], cache, layer, cache.Weights.Blocks[layer]);

    private Tensor Run(
        Tensor hidden, AttentionShape shape, bool training, ReadOnlySpan<float> attentionMask, KeyValueCache? cache, int layer, PackedBlockWeights? packed)
    {
        var (p, w) = (Parameters, _work);
        var (n, c, f) = (shape.Batch * shape.Tokens, shape.Hidden, _config.FeedForwardSize);
        var x = hidden.Span; // (N, C)

        // Attention branch: ln_1, the packed query/key/value projection, causal attention, c_proj + residual.
        var normed = w.AttentionNormed.Get(n, c).Span; // (N, C)
        LayerNorm.Forward(x, p.AttentionNormWeight.Value.Span, p.AttentionNormBias.Value.Span, normed,
            training ? w.AttentionMean.Get(n).Span : [], training ? w.AttentionRstd.Get(n).Span : [], n, Epsilon);
        var qkv = w.Qkv.Get(n, 3 * c).Span; // (N, 3C)
        Dense(normed, p.QkvWeight, packed?.Qkv, p.QkvBias.Value.Span, qkv, n);
        var context = w.Context.Get(n, c).Span; // (N, C)
        Attend(qkv, context, shape, training, attentionMask, cache, layer);
        var dense = w.Dense.Get(n, c).Span; // (N, C)
        Dense(context, p.AttentionOutputWeight, packed?.AttentionOutput, [], dense, n);
        var attentionOutputKey = NewResidualDropoutKey(training);
        var residual = w.Residual.Get(n, c).Span; // (N, C) a
        BiasDropoutResidual.Forward(dense, p.AttentionOutputBias.Value.Span, x, residual, n, ResidualDropout(training), attentionOutputKey);

        // Feed-forward branch: ln_2, c_fc + fused bias/activation, c_proj + residual.
        var ffNormed = w.FeedForwardNormed.Get(n, c).Span; // (N, C)
        LayerNorm.Forward(residual, p.FeedForwardNormWeight.Value.Span, p.FeedForwardNormBias.Value.Span, ffNormed,
            training ? w.FeedForwardMean.Get(n).Span : [], training ? w.FeedForwardRstd.Get(n).Span : [], n, Epsilon);
        var activated = w.Activated.Get(n, f).Span; // (N, F)
        var pre = training ? w.PreActivation.Get(n, f).Span : activated; // (N, F)
        Dense(ffNormed, p.InnerWeight, packed?.Inner, [], pre, n);
        Activation.BiasForward(_config.Activation, p.InnerBias.Value.Span, pre, activated, n);
        Dense(activated, p.OutputWeight, packed?.Output, [], dense, n);
        var outputKey = NewResidualDropoutKey(training);
        var output = w.Output.Get(shape.Batch, shape.Tokens, c);
        BiasDropoutResidual.Forward(dense, p.OutputBias.Value.Span, residual, output.Span, n, ResidualDropout(training), outputKey);
        if (training) (_attentionOutputDropoutKey, _outputDropoutKey) = (attentionOutputKey, outputKey);
        return output;
    }

    /// <summary>y (n, out) = x (n, in) · weight + bias, over the packed weight when there is one (same values).</summary>
    private static void Dense(ReadOnlySpan<float> x, Parameter weight, PackedMatrix? packed, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        if (packed is null) Conv1D.Forward(x, weight.Value.Span, bias, y, n, weight.Value.Size(0), weight.Value.Size(1));
        else Conv1D.Forward(x, packed, bias, y, n);
    }

    /// <summary>Causal attention: batched with P kept (training), per sequence (inference), or over the cache (and its mask).</summary>
    private void Attend(
        Span<float> qkv, Span<float> context, AttentionShape shape, bool training, ReadOnlySpan<float> attentionMask, KeyValueCache? cache, int layer)
    {
        var w = _work;
        if (cache is not null)
        {
            AppendToCache(qkv, cache, layer, shape);
            var scores = w.Probabilities.Get(cache.Length + shape.Tokens).Span; // one row of scores
            CachedAttention.Forward(qkv, cache.Keys(layer), cache.Values(layer), context, scores, shape, cache.Length, cache.Capacity, cache.KeyMask);
        }
        else if (training)
        {
            if (_config.AttentionDropout > 0) _attentionDropoutKey = _dropoutRng.NextStreamKey();
            var options = new AttentionOptions(Causal: true, (float)_config.AttentionDropout, _attentionDropoutKey);
            var dropped = options.HasDropout ? Scores(w.Dropped) : [];
            ScaledDotProductAttention.Forward(qkv, attentionMask, Scores(w.Probabilities), dropped, context, shape, options);
        }
        else
        {
            var scratch = w.Probabilities.Get(ScaledDotProductAttention.SequenceScratchLength(shape)).Span;
            ScaledDotProductAttention.ForwardBySequence(qkv, attentionMask, scratch, context, shape, causal: true);
        }
    }

    /// <summary>Copies the new tokens' keys and values (columns [C, 3C) of qkv) into the cache after its cached tokens.</summary>
    private static void AppendToCache(ReadOnlySpan<float> qkv, KeyValueCache cache, int layer, AttentionShape shape)
    {
        var (c, tn) = (shape.Hidden, shape.Tokens);
        if (shape.Batch != cache.Batch) throw new ArgumentException($"The cache holds {cache.Batch} sequences, the batch has {shape.Batch}.");
        if (cache.Length + tn > cache.Capacity)
            throw new ArgumentException($"{cache.Length} cached and {tn} new tokens exceed n_positions ({cache.Capacity}).");
        var keys = cache.Keys(layer);
        var values = cache.Values(layer);
        for (var s = 0; s < shape.Batch; s++)
        {
            for (var i = 0; i < tn; i++)
            {
                var source = qkv.Slice((s * tn + i) * 3 * c, 3 * c);
                var row = (s * cache.Capacity + cache.Length + i) * c;
                source.Slice(c, c).CopyTo(keys.Slice(row, c));
                source.Slice(2 * c, c).CopyTo(values.Slice(row, c));
            }
        }
    }

    /// <summary>
    /// Backward of the last training <see cref="Forward"/>: adds the parameter gradients and returns the gradient of
    /// the input hidden states (B, T, C), owned by the block.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        var x = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c, f) = (_shape.Batch, _shape.Tokens, _shape.Hidden, _config.FeedForwardSize);
        var n = b * t;
        dOutput.RequireShape("output gradient", b, t, c);
        var (p, w) = (Parameters, _work);
        var dropout = (float)_config.ResidualDropout;

        // Feed-forward branch; the residual passes dOutput on to a unchanged.
        var dDense = w.DDense.Get(n, c).Span; // (N, C)
        BiasDropoutResidual.Backward(dOutput.Span, dDense, p.OutputBias.Gradient.Span, n, dropout, _outputDropoutKey);
        var dActivated = w.DActivated.Get(n, f).Span; // (N, F)
        Conv1D.Backward(dDense, w.Activated.Get(n, f).Span, p.OutputWeight.Value.Span, dActivated, p.OutputWeight.Gradient.Span, [], n, f, c);
        Activation.BiasBackward(_config.Activation, dActivated, w.PreActivation.Get(n, f).Span, dActivated, p.InnerBias.Gradient.Span, n);
        var dNormed = w.DNormed.Get(n, c).Span; // (N, C)
        Conv1D.Backward(dActivated, w.FeedForwardNormed.Get(n, c).Span, p.InnerWeight.Value.Span, dNormed, p.InnerWeight.Gradient.Span, [], n, c, f);
        var dResidual = w.DResidual.Get(n, c).Span; // (N, C) gradient of a
        LayerNorm.Backward(dNormed, w.Residual.Get(n, c).Span, p.FeedForwardNormWeight.Value.Span, w.FeedForwardMean.Get(n).Span,
            w.FeedForwardRstd.Get(n).Span, dResidual, p.FeedForwardNormWeight.Gradient.Span, p.FeedForwardNormBias.Gradient.Span, n);
        Residual.Backward(dOutput.Span, dResidual);

        // Attention branch; the residual passes dResidual on to x unchanged.
        BiasDropoutResidual.Backward(dResidual, dDense, p.AttentionOutputBias.Gradient.Span, n, dropout, _attentionOutputDropoutKey);
        var dContext = w.DContext.Get(n, c).Span; // (N, C)
        Conv1D.Backward(dDense, w.Context.Get(n, c).Span, p.AttentionOutputWeight.Value.Span, dContext, p.AttentionOutputWeight.Gradient.Span, [], n, c, c);
        var options = new AttentionOptions(Causal: true, (float)_config.AttentionDropout, _attentionDropoutKey);
        var dQkv = w.DQkv.Get(n, 3 * c).Span; // (N, 3C)
        ScaledDotProductAttention.Backward(dContext, w.Qkv.Get(n, 3 * c).Span, Scores(w.Probabilities),
            options.HasDropout ? Scores(w.Dropped) : [], Scores(w.DScores), dQkv, _shape, options);
        Conv1D.Backward(dQkv, w.AttentionNormed.Get(n, c).Span, p.QkvWeight.Value.Span, dNormed, p.QkvWeight.Gradient.Span, p.QkvBias.Gradient.Span, n, c, 3 * c);
        var dInput = w.DInput.Get(b, t, c);
        LayerNorm.Backward(dNormed, x.Span, p.AttentionNormWeight.Value.Span, w.AttentionMean.Get(n).Span, w.AttentionRstd.Get(n).Span,
            dInput.Span, p.AttentionNormWeight.Gradient.Span, p.AttentionNormBias.Gradient.Span, n);
        Residual.Backward(dResidual, dInput.Span);
        return dInput;
    }

    private AttentionShape Shape(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Rank != 3 || hidden.Size(2) != _config.HiddenSize)
            throw new ArgumentException($"hidden states have shape {hidden}, expected (B, T, {_config.HiddenSize}).", nameof(hidden));
        return new AttentionShape(hidden.Size(0), _config.NumHeads, hidden.Size(1), _config.HeadSize);
    }

    private float ResidualDropout(bool training) => training ? (float)_config.ResidualDropout : 0f;

    /// <summary>A fresh dropout stream key when residual dropout is active in training (the backward pass reuses it).</summary>
    private ulong NewResidualDropoutKey(bool training) =>
        training && _config.ResidualDropout > 0 ? _dropoutRng.NextStreamKey() : 0;

    private Span<float> Scores(TensorBuffer buffer) => buffer.Get(_shape.Batch, _shape.Heads, _shape.Tokens, _shape.Tokens).Span;
}

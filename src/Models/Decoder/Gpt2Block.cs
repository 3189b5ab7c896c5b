using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// One GPT-2 block, pre-LayerNorm with causal self-attention:
/// <code>
/// a = x + dropout(attn.c_proj(causal_attention(attn.c_attn(ln_1 x))))
/// y = a + dropout(mlp.c_proj(act(mlp.c_fc(ln_2 a))))
/// </code>
/// It owns its parameters (Hugging Face names relative to the block, see <see cref="Parameters"/>), their gradients
/// and its activation buffers, and computes with the operations of its <see cref="ComputeBackend"/>.
/// <see cref="Forward(Tensor, bool, ReadOnlySpan{float})"/> returns a tensor the block owns, valid until its next
/// call; the input must stay unchanged until <see cref="Backward(Tensor)"/>, which adds into the parameter gradients.
/// </summary>
public sealed class Gpt2Block
{
    private readonly Gpt2Config _config;
    private readonly Rng _dropoutRng;
    private readonly ComputeBackend _backend;
    private readonly Gpt2BlockWorkspace _work;
    private readonly DeviceMask _hostMask;
    private readonly HostExchange _hostInput, _hostOutput, _hostDOutput, _hostDInput;

    // State of the last training forward, needed by the backward pass.
    private DeviceTensor? _input;
    private AttentionShape _shape;
    private ulong _attentionDropoutKey, _attentionOutputDropoutKey, _outputDropoutKey;

    /// <summary>Creates a block with zero weights and unit LayerNorm scales.</summary>
    /// <param name="config">Sizes, activation, epsilon, dropout; validated by the caller.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys.</param>
    /// <param name="backend">Where the block computes; null for the managed engine.</param>
    public Gpt2Block(Gpt2Config config, Rng dropoutRng, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dropoutRng);
        (_config, _dropoutRng, _backend) = (config, dropoutRng, backend ?? ManagedBackend.Instance);
        _work = new Gpt2BlockWorkspace(_backend);
        _hostMask = new DeviceMask(_backend);
        (_hostInput, _hostOutput, _hostDOutput, _hostDInput) = (new(_backend), new(_backend), new(_backend), new(_backend));
        Parameters = new Gpt2BlockParameters(config);
        Device = new Gpt2BlockDeviceParameters(_backend, Parameters);
    }

    /// <summary>The block's parameters and gradients by Hugging Face name.</summary>
    public Gpt2BlockParameters Parameters { get; }

    /// <summary>The parameters as the backend holds them.</summary>
    internal Gpt2BlockDeviceParameters Device { get; }

    private float Epsilon => (float)_config.LayerNormEpsilon;

    /// <summary>
    /// Runs the block on hidden states (B, T, C), each token attending to itself and the tokens before it. With
    /// <paramref name="training"/> dropout is active and the activations are kept for <see cref="Backward(Tensor)"/>.
    /// <paramref name="attentionMask"/> (B·T) holds 0 for padding, never attended to; empty for none. On a backend
    /// other than the managed engine the tensors are copied in and out (its parameters as last pushed).
    /// </summary>
    /// <returns>The output (B, T, C), owned by the block and overwritten by its next call.</returns>
    /// <exception cref="ArgumentException">The hidden states are not (B, T, C).</exception>
    public Tensor Forward(Tensor hidden, bool training, ReadOnlySpan<float> attentionMask = default)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var device = _hostInput.ToDevice(hidden);
        var mask = _hostMask.ToDevice(attentionMask, hidden.Size(0), hidden.Rank > 1 ? hidden.Size(1) : 0);
        return _hostOutput.ToHost(Forward(device, mask, training));
    }

    /// <summary>The forward on the backend's tensors, <paramref name="attentionMask"/> (B, T) or null; the output (B, T, C) is owned by the block.</summary>
    internal DeviceTensor Forward(DeviceTensor hidden, DeviceTensor? attentionMask, bool training)
    {
        var shape = Shape(hidden);
        _input = training ? hidden : null;
        if (training) _shape = shape;
        return Run(hidden, shape, training, attentionMask, cache: null, layer: 0, prepared: null);
    }

    /// <summary>
    /// The inference forward of the newest tokens (B, Tn, C) of sequences whose earlier tokens are in
    /// <paramref name="cache"/> (block <paramref name="layer"/>'s keys and values; the new ones are appended). The
    /// caller advances the cache after the last block. The products run over the cache's prepared weights.
    /// </summary>
    internal DeviceTensor ForwardCached(DeviceTensor hidden, KeyValueCache cache, int layer) =>
        Run(hidden, Shape(hidden), training: false, attentionMask: null, cache, layer, cache.Weights.Blocks[layer]);

    private DeviceTensor Run(
        DeviceTensor x, AttentionShape shape, bool training, DeviceTensor? attentionMask, KeyValueCache? cache, int layer,
        PackedBlockWeights? prepared)
    {
        var (ops, p, w) = (_backend, Device, _work);
        var (n, c, f) = (shape.Batch * shape.Tokens, shape.Hidden, _config.FeedForwardSize);

        // Attention branch: ln_1, the packed query/key/value projection, causal attention, c_proj + residual.
        var normed = w.AttentionNormed.Get(n, c); // (N, C)
        ops.LayerNorm(x, p.AttentionNormWeight.Value, p.AttentionNormBias.Value, normed,
            training ? w.AttentionMean.Get(n) : null, training ? w.AttentionRstd.Get(n) : null, Epsilon);
        var qkv = w.Qkv.Get(n, 3 * c); // (N, 3C)
        Dense(normed, p.QkvWeight, prepared?.Qkv, p.QkvBias.Value, qkv);
        var context = w.Context.Get(n, c); // (N, C)
        Attend(qkv, context, shape, training, attentionMask, cache, layer);
        var dense = w.Dense.Get(n, c); // (N, C)
        Dense(context, p.AttentionOutputWeight, prepared?.AttentionOutput, null, dense);
        var attentionOutputKey = NewResidualDropoutKey(training);
        var residual = w.Residual.Get(n, c); // (N, C) a
        ops.BiasDropoutResidual(dense, p.AttentionOutputBias.Value, x, residual, ResidualDropout(training), attentionOutputKey);

        // Feed-forward branch: ln_2, c_fc + fused bias/activation, c_proj + residual.
        var ffNormed = w.FeedForwardNormed.Get(n, c); // (N, C)
        ops.LayerNorm(residual, p.FeedForwardNormWeight.Value, p.FeedForwardNormBias.Value, ffNormed,
            training ? w.FeedForwardMean.Get(n) : null, training ? w.FeedForwardRstd.Get(n) : null, Epsilon);
        var activated = w.Activated.Get(n, f); // (N, F)
        var pre = training ? w.PreActivation.Get(n, f) : activated; // (N, F)
        Dense(ffNormed, p.InnerWeight, prepared?.Inner, null, pre);
        ops.BiasActivation(_config.Activation, p.InnerBias.Value, pre, activated);
        Dense(activated, p.OutputWeight, prepared?.Output, null, dense);
        var outputKey = NewResidualDropoutKey(training);
        var output = w.Output.Get(shape.Batch, shape.Tokens, c); // (B, T, C)
        ops.BiasDropoutResidual(dense, p.OutputBias.Value, residual, output, ResidualDropout(training), outputKey);
        if (training) (_attentionOutputDropoutKey, _outputDropoutKey) = (attentionOutputKey, outputKey);
        return output;
    }

    /// <summary>y (N, out) = x (N, in) · weight (Conv1D layout) + bias, over the prepared weight when there is one (same values).</summary>
    private void Dense(DeviceTensor x, DeviceParameter weight, DeviceTensor? prepared, DeviceTensor? bias, DeviceTensor y)
    {
        if (prepared is null) _backend.Conv1D(x, weight.Value, bias, y);
        else _backend.Linear(x, prepared, bias, y);
    }

    /// <summary>Causal attention: batched with P kept (training), per sequence (inference), or over the cache (and its mask).</summary>
    private void Attend(
        DeviceTensor qkv, DeviceTensor context, AttentionShape shape, bool training, DeviceTensor? attentionMask, KeyValueCache? cache, int layer)
    {
        var (ops, w) = (_backend, _work);
        if (cache is not null)
        {
            if (shape.Batch != cache.Batch) throw new ArgumentException($"The cache holds {cache.Batch} sequences, the batch has {shape.Batch}.");
            if (cache.Length + shape.Tokens > cache.Capacity)
                throw new ArgumentException($"{cache.Length} cached and {shape.Tokens} new tokens exceed n_positions ({cache.Capacity}).");
            ops.AppendKeyValues(qkv, cache.Keys(layer), cache.Values(layer), shape, cache.Length);
            ops.CachedAttention(qkv, cache.Keys(layer), cache.Values(layer), cache.KeyMask, context, shape, cache.Length, w.Probabilities);
        }
        else if (training)
        {
            if (_config.AttentionDropout > 0) _attentionDropoutKey = _dropoutRng.NextStreamKey();
            var options = new AttentionOptions(Causal: true, (float)_config.AttentionDropout, _attentionDropoutKey);
            var dropped = options.HasDropout ? Scores(w.Dropped) : null;
            ops.Attention(qkv, attentionMask, context, shape, options, Scores(w.Probabilities), dropped, w.Probabilities);
        }
        else
        {
            ops.Attention(qkv, attentionMask, context, shape, new AttentionOptions(Causal: true), null, null, w.Probabilities);
        }
    }

    /// <summary>
    /// Backward of the last training <see cref="Forward(Tensor, bool, ReadOnlySpan{float})"/>: adds the parameter
    /// gradients (into the host ones) and returns the gradient of the input hidden states (B, T, C), owned by the block.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        var dInput = Backward(_hostDOutput.ToDevice(dOutput));
        _backend.PullGradients(Device.All);
        return _hostDInput.ToHost(dInput);
    }

    /// <summary>The backward on the backend's tensors: adds into the device gradients; dInput (B, T, C) is owned by the block.</summary>
    internal DeviceTensor Backward(DeviceTensor dOutput)
    {
        var x = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c, f) = (_shape.Batch, _shape.Tokens, _shape.Hidden, _config.FeedForwardSize);
        var n = b * t;
        if (!dOutput.Shape.SequenceEqual([b, t, c]))
            throw new ArgumentException($"output gradient has shape {dOutput}, expected ({b}, {t}, {c}).", nameof(dOutput));
        var (ops, p, w) = (_backend, Device, _work);
        var dropout = (float)_config.ResidualDropout;

        // Feed-forward branch; the residual passes dOutput on to a unchanged.
        var dDense = w.DDense.Get(n, c); // (N, C)
        ops.BiasDropoutResidualBackward(dOutput, dDense, p.OutputBias.Gradient, dropout, _outputDropoutKey);
        var dActivated = w.DActivated.Get(n, f); // (N, F)
        ops.Conv1DBackward(dDense, w.Activated.Get(n, f), p.OutputWeight.Value, dActivated, p.OutputWeight.Gradient, null);
        ops.BiasActivationBackward(_config.Activation, dActivated, w.PreActivation.Get(n, f), dActivated, p.InnerBias.Gradient);
        var dNormed = w.DNormed.Get(n, c); // (N, C)
        ops.Conv1DBackward(dActivated, w.FeedForwardNormed.Get(n, c), p.InnerWeight.Value, dNormed, p.InnerWeight.Gradient, null);
        var dResidual = w.DResidual.Get(n, c); // (N, C) gradient of a
        ops.LayerNormBackward(dNormed, w.Residual.Get(n, c), p.FeedForwardNormWeight.Value, w.FeedForwardMean.Get(n),
            w.FeedForwardRstd.Get(n), dResidual, p.FeedForwardNormWeight.Gradient, p.FeedForwardNormBias.Gradient);
        ops.Add(dResidual, dOutput, dResidual);

        // Attention branch; the residual passes dResidual on to x unchanged.
        ops.BiasDropoutResidualBackward(dResidual, dDense, p.AttentionOutputBias.Gradient, dropout, _attentionOutputDropoutKey);
        var dContext = w.DContext.Get(n, c); // (N, C)
        ops.Conv1DBackward(dDense, w.Context.Get(n, c), p.AttentionOutputWeight.Value, dContext, p.AttentionOutputWeight.Gradient, null);
        var options = new AttentionOptions(Causal: true, (float)_config.AttentionDropout, _attentionDropoutKey);
        var dQkv = w.DQkv.Get(n, 3 * c); // (N, 3C)
        ops.AttentionBackward(dContext, w.Qkv.Get(n, 3 * c), Scores(w.Probabilities),
            options.HasDropout ? Scores(w.Dropped) : null, Scores(w.DScores), dQkv, _shape, options);
        ops.Conv1DBackward(dQkv, w.AttentionNormed.Get(n, c), p.QkvWeight.Value, dNormed, p.QkvWeight.Gradient, p.QkvBias.Gradient);
        var dInput = w.DInput.Get(b, t, c); // (B, T, C)
        ops.LayerNormBackward(dNormed, x, p.AttentionNormWeight.Value, w.AttentionMean.Get(n), w.AttentionRstd.Get(n),
            dInput, p.AttentionNormWeight.Gradient, p.AttentionNormBias.Gradient);
        ops.Add(dInput, dResidual, dInput);
        return dInput;
    }

    private AttentionShape Shape(DeviceTensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Shape.Length != 3 || hidden.Size(2) != _config.HiddenSize)
            throw new ArgumentException($"hidden states have shape {hidden}, expected (B, T, {_config.HiddenSize}).", nameof(hidden));
        return new AttentionShape(hidden.Size(0), _config.NumHeads, hidden.Size(1), _config.HeadSize);
    }

    private float ResidualDropout(bool training) => training ? (float)_config.ResidualDropout : 0f;

    /// <summary>A fresh dropout stream key when residual dropout is active in training (the backward pass reuses it).</summary>
    private ulong NewResidualDropoutKey(bool training) =>
        training && _config.ResidualDropout > 0 ? _dropoutRng.NextStreamKey() : 0;

    private DeviceTensor Scores(DeviceBuffer buffer) => buffer.Get(_shape.Batch, _shape.Heads, _shape.Tokens, _shape.Tokens);
}

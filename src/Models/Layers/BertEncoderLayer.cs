using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// One BERT encoder layer, post-LayerNorm as in the original BERT:
/// <code>
/// a = LayerNorm(x + dropout(dense_o(attention(dense_q x, dense_k x, dense_v x, mask))))
/// y = LayerNorm(a + dropout(dense_2(act(dense_1 a))))
/// </code>
/// It owns its parameters (Hugging Face names relative to the layer, see <see cref="Parameters"/>), their gradients
/// and its activation buffers, and computes with the operations of its <see cref="ComputeBackend"/>.
/// <see cref="Forward(Tensor, Tensor?, bool)"/> returns a tensor the layer owns, valid until the next forward; the
/// input must stay unchanged until <see cref="Backward(Tensor)"/>, which adds into the parameter gradients.
/// </summary>
public sealed class BertEncoderLayer
{
    private readonly EncoderLayerOptions _options;
    private readonly Rng _dropoutRng;
    private readonly ComputeBackend _backend;
    private readonly EncoderLayerWorkspace _work;
    private readonly HostExchange _hostInput, _hostMask, _hostOutput, _hostDOutput, _hostDInput;

    // State of the last training forward, needed by the backward pass.
    private DeviceTensor? _input;
    private AttentionShape _shape;
    private ulong _attentionDropoutKey, _attentionOutputDropoutKey, _outputDropoutKey;

    /// <summary>Creates a layer with zero weights (load or <see cref="EncoderLayerParameters.Initialize"/> them).</summary>
    /// <param name="options">Sizes, activation, epsilon, dropout.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys (seed it for reproducible training).</param>
    /// <param name="backend">Where the layer computes; null for the managed engine.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public BertEncoderLayer(EncoderLayerOptions options, Rng dropoutRng, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dropoutRng);
        options.Validate();
        _options = options;
        _dropoutRng = dropoutRng;
        _backend = backend ?? ManagedBackend.Instance;
        _work = new EncoderLayerWorkspace(_backend);
        (_hostInput, _hostMask, _hostOutput, _hostDOutput, _hostDInput) =
            (new(_backend), new(_backend), new(_backend), new(_backend), new(_backend));
        Parameters = new EncoderLayerParameters(options);
        Device = new LayerDeviceParameters(_backend, Parameters);
    }

    /// <summary>The layer's parameters and gradients by Hugging Face name (<c>attention.self.query.weight</c>, ...).</summary>
    public EncoderLayerParameters Parameters { get; }

    /// <summary>The options the layer was built with.</summary>
    public EncoderLayerOptions Options => _options;

    /// <summary>The parameters as the backend holds them.</summary>
    internal LayerDeviceParameters Device { get; }

    /// <summary>
    /// Runs the layer on hidden states (B, T, C). <paramref name="attentionMask"/> (B, T) holds 1 for real tokens
    /// and 0 for padding, or is null. With <paramref name="training"/> dropout is active and the activations are kept
    /// for <see cref="Backward(Tensor)"/>; without it nothing is kept and dropout is off. On a backend other than the
    /// managed engine the tensors are copied in and out (the model moves only its input and output).
    /// </summary>
    /// <returns>The output hidden states (B, T, C), owned by the layer and overwritten by the next call.</returns>
    /// <exception cref="ArgumentException">A shape does not match the layer.</exception>
    public Tensor Forward(Tensor hidden, Tensor? attentionMask, bool training)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var mask = attentionMask is null ? null : _hostMask.ToDevice(attentionMask);
        return _hostOutput.ToHost(Forward(_hostInput.ToDevice(hidden), mask, training));
    }

    /// <summary>The forward on the backend's tensors; the output (B, T, C) is owned by the layer.</summary>
    internal DeviceTensor Forward(DeviceTensor hidden, DeviceTensor? attentionMask, bool training)
    {
        var shape = Shape(hidden, attentionMask);
        var output = _work.Output.Get(shape.Batch, shape.Tokens, _options.HiddenSize);
        _input = training ? hidden : null;
        if (training) _shape = shape;
        Run(hidden, attentionMask, output, shape, _work, PackedLayerWeights.Current(Device), training);
        return output;
    }

    /// <summary>
    /// The inference forward of hidden states (B, T, C) into <paramref name="output"/> (B, T, C), its activations in
    /// <paramref name="buffers"/>, its products over <paramref name="weights"/> (prepared by the backend, or the
    /// current ones). It changes nothing in the layer, so threads may run it at once, each with buffers and an output
    /// of its own.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match the layer.</exception>
    internal void Infer(DeviceTensor hidden, DeviceTensor? attentionMask, DeviceTensor output, LayerForwardBuffers buffers, PackedLayerWeights weights) =>
        Run(hidden, attentionMask, output, Shape(hidden, attentionMask), buffers, weights, training: false);

    /// <summary>The forward pass; in training <paramref name="w"/> is the layer's own workspace and the dropout keys are kept.</summary>
    private void Run(
        DeviceTensor x, DeviceTensor? mask, DeviceTensor output, AttentionShape shape, LayerForwardBuffers w,
        PackedLayerWeights weights, bool training)
    {
        var (ops, p) = (_backend, Device);
        var (n, c, f) = (shape.Batch * shape.Tokens, _options.HiddenSize, _options.IntermediateSize);

        // Self-attention: one product for the packed query/key/value projections; heads are read from it in place.
        var qkv = w.Qkv.Get(n, 3 * c); // (N, 3C)
        ops.Linear(x, weights.Qkv, p.QkvBias.Value, qkv);
        var context = w.Context.Get(n, c); // (N, C)
        if (training)
        {
            var attention = AttentionOptions();
            var dropped = attention.HasDropout ? Scores(_work.Dropped) : null;
            ops.Attention(qkv, mask, context, shape, attention, Scores(w.Probabilities), dropped, w.Probabilities);
        }
        else
        {
            ops.Attention(qkv, mask, context, shape, new AttentionOptions(_options.Causal), null, null, w.Probabilities);
        }

        // Attention output: dense, then bias + dropout + residual and LayerNorm.
        var attentionSum = w.AttentionSum.Get(n, c); // (N, C)
        ops.Linear(context, weights.AttentionOutput, null, attentionSum);
        var attentionOutputKey = NewHiddenDropoutKey(training);
        var normed = w.AttentionNormed.Get(n, c); // (N, C)
        AddAndNormalize(attentionSum, p.AttentionOutputBias, x, p.AttentionNormWeight, p.AttentionNormBias, normed, n,
            training ? (attentionOutputKey, _work.AttentionMean, _work.AttentionRstd) : null);

        // Feed-forward: dense + fused bias/activation, dense, then bias + dropout + residual and LayerNorm.
        var activated = w.Activated.Get(n, f); // (N, F)
        var pre = training ? _work.PreActivation.Get(n, f) : activated; // (N, F)
        ops.Linear(normed, weights.Intermediate, null, pre);
        ops.BiasActivation(_options.HiddenActivation, p.IntermediateBias.Value, pre, activated);
        var outputSum = w.OutputSum.Get(n, c); // (N, C)
        ops.Linear(activated, weights.Output, null, outputSum);
        var outputKey = NewHiddenDropoutKey(training);
        AddAndNormalize(outputSum, p.OutputBias, normed, p.OutputNormWeight, p.OutputNormBias, output, n,
            training ? (outputKey, _work.OutputMean, _work.OutputRstd) : null);
        if (training) (_attentionOutputDropoutKey, _outputDropoutKey) = (attentionOutputKey, outputKey);
    }

    /// <summary>
    /// y = LayerNorm(dropout(dense + bias) + residual). In training two operations keep what the backward pass reads:
    /// the sum (in <paramref name="dense"/>) and the row statistics; in inference one fused pass keeps nothing.
    /// </summary>
    private void AddAndNormalize(
        DeviceTensor dense, DeviceParameter bias, DeviceTensor residual, DeviceParameter gamma, DeviceParameter beta,
        DeviceTensor y, int n, (ulong DropoutKey, DeviceBuffer Mean, DeviceBuffer Rstd)? training)
    {
        var eps = _options.LayerNormEps;
        if (training is not { } kept)
        {
            _backend.LayerNormResidual(dense, bias.Value, residual, gamma.Value, beta.Value, y, eps);
            return;
        }
        _backend.BiasDropoutResidual(dense, bias.Value, residual, dense, _options.HiddenDropout, kept.DropoutKey);
        _backend.LayerNorm(dense, gamma.Value, beta.Value, y, kept.Mean.Get(n), kept.Rstd.Get(n), eps);
    }

    /// <summary>The attention shape of hidden states (B, T, C) and their (B, T) mask, checked against the layer.</summary>
    private AttentionShape Shape(DeviceTensor hidden, DeviceTensor? attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Shape.Length != 3 || hidden.Size(2) != _options.HiddenSize)
            throw new ArgumentException($"hidden states have shape {hidden}, expected (B, T, {_options.HiddenSize}).", nameof(hidden));
        var (b, t) = (hidden.Size(0), hidden.Size(1));
        if (attentionMask is not null && !attentionMask.Shape.SequenceEqual([b, t]))
            throw new ArgumentException($"attention mask has shape {attentionMask}, expected ({b}, {t}).", nameof(attentionMask));
        return new AttentionShape(b, _options.AttentionHeads, t, _options.HeadSize);
    }

    /// <summary>
    /// Backward of the last training <see cref="Forward(Tensor, Tensor?, bool)"/>: adds the parameter gradients and
    /// returns the gradient of the input hidden states (B, T, C), owned by the layer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    /// <exception cref="ArgumentException"><paramref name="dOutput"/> does not have the output's shape.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        var dInput = Backward(_hostDOutput.ToDevice(dOutput));
        _backend.PullGradients(Device.All);
        return _hostDInput.ToHost(dInput);
    }

    /// <summary>The backward on the backend's tensors: adds into the device gradients; dInput (B, T, C) is owned by the layer.</summary>
    internal DeviceTensor Backward(DeviceTensor dOutput)
    {
        var x = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c, f) = (_shape.Batch, _shape.Tokens, _options.HiddenSize, _options.IntermediateSize);
        var n = b * t;
        if (!dOutput.Shape.SequenceEqual([b, t, c]))
            throw new ArgumentException($"output gradient has shape {dOutput}, expected ({b}, {t}, {c}).", nameof(dOutput));
        var (ops, p, w) = (_backend, Device, _work);

        // Output LayerNorm, then the feed-forward branch and its residual.
        var dOutputSum = w.DOutputSum.Get(n, c); // (N, C)
        ops.LayerNormBackward(dOutput, w.OutputSum.Get(n, c), p.OutputNormWeight.Value, w.OutputMean.Get(n),
            w.OutputRstd.Get(n), dOutputSum, p.OutputNormWeight.Gradient, p.OutputNormBias.Gradient);
        var dDense = w.DDense.Get(n, c); // (N, C)
        ops.BiasDropoutResidualBackward(dOutputSum, dDense, p.OutputBias.Gradient, _options.HiddenDropout, _outputDropoutKey);
        var dActivated = w.DActivated.Get(n, f); // (N, F)
        ops.LinearBackward(dDense, w.Activated.Get(n, f), p.OutputWeight.Value, dActivated, p.OutputWeight.Gradient, null);
        ops.BiasActivationBackward(_options.HiddenActivation, dActivated, w.PreActivation.Get(n, f), dActivated,
            p.IntermediateBias.Gradient);
        var dNormed = w.DAttentionNormed.Get(n, c); // (N, C)
        ops.LinearBackward(dActivated, w.AttentionNormed.Get(n, c), p.IntermediateWeight.Value, dNormed,
            p.IntermediateWeight.Gradient, null);
        ops.Add(dNormed, dOutputSum, dNormed);

        // Attention LayerNorm, output dense, attention, packed projections, and the input residual.
        var dAttentionSum = w.DAttentionSum.Get(n, c); // (N, C)
        ops.LayerNormBackward(dNormed, w.AttentionSum.Get(n, c), p.AttentionNormWeight.Value, w.AttentionMean.Get(n),
            w.AttentionRstd.Get(n), dAttentionSum, p.AttentionNormWeight.Gradient, p.AttentionNormBias.Gradient);
        ops.BiasDropoutResidualBackward(dAttentionSum, dDense, p.AttentionOutputBias.Gradient, _options.HiddenDropout,
            _attentionOutputDropoutKey);
        var dContext = w.DContext.Get(n, c); // (N, C)
        ops.LinearBackward(dDense, w.Context.Get(n, c), p.AttentionOutputWeight.Value, dContext,
            p.AttentionOutputWeight.Gradient, null);
        var attention = new AttentionOptions(_options.Causal, _options.AttentionDropout, _attentionDropoutKey);
        var dQkv = w.DQkv.Get(n, 3 * c); // (N, 3C)
        ops.AttentionBackward(dContext, w.Qkv.Get(n, 3 * c), Scores(w.Probabilities),
            attention.HasDropout ? Scores(w.Dropped) : null, Scores(w.DScores), dQkv, _shape, attention);
        var dInput = w.DInput.Get(b, t, c);
        ops.LinearBackward(dQkv, x, p.QkvWeight.Value, dInput, p.QkvWeight.Gradient, p.QkvBias.Gradient);
        ops.Add(dInput, dAttentionSum, dInput);
        return dInput;
    }

    /// <summary>The training attention options, with a fresh dropout stream key when attention dropout is active.</summary>
    private AttentionOptions AttentionOptions()
    {
        if (_options.AttentionDropout > 0f) _attentionDropoutKey = _dropoutRng.NextStreamKey();
        return new AttentionOptions(_options.Causal, _options.AttentionDropout, _attentionDropoutKey);
    }

    /// <summary>A fresh dropout stream key when hidden dropout is active (the backward pass reuses it).</summary>
    private ulong NewHiddenDropoutKey(bool training) =>
        training && _options.HiddenDropout > 0f ? _dropoutRng.NextStreamKey() : 0;

    private DeviceTensor Scores(DeviceBuffer buffer) => buffer.Get(_shape.Batch, _shape.Heads, _shape.Tokens, _shape.Tokens);
}

using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// One BERT encoder layer, post-LayerNorm as in the original BERT:
/// <code>
/// a = LayerNorm(x + dropout(dense_o(attention(dense_q x, dense_k x, dense_v x, mask))))
/// y = LayerNorm(a + dropout(dense_2(act(dense_1 a))))
/// </code>
/// It owns its parameters (Hugging Face names relative to the layer, see <see cref="Parameters"/>), their gradients
/// and its activation buffers. <see cref="Forward"/> returns a tensor the layer owns, valid until the next forward;
/// the input must stay unchanged until <see cref="Backward"/>, which adds into the parameter gradients.
/// </summary>
public sealed class BertEncoderLayer
{
    private readonly EncoderLayerOptions _options;
    private readonly Rng _dropoutRng;
    private readonly EncoderLayerWorkspace _work = new();

    // State of the last training forward, needed by the backward pass.
    private Tensor? _input;
    private AttentionShape _shape;
    private ulong _attentionDropoutKey, _attentionOutputDropoutKey, _outputDropoutKey;

    /// <summary>Creates a layer with zero weights (load or <see cref="EncoderLayerParameters.Initialize"/> them).</summary>
    /// <param name="options">Sizes, activation, epsilon, dropout.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys (seed it for reproducible training).</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public BertEncoderLayer(EncoderLayerOptions options, Rng dropoutRng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dropoutRng);
        options.Validate();
        _options = options;
        _dropoutRng = dropoutRng;
        Parameters = new EncoderLayerParameters(options);
    }

    /// <summary>The layer's parameters and gradients by Hugging Face name (<c>attention.self.query.weight</c>, ...).</summary>
    public EncoderLayerParameters Parameters { get; }

    /// <summary>The options the layer was built with.</summary>
    public EncoderLayerOptions Options => _options;

    /// <summary>
    /// Runs the layer on hidden states (B, T, C). <paramref name="attentionMask"/> (B, T) holds 1 for real tokens
    /// and 0 for padding, or is null. With <paramref name="training"/> dropout is active and the activations are kept
    /// for <see cref="Backward"/>; without it nothing is kept and dropout is off.
    /// </summary>
    /// <returns>The output hidden states (B, T, C), owned by the layer and overwritten by the next call.</returns>
    /// <exception cref="ArgumentException">A shape does not match the layer.</exception>
    public Tensor Forward(Tensor hidden, Tensor? attentionMask, bool training)
    {
        var shape = Shape(hidden, attentionMask);
        var output = _work.Output.Get(shape.Batch, shape.Tokens, _options.HiddenSize);
        _input = training ? hidden : null;
        if (training) _shape = shape;
        Run(hidden, attentionMask, output.Span, shape, _work, packed: null, training);
        return output;
    }

    /// <summary>
    /// The inference forward of hidden states (B, T, C) into <paramref name="output"/> (B, T, C), its activations in
    /// <paramref name="buffers"/>, its products over <paramref name="packed"/> weights (packed or quantised; or over the
    /// parameters, packed as each product runs, when null). It changes nothing in the layer, so threads may run it at once, each with
    /// buffers and an output of its own.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match the layer.</exception>
    internal void Infer(Tensor hidden, Tensor? attentionMask, Span<float> output, LayerForwardBuffers buffers, PackedLayerWeights? packed) =>
        Run(hidden, attentionMask, output, Shape(hidden, attentionMask), buffers, packed, training: false);

    /// <summary>The forward pass; in training <paramref name="w"/> is the layer's own workspace and the dropout keys are kept.</summary>
    private void Run(
        Tensor hidden, Tensor? attentionMask, Span<float> output, AttentionShape shape, LayerForwardBuffers w,
        PackedLayerWeights? packed, bool training)
    {
        var p = Parameters;
        var (n, c, f) = (shape.Batch * shape.Tokens, _options.HiddenSize, _options.IntermediateSize);
        var x = hidden.Span; // (N, C)

        // Self-attention: one product for the packed query/key/value projections; heads are read from it in place.
        var qkv = w.Qkv.Get(n, 3 * c).Span; // (N, 3C)
        Dense(x, p.QkvWeight.Value, packed?.Qkv, p.QkvBias.Value.Span, qkv, n);
        var context = w.Context.Get(n, c).Span; // (N, C)
        var mask = attentionMask is null ? [] : attentionMask.Span; // (B, T)
        if (training)
        {
            var attention = AttentionOptions();
            var dropped = attention.HasDropout ? Scores(_work.Dropped) : [];
            ScaledDotProductAttention.Forward(qkv, mask, Scores(w.Probabilities), dropped, context, shape, attention);
        }
        else
        {
            // One sequence at a time, nothing kept: the scores need (H, T, T) per thread instead of (B, H, T, T).
            var scratch = w.Probabilities.Get(ScaledDotProductAttention.SequenceScratchLength(shape)).Span; // per thread: Kᵀ (D, T) and scores (T, T)
            ScaledDotProductAttention.ForwardBySequence(qkv, mask, scratch, context, shape, _options.Causal);
        }

        // Attention output: dense, then bias + dropout + residual and LayerNorm.
        var attentionSum = w.AttentionSum.Get(n, c).Span; // (N, C)
        Dense(context, p.AttentionOutputWeight.Value, packed?.AttentionOutput, [], attentionSum, n);
        var attentionOutputKey = NewHiddenDropoutKey(training);
        var normed = w.AttentionNormed.Get(n, c).Span; // (N, C)
        AddAndNormalize(attentionSum, p.AttentionOutputBias, x, p.AttentionNormWeight, p.AttentionNormBias, normed, n,
            training ? (attentionOutputKey, _work.AttentionMean, _work.AttentionRstd) : null);

        // Feed-forward: dense + fused bias/activation, dense, then bias + dropout + residual and LayerNorm.
        var activated = w.Activated.Get(n, f).Span; // (N, F)
        var pre = training ? _work.PreActivation.Get(n, f).Span : activated; // (N, F)
        Dense(normed, p.IntermediateWeight.Value, packed?.Intermediate, [], pre, n);
        Activation.BiasForward(_options.HiddenActivation, p.IntermediateBias.Value.Span, pre, activated, n);
        var outputSum = w.OutputSum.Get(n, c).Span; // (N, C)
        Dense(activated, p.OutputWeight.Value, packed?.Output, [], outputSum, n);
        var outputKey = NewHiddenDropoutKey(training);
        AddAndNormalize(outputSum, p.OutputBias, normed, p.OutputNormWeight, p.OutputNormBias, output, n,
            training ? (outputKey, _work.OutputMean, _work.OutputRstd) : null);
        if (training) (_attentionOutputDropoutKey, _outputDropoutKey) = (attentionOutputKey, outputKey);
    }

    /// <summary>
    /// y = LayerNorm(dropout(dense + bias) + residual). In training two kernels keep what the backward pass reads: the
    /// sum (in <paramref name="dense"/>) and the row statistics; in inference one fused pass keeps nothing.
    /// </summary>
    private void AddAndNormalize(
        Span<float> dense, Parameter bias, ReadOnlySpan<float> residual, Parameter gamma, Parameter beta, Span<float> y,
        int n, (ulong DropoutKey, TensorBuffer Mean, TensorBuffer Rstd)? training)
    {
        if (training is not { } kept)
        {
            LayerNorm.ForwardResidual(dense, bias.Value.Span, residual, gamma.Value.Span, beta.Value.Span, y, n, _options.LayerNormEps);
            return;
        }
        BiasDropoutResidual.Forward(dense, bias.Value.Span, residual, dense, n, _options.HiddenDropout, kept.DropoutKey);
        LayerNorm.Forward(dense, gamma.Value.Span, beta.Value.Span, y, kept.Mean.Get(n).Span, kept.Rstd.Get(n).Span, n, _options.LayerNormEps);
    }

    /// <summary>The attention shape of hidden states (B, T, C) and their (B, T) mask, checked against the layer.</summary>
    private AttentionShape Shape(Tensor hidden, Tensor? attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.Rank != 3 || hidden.Size(2) != _options.HiddenSize)
            throw new ArgumentException($"hidden states have shape {hidden}, expected (B, T, {_options.HiddenSize}).", nameof(hidden));
        var (b, t) = (hidden.Size(0), hidden.Size(1));
        attentionMask?.RequireShape("attention mask", b, t);
        return new AttentionShape(b, _options.AttentionHeads, t, _options.HeadSize);
    }

    /// <summary>y (n, out) = x (n, in) · weightᵀ + bias, over the prepared (packed or quantised) weight when there is one.</summary>
    private static void Dense(ReadOnlySpan<float> x, Tensor weight, IInferenceWeight? prepared, ReadOnlySpan<float> bias, Span<float> y, int n)
    {
        if (prepared is null) Linear.Forward(x, weight.Span, bias, y, n, weight.Size(1), weight.Size(0));
        else prepared.Forward(x, bias, y, n);
    }

    /// <summary>
    /// Backward of the last training <see cref="Forward"/>: adds the parameter gradients and returns the gradient of
    /// the input hidden states (B, T, C), owned by the layer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    /// <exception cref="ArgumentException"><paramref name="dOutput"/> does not have the output's shape.</exception>
    public Tensor Backward(Tensor dOutput)
    {
        ArgumentNullException.ThrowIfNull(dOutput);
        var x = _input ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c, f) = (_shape.Batch, _shape.Tokens, _options.HiddenSize, _options.IntermediateSize);
        var n = b * t;
        dOutput.RequireShape("output gradient", b, t, c);
        var (p, w) = (Parameters, _work);

        // Output LayerNorm, then the feed-forward branch and its residual.
        var dOutputSum = w.DOutputSum.Get(n, c).Span; // (N, C)
        LayerNorm.Backward(dOutput.Span, w.OutputSum.Get(n, c).Span, p.OutputNormWeight.Value.Span,
            w.OutputMean.Get(n).Span, w.OutputRstd.Get(n).Span, dOutputSum,
            p.OutputNormWeight.Gradient.Span, p.OutputNormBias.Gradient.Span, n);
        var dDense = w.DDense.Get(n, c).Span; // (N, C)
        BiasDropoutResidual.Backward(dOutputSum, dDense, p.OutputBias.Gradient.Span, n, _options.HiddenDropout, _outputDropoutKey);
        var dActivated = w.DActivated.Get(n, f).Span; // (N, F)
        Linear.Backward(dDense, w.Activated.Get(n, f).Span, p.OutputWeight.Value.Span,
            dActivated, p.OutputWeight.Gradient.Span, [], n, f, c);
        Activation.BiasBackward(_options.HiddenActivation, dActivated, w.PreActivation.Get(n, f).Span, dActivated,
            p.IntermediateBias.Gradient.Span, n);
        var normed = w.AttentionNormed.Get(n, c).Span;
        var dNormed = w.DAttentionNormed.Get(n, c).Span; // (N, C)
        Linear.Backward(dActivated, normed, p.IntermediateWeight.Value.Span,
            dNormed, p.IntermediateWeight.Gradient.Span, [], n, c, f);
        Residual.Backward(dOutputSum, dNormed);

        // Attention LayerNorm, output dense, attention, packed projections, and the input residual.
        var dAttentionSum = w.DAttentionSum.Get(n, c).Span; // (N, C)
        LayerNorm.Backward(dNormed, w.AttentionSum.Get(n, c).Span, p.AttentionNormWeight.Value.Span,
            w.AttentionMean.Get(n).Span, w.AttentionRstd.Get(n).Span, dAttentionSum,
            p.AttentionNormWeight.Gradient.Span, p.AttentionNormBias.Gradient.Span, n);
        BiasDropoutResidual.Backward(dAttentionSum, dDense, p.AttentionOutputBias.Gradient.Span, n,
            _options.HiddenDropout, _attentionOutputDropoutKey);
        var dContext = w.DContext.Get(n, c).Span; // (N, C)
        Linear.Backward(dDense, w.Context.Get(n, c).Span, p.AttentionOutputWeight.Value.Span,
            dContext, p.AttentionOutputWeight.Gradient.Span, [], n, c, c);
        var attention = new AttentionOptions(_options.Causal, _options.AttentionDropout, _attentionDropoutKey);
        var dQkv = w.DQkv.Get(n, 3 * c).Span; // (N, 3C)
        ScaledDotProductAttention.Backward(dContext, w.Qkv.Get(n, 3 * c).Span, Scores(w.Probabilities),
            attention.HasDropout ? Scores(w.Dropped) : [], Scores(w.DScores), dQkv, _shape, attention);
        var dInput = w.DInput.Get(b, t, c);
        Linear.Backward(dQkv, x.Span, p.QkvWeight.Value.Span,
            dInput.Span, p.QkvWeight.Gradient.Span, p.QkvBias.Gradient.Span, n, c, 3 * c);
        Residual.Backward(dAttentionSum, dInput.Span);
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

    private Span<float> Scores(TensorBuffer buffer) =>
        buffer.Get(_shape.Batch, _shape.Heads, _shape.Tokens, _shape.Tokens).Span;
}

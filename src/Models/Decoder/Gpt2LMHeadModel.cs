using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// GPT-2 with its language-model head, as Hugging Face's <c>GPT2LMHeadModel</c>: token and learned position embeddings
/// (<c>transformer.wte</c>, <c>transformer.wpe</c>), pre-LayerNorm causal blocks (<c>transformer.h.{i}.*</c>), a final
/// LayerNorm (<c>transformer.ln_f</c>) and logits = ln_f(h) · wteᵀ, the head tied to the token embeddings (so
/// <c>lm_head.weight</c> is no parameter of its own). Sequences in a batch have one length T; sequences of different
/// lengths are padded and given an attention mask (B, T) of 1 for real tokens and 0 for padding, as Hugging Face's
/// <c>attention_mask</c>: padding is never attended to, and a real token's position is the number of real tokens before
/// it (<see cref="PositionIds"/>), so a left-padded prompt has the logits it has alone. Without a mask, position t of a
/// sequence is at position t of the table (or after the cached tokens, see <see cref="NextTokenLogits"/>). The outputs
/// at padding positions are unspecified.
/// </summary>
public sealed partial class Gpt2LMHeadModel
{
    private const string Prefix = "transformer.";

    private readonly List<Parameter> _parameters = [];
    private readonly List<Gpt2Block> _blocks = [];
    private readonly Rng _dropoutRng;
    private readonly TensorBuffer _embedded = new(), _positionRows = new(), _normed = new(), _mean = new(), _rstd = new();
    private readonly TensorBuffer _logits = new(), _lastRows = new(), _dNormed = new(), _dHidden = new();
    private readonly TensorBuffer _probabilities = new(), _dLogits = new();
    private int[] _ids = [], _positions = [];
    private Tensor? _lastHidden;
    private ulong? _embeddingDropoutKey;

    /// <summary>Creates a model with zero weights; load a checkpoint or call <see cref="Initialize"/>.</summary>
    /// <param name="config">Sizes and semantics; validated.</param>
    /// <param name="dropoutSeed">Seed of the dropout streams, for reproducible training.</param>
    /// <exception cref="InvalidDataException">The configuration is invalid.</exception>
    public Gpt2LMHeadModel(Gpt2Config config, ulong dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _dropoutRng = new Rng(dropoutSeed);
        var c = config.HiddenSize;
        TokenEmbeddings = Add(ModelParameters.Create(Prefix + "wte.weight", config.VocabSize, c));
        PositionEmbeddings = Add(ModelParameters.Create(Prefix + "wpe.weight", config.MaxPositions, c));
        for (var i = 0; i < config.NumLayers; i++)
        {
            var block = new Gpt2Block(config, _dropoutRng);
            _blocks.Add(block);
            foreach (var parameter in block.Parameters.All) Add(parameter.WithName($"{Prefix}h.{i}.{parameter.Name}"));
        }
        var (normWeight, normBias) = ModelParameters.LayerNorm(Prefix + "ln_f", c);
        (FinalNormWeight, FinalNormBias) = (Add(normWeight), Add(normBias));
    }

    /// <summary>The configuration, saved as <c>config.json</c>.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Every parameter under its Hugging Face <c>GPT2LMHeadModel</c> name, in checkpoint order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The token embeddings <c>transformer.wte.weight</c> (V, C), also the LM head's weight.</summary>
    public Parameter TokenEmbeddings { get; }

    /// <summary>The learned positions <c>transformer.wpe.weight</c> (n_positions, C).</summary>
    public Parameter PositionEmbeddings { get; }

    /// <summary>The blocks, in order.</summary>
    internal IReadOnlyList<Gpt2Block> Blocks => _blocks;

    private Parameter FinalNormWeight { get; }

    private Parameter FinalNormBias { get; }

    /// <summary>
    /// Hugging Face's GPT-2 initialisation: weights and embeddings from N(0, initializer_range²), the two
    /// projections into the residual stream (<c>c_proj</c>) from N(0, (initializer_range / √(2·n_layer))²),
    /// biases 0, LayerNorm scales 1.
    /// </summary>
    public void Initialize(ulong seed)
    {
        var rng = new Rng(seed);
        var std = (float)Config.InitializerRange;
        var residualStd = std / MathF.Sqrt(2 * Config.NumLayers);
        foreach (var parameter in _parameters)
        {
            if (!parameter.WeightDecay) parameter.Value.Fill(parameter.Name.Contains(".ln_", StringComparison.Ordinal) && parameter.Name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f);
            else rng.FillNormal(parameter.Value.Span, 0f, parameter.Name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? residualStd : std);
        }
    }

    /// <summary>
    /// Logits (B·T, V) of a batch of <paramref name="batchSize"/> sequences of equal length, ids row-major (B·T), owned
    /// by the model until its next forward. With <paramref name="training"/> dropout is active and the activations are
    /// kept for <see cref="Backward"/>. <paramref name="attentionMask"/> (B·T) marks padding with 0; empty for none.
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not split into the batch, the sequences are longer than n_positions, or the mask is not one per id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public Tensor Forward(ReadOnlySpan<int> inputIds, int batchSize, bool training, ReadOnlySpan<float> attentionMask = default)
    {
        var normed = FinalHidden(inputIds, batchSize, training, attentionMask); // (N, C)
        var n = normed.Size(0);
        var logits = _logits.Get(n, Config.VocabSize); // (N, V)
        Linear.Forward(normed.Span, TokenEmbeddings.Value.Span, [], logits.Span, n, Config.HiddenSize, Config.VocabSize);
        return logits;
    }

    /// <summary>
    /// The transformer's output ln_f(h) (B·T, C) of a batch, as <see cref="Forward"/> computes it before the LM head
    /// (for other heads over the decoder), owned by the model until its next forward; in training,
    /// <see cref="BackwardFinalHidden"/> takes its gradient.
    /// </summary>
    internal Tensor FinalHidden(ReadOnlySpan<int> inputIds, int batchSize, bool training, ReadOnlySpan<float> attentionMask)
    {
        var t = SequenceLength(inputIds.Length, batchSize, past: 0);
        if (!attentionMask.IsEmpty && attentionMask.Length != inputIds.Length)
            throw new ArgumentException($"The attention mask has {attentionMask.Length} entries for {inputIds.Length} ids.", nameof(attentionMask));
        var hidden = Embed(inputIds, batchSize, t, PositionIds.FromMask(attentionMask, batchSize, t, []), training);
        foreach (var block in _blocks) hidden = block.Forward(hidden, training, attentionMask);
        _lastHidden = training ? hidden : null;
        var n = batchSize * t;
        FinalNorm(hidden.Span, n, training);
        return _normed.Get(n, Config.HiddenSize);
    }

    /// <summary>
    /// Runs the newest tokens (B·Tn ids, row-major) of <paramref name="cache"/>'s sequences through the model, their
    /// keys and values appended to the cache, and returns the logits (B, V) of each sequence's last new token: the
    /// distribution of the token after it. The first call (an empty cache) reads the prompts; later calls typically
    /// one token each, at O(T) cost. <paramref name="attentionMask"/> (B·Tn) marks padding among the new tokens with 0
    /// (left-padded prompts); empty for none.
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not split into the cache's batch, the tokens exceed n_positions, or the mask is not one per id.</exception>
    public Tensor NextTokenLogits(ReadOnlySpan<int> inputIds, KeyValueCache cache, ReadOnlySpan<float> attentionMask = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var (b, c) = (cache.Batch, Config.HiddenSize);
        var t = SequenceLength(inputIds.Length, b, cache.Length);
        var hidden = Embed(inputIds, b, t, cache.PlaceTokens(attentionMask, t), training: false);
        for (var i = 0; i < _blocks.Count; i++) hidden = _blocks[i].ForwardCached(hidden, cache, i);
        cache.Advance(t);
        var last = _lastRows.Get(b, c); // (B, C) each sequence's last token
        for (var s = 0; s < b; s++) hidden.Span.Slice(((s + 1) * t - 1) * c, c).CopyTo(last.Span.Slice(s * c, c));
        var logits = _logits.Get(b, Config.VocabSize); // (B, V)
        Linear.Forward(FinalNorm(last.Span, b, training: false), cache.Weights.Head, [], logits.Span, b);
        return logits;
    }

    /// <summary>
    /// A key/value cache for generating <paramref name="batchSize"/> sequences of up to n_positions tokens, holding the
    /// current weight matrices packed for its products: a snapshot, so make a new cache after changing the weights.
    /// </summary>
    public KeyValueCache CreateCache(int batchSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return new KeyValueCache(new PackedGpt2Weights(_blocks, TokenEmbeddings), _blocks.Count, batchSize, Config.MaxPositions, Config.HiddenSize);
    }

    /// <summary>
    /// Backward of the last training forward for the gradient of its logits (B·T, V): adds every parameter's gradient
    /// (the head's into the token embeddings).
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public void Backward(Tensor dLogits)
    {
        ArgumentNullException.ThrowIfNull(dLogits);
        var hidden = _lastHidden ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c) = (hidden.Size(0) * hidden.Size(1), Config.HiddenSize);
        dLogits.RequireShape("logits gradient", n, Config.VocabSize);
        var dNormed = _dNormed.Get(n, c); // (N, C)
        Linear.Backward(dLogits.Span, _normed.Get(n, c).Span, TokenEmbeddings.Value.Span, dNormed.Span, TokenEmbeddings.Gradient.Span, [], n, c, Config.VocabSize);
        BackwardFinalHidden(dNormed);
    }

    /// <summary>
    /// Backward of the last training <see cref="FinalHidden"/> (or <see cref="Forward"/>) from the gradient of ln_f(h)
    /// (B·T, C): adds the transformer's parameter gradients.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    internal void BackwardFinalHidden(Tensor dNormed)
    {
        var hidden = _lastHidden ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), Config.HiddenSize);
        var n = b * t;
        dNormed.RequireShape("final hidden gradient", n, c);
        var dHidden = _dHidden.Get(b, t, c); // (B, T, C)
        LayerNorm.Backward(dNormed.Span, hidden.Span, FinalNormWeight.Value.Span, _mean.Get(n).Span, _rstd.Get(n).Span,
            dHidden.Span, FinalNormWeight.Gradient.Span, FinalNormBias.Gradient.Span, n);
        for (var i = _blocks.Count - 1; i >= 0; i--) dHidden = _blocks[i].Backward(dHidden);
        if (_embeddingDropoutKey is { } key) Dropout.Backward(dHidden.Span, dHidden.Span, (float)Config.EmbeddingDropout, key);
        Embedding.Backward(_ids, dHidden.Span, TokenEmbeddings.Gradient.Span, c);
        Embedding.Backward(_positions, dHidden.Span, PositionEmbeddings.Gradient.Span, c);
    }

    /// <summary>
    /// A training step's forward and backward for causal language modelling, as <c>GPT2LMHeadModel</c> computes its
    /// loss: the logits at token t are scored against <paramref name="labels"/>[t + 1] of the same sequence (shifted
    /// here), labels equal to <see cref="CrossEntropyOptions.IgnoreIndex"/> are left out, and the loss is their mean.
    /// Gradients of <paramref name="lossScale"/> × the loss are added: clear them between steps. Returns the loss (unscaled).
    /// </summary>
    /// <param name="inputIds">B·T ids, row-major.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="labels">B·T labels, usually the ids themselves.</param>
    /// <param name="lossScale">The factor of the gradients (e.g. 1 / accumulation steps). Default 1.</param>
    /// <exception cref="ArgumentException">The labels are not one per id.</exception>
    public float ForwardBackward(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<int> labels, float lossScale = 1f)
    {
        if (labels.Length != inputIds.Length) throw new ArgumentException($"Got {labels.Length} labels for {inputIds.Length} ids.", nameof(labels));
        var logits = Forward(inputIds, batchSize, training: true); // (N, V)
        var (n, v) = (logits.Size(0), Config.VocabSize);
        var targets = ShiftedTargets(labels, inputIds.Length / batchSize);
        var probabilities = _probabilities.Get(n, v);
        var dLogits = _dLogits.Get(n, v);
        var loss = CrossEntropy.Forward(logits.Span, targets, probabilities.Span, v);
        CrossEntropy.Backward(probabilities.Span, targets, dLogits.Span, v, dLoss: lossScale);
        Backward(dLogits);
        return loss;
    }

    /// <summary>
    /// The inference forward and the causal-LM loss of <see cref="ForwardBackward"/> (no dropout, no gradients): the
    /// mean next-token loss and the number of predictions it averages (labels not ignored after the first token).
    /// </summary>
    /// <exception cref="ArgumentException">The labels are not one per id.</exception>
    public (float Loss, int Predictions) Loss(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<int> labels)
    {
        if (labels.Length != inputIds.Length) throw new ArgumentException($"Got {labels.Length} labels for {inputIds.Length} ids.", nameof(labels));
        var logits = Forward(inputIds, batchSize, training: false); // (N, V)
        var targets = ShiftedTargets(labels, inputIds.Length / batchSize);
        var ignore = new CrossEntropyOptions().IgnoreIndex;
        var probabilities = _probabilities.Get(logits.Size(0), Config.VocabSize);
        return (CrossEntropy.Forward(logits.Span, targets, probabilities.Span, Config.VocabSize), targets.Count(target => target != ignore));
    }

    /// <summary>The target of each token (B·T): the label of the next token of its sequence, ignored for the last.</summary>
    private static int[] ShiftedTargets(ReadOnlySpan<int> labels, int t)
    {
        var targets = new int[labels.Length];
        var ignore = new CrossEntropyOptions().IgnoreIndex;
        for (var i = 0; i < targets.Length; i++) targets[i] = (i + 1) % t == 0 ? ignore : labels[i + 1];
        return targets;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }

    /// <summary>Restarts the dropout streams as if the model had been built with <paramref name="seed"/>.</summary>
    public void ReseedDropout(ulong seed) => _dropoutRng.Reseed(seed);

    /// <summary>x (B, T, C) = drop(wte[id] + wpe[position]); keeps the ids and positions (B·T) for the backward pass in training.</summary>
    private Tensor Embed(ReadOnlySpan<int> ids, int b, int t, int[] positions, bool training)
    {
        var c = Config.HiddenSize;
        var embedded = _embedded.Get(b, t, c);
        var positionRows = _positionRows.Get(b * t, c); // (N, C)
        Embedding.Forward(ids, TokenEmbeddings.Value.Span, embedded.Span, c);
        Embedding.Forward(positions, PositionEmbeddings.Value.Span, positionRows.Span, c);
        Residual.Forward(embedded.Span, positionRows.Span, embedded.Span);
        _embeddingDropoutKey = null;
        if (training)
        {
            (_ids, _positions) = (ids.ToArray(), positions);
            if (Config.EmbeddingDropout > 0)
            {
                _embeddingDropoutKey = _dropoutRng.NextStreamKey();
                Dropout.Forward(embedded.Span, embedded.Span, (float)Config.EmbeddingDropout, _embeddingDropoutKey.Value);
            }
        }
        return embedded;
    }

    /// <summary>ln_f(hidden (n, C)) into the model's normed buffer (n, C), returned; the LayerNorm statistics kept in training.</summary>
    private Span<float> FinalNorm(ReadOnlySpan<float> hidden, int n, bool training)
    {
        var normed = _normed.Get(n, Config.HiddenSize).Span; // (n, C)
        LayerNorm.Forward(hidden, FinalNormWeight.Value.Span, FinalNormBias.Value.Span, normed,
            training ? _mean.Get(n).Span : [], training ? _rstd.Get(n).Span : [], n, (float)Config.LayerNormEpsilon);
        return normed;
    }

    /// <summary>T of ids that split into <paramref name="batchSize"/> sequences placed after <paramref name="past"/> cached tokens.</summary>
    private int SequenceLength(int ids, int batchSize, int past)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (ids == 0 || ids % batchSize != 0)
            throw new ArgumentException($"{ids} ids do not split into {batchSize} non-empty sequences of one length.");
        var t = ids / batchSize;
        if (past + t > Config.MaxPositions)
            throw new ArgumentException($"{past + t} tokens exceed the model's n_positions ({Config.MaxPositions}).");
        return t;
    }

    private Parameter Add(Parameter parameter)
    {
        _parameters.Add(parameter);
        return parameter;
    }
}

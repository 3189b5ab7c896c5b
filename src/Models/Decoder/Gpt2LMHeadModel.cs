using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
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
/// at padding positions are unspecified. The model computes with the operations of its <see cref="Backend"/> (the
/// managed engine unless one is given): the host parameters are pushed to it at each forward, and its gradients are
/// added into the host ones at the end of each backward.
/// </summary>
public sealed partial class Gpt2LMHeadModel
{
    private const string Prefix = "transformer.";

    private readonly List<Parameter> _parameters = [];
    private readonly List<Gpt2Block> _blocks = [];
    private readonly List<DeviceParameter> _device = [];
    private readonly Rng _dropoutRng;
    private readonly DeviceBuffer _embedded, _positionRows, _normed, _mean, _rstd, _logits, _lastRows, _dNormed, _dHidden;
    private readonly DeviceBuffer _dLogits, _lossScratch;
    private readonly DeviceMask _mask;
    private readonly HostExchange _hostLogits, _hostDLogits;
    private readonly DeviceParameter _tokenEmbeddings, _positionEmbeddings, _finalNormWeight, _finalNormBias;
    private int[] _ids = [], _positions = [];
    private DeviceTensor? _lastHidden;
    private ulong? _embeddingDropoutKey;

    /// <summary>Creates a model with zero weights; load a checkpoint or call <see cref="Initialize"/>.</summary>
    /// <param name="config">Sizes and semantics; validated.</param>
    /// <param name="dropoutSeed">Seed of the dropout streams, for reproducible training.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    /// <exception cref="InvalidDataException">The configuration is invalid.</exception>
    public Gpt2LMHeadModel(Gpt2Config config, ulong dropoutSeed = 0, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Backend = backend ?? ManagedBackend.Instance;
        _dropoutRng = new Rng(dropoutSeed);
        (_embedded, _positionRows, _normed, _mean, _rstd) = (Slot(), Slot(), Slot(), Slot(), Slot());
        (_logits, _lastRows, _dNormed, _dHidden, _dLogits, _lossScratch) = (Slot(), Slot(), Slot(), Slot(), Slot(), Slot());
        (_mask, _hostLogits, _hostDLogits) = (new DeviceMask(Backend), new HostExchange(Backend), new HostExchange(Backend));
        var c = config.HiddenSize;
        (TokenEmbeddings, _tokenEmbeddings) = Add(ModelParameters.Create(Prefix + "wte.weight", config.VocabSize, c));
        (PositionEmbeddings, _positionEmbeddings) = Add(ModelParameters.Create(Prefix + "wpe.weight", config.MaxPositions, c));
        for (var i = 0; i < config.NumLayers; i++)
        {
            var block = new Gpt2Block(config, _dropoutRng, Backend);
            _blocks.Add(block);
            foreach (var parameter in block.Parameters.All) _parameters.Add(parameter.WithName($"{Prefix}h.{i}.{parameter.Name}"));
            _device.AddRange(block.Device.All);
        }
        var (normWeight, normBias) = ModelParameters.LayerNorm(Prefix + "ln_f", c);
        (_, _finalNormWeight) = Add(normWeight);
        (_, _finalNormBias) = Add(normBias);
    }

    /// <summary>The configuration, saved as <c>config.json</c>.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Where the model computes: the managed engine, or a backend such as TorchSharp's.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>Every parameter under its Hugging Face <c>GPT2LMHeadModel</c> name, in checkpoint order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters as <see cref="Backend"/> computes with them (see <see cref="DeviceParameterMap"/> to match them to <see cref="Parameters"/>).</summary>
    public IReadOnlyList<DeviceParameter> DeviceParameters => _device;

    /// <summary>The token embeddings <c>transformer.wte.weight</c> (V, C), also the LM head's weight.</summary>
    public Parameter TokenEmbeddings { get; }

    /// <summary>The learned positions <c>transformer.wpe.weight</c> (n_positions, C).</summary>
    public Parameter PositionEmbeddings { get; }

    /// <summary>The blocks, in order.</summary>
    internal IReadOnlyList<Gpt2Block> Blocks => _blocks;

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
    public Tensor Forward(ReadOnlySpan<int> inputIds, int batchSize, bool training, ReadOnlySpan<float> attentionMask = default) =>
        _hostLogits.ToHost(LogitsOnDevice(inputIds, batchSize, training, attentionMask));

    /// <summary>Logits (B·T, V) on the backend, as <see cref="Forward"/> computes them.</summary>
    private DeviceTensor LogitsOnDevice(ReadOnlySpan<int> inputIds, int batchSize, bool training, ReadOnlySpan<float> attentionMask)
    {
        var normed = FinalHidden(inputIds, batchSize, training, attentionMask); // (N, C)
        var logits = _logits.Get(normed.Size(0), Config.VocabSize); // (N, V): the head tied to wte (V, C)
        Backend.Linear(normed, _tokenEmbeddings.Value, null, logits);
        return logits;
    }

    /// <summary>
    /// The transformer's output ln_f(h) (B·T, C) of a batch on the backend, as <see cref="Forward"/> computes it before
    /// the LM head (for other heads over the decoder), owned by the model until its next forward; in training,
    /// <see cref="BackwardFinalHidden"/> takes its gradient. The current host weights are pushed to the backend first.
    /// </summary>
    internal DeviceTensor FinalHidden(ReadOnlySpan<int> inputIds, int batchSize, bool training, ReadOnlySpan<float> attentionMask)
    {
        var t = SequenceLength(inputIds.Length, batchSize, past: 0);
        if (!attentionMask.IsEmpty && attentionMask.Length != inputIds.Length)
            throw new ArgumentException($"The attention mask has {attentionMask.Length} entries for {inputIds.Length} ids.", nameof(attentionMask));
        PushValues();
        var hidden = Embed(inputIds, batchSize, t, PositionIds.FromMask(attentionMask, batchSize, t, []), training);
        var mask = _mask.ToDevice(attentionMask, batchSize, t); // (B, T) or null
        foreach (var block in _blocks) hidden = block.Forward(hidden, mask, training);
        _lastHidden = training ? hidden : null;
        return FinalNorm(hidden, batchSize * t, training);
    }

    /// <summary>Copies the host weights to the backend (nothing on the managed engine, whose weights are the host's).</summary>
    internal void PushValues() => Backend.PushValues(_device);

    /// <summary>
    /// Runs the newest tokens (B·Tn ids, row-major) of <paramref name="cache"/>'s sequences through the model, their
    /// keys and values appended to the cache, and returns the logits (B, V) of each sequence's last new token: the
    /// distribution of the token after it. The first call (an empty cache) reads the prompts; later calls typically
    /// one token each, at O(T) cost. <paramref name="attentionMask"/> (B·Tn) marks padding among the new tokens with 0
    /// (left-padded prompts); empty for none. The cache's weights are those of <see cref="CreateCache"/>.
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
        var lastTokens = Enumerable.Range(1, b).Select(s => s * t - 1).ToArray(); // each sequence's last token in B·Tn
        var last = _lastRows.Get(b, c); // (B, C)
        Backend.GatherRows(hidden, lastTokens, last);
        var logits = _logits.Get(b, Config.VocabSize); // (B, V)
        Backend.Linear(FinalNorm(last, b, training: false), cache.Weights.Head, null, logits);
        return _hostLogits.ToHost(logits);
    }

    /// <summary>
    /// A key/value cache on the model's backend for generating <paramref name="batchSize"/> sequences of up to
    /// n_positions tokens, holding the current weights (pushed to the backend) and the weight matrices prepared for
    /// its products: a snapshot, so make a new cache after changing the weights.
    /// </summary>
    public KeyValueCache CreateCache(int batchSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        PushValues();
        var weights = new PackedGpt2Weights(Backend, _blocks.Select(block => block.Device), _tokenEmbeddings);
        return new KeyValueCache(Backend, weights, _blocks.Count, batchSize, Config.MaxPositions, Config.HiddenSize);
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
        dLogits.RequireShape("logits gradient", hidden.Size(0) * hidden.Size(1), Config.VocabSize);
        BackwardOnDevice(_hostDLogits.ToDevice(dLogits));
    }

    /// <summary>Backward of the last training forward from the gradient of its logits (B·T, V) on the backend.</summary>
    private void BackwardOnDevice(DeviceTensor dLogits)
    {
        var hidden = _lastHidden ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c) = (hidden.Size(0) * hidden.Size(1), Config.HiddenSize);
        var dNormed = _dNormed.Get(n, c); // (N, C)
        Backend.LinearBackward(dLogits, _normed.Get(n, c), _tokenEmbeddings.Value, dNormed, _tokenEmbeddings.Gradient, null);
        BackwardFinalHidden(dNormed);
    }

    /// <summary>
    /// Backward of the last training <see cref="FinalHidden"/> (or <see cref="Forward"/>) from the gradient of ln_f(h)
    /// (B·T, C) on the backend: adds the transformer's parameter gradients, then into the host ones.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    internal void BackwardFinalHidden(DeviceTensor dNormed)
    {
        var hidden = _lastHidden ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c) = (hidden.Size(0), hidden.Size(1), Config.HiddenSize);
        var n = b * t;
        if (!dNormed.Shape.SequenceEqual([n, c]))
            throw new ArgumentException($"final hidden gradient has shape {dNormed}, expected ({n}, {c}).", nameof(dNormed));
        var dHidden = _dHidden.Get(b, t, c); // (B, T, C)
        Backend.LayerNormBackward(dNormed, hidden, _finalNormWeight.Value, _mean.Get(n), _rstd.Get(n),
            dHidden, _finalNormWeight.Gradient, _finalNormBias.Gradient);
        for (var i = _blocks.Count - 1; i >= 0; i--) dHidden = _blocks[i].Backward(dHidden);
        if (_embeddingDropoutKey is { } key) Backend.Dropout(dHidden, dHidden, (float)Config.EmbeddingDropout, key);
        Backend.EmbeddingBackward(_ids, dHidden, _tokenEmbeddings.Gradient, null);
        Backend.EmbeddingBackward(_positions, dHidden, _positionEmbeddings.Gradient, null);
        Backend.PullGradients(_device);
    }

    /// <summary>
    /// A training step's forward and backward for causal language modelling, as <c>GPT2LMHeadModel</c> computes its
    /// loss: the logits at token t are scored against <paramref name="labels"/>[t + 1] of the same sequence (shifted
    /// here), labels equal to <see cref="CrossEntropyOptions.IgnoreIndex"/> are left out, and the loss is their mean,
    /// computed on the backend (no logits cross to the host). Gradients of <paramref name="lossScale"/> × the loss are added: clear them between steps. Returns the loss (unscaled).
    /// </summary>
    /// <param name="inputIds">B·T ids, row-major.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="labels">B·T labels, usually the ids themselves.</param>
    /// <param name="lossScale">The factor of the gradients (e.g. 1 / accumulation steps). Default 1.</param>
    /// <exception cref="ArgumentException">The labels are not one per id.</exception>
    public float ForwardBackward(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<int> labels, float lossScale = 1f)
    {
        if (labels.Length != inputIds.Length) throw new ArgumentException($"Got {labels.Length} labels for {inputIds.Length} ids.", nameof(labels));
        var logits = LogitsOnDevice(inputIds, batchSize, training: true, attentionMask: default); // (N, V)
        var targets = ShiftedTargets(labels, inputIds.Length / batchSize);
        var dLogits = _dLogits.Get(logits.Size(0), Config.VocabSize); // (N, V)
        var loss = Backend.CrossEntropy(logits, targets, null, dLogits, lossScale, _lossScratch);
        BackwardOnDevice(dLogits);
        return loss;
    }

    /// <summary>
    /// The inference forward and the causal-LM loss of <see cref="ForwardBackward"/> on the backend (no dropout, no gradients): the
    /// mean next-token loss and the number of predictions it averages (labels not ignored after the first token).
    /// </summary>
    /// <exception cref="ArgumentException">The labels are not one per id.</exception>
    public (float Loss, int Predictions) Loss(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<int> labels)
    {
        if (labels.Length != inputIds.Length) throw new ArgumentException($"Got {labels.Length} labels for {inputIds.Length} ids.", nameof(labels));
        var logits = LogitsOnDevice(inputIds, batchSize, training: false, attentionMask: default); // (N, V)
        var targets = ShiftedTargets(labels, inputIds.Length / batchSize);
        var loss = Backend.CrossEntropy(logits, targets, null, null, 1f, _lossScratch);
        return (loss, (int)CrossEntropy.Normalizer(targets));
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
    private DeviceTensor Embed(ReadOnlySpan<int> ids, int b, int t, int[] positions, bool training)
    {
        var c = Config.HiddenSize;
        var embedded = _embedded.Get(b, t, c); // (B, T, C)
        var positionRows = _positionRows.Get(b * t, c); // (N, C)
        Backend.Embedding(ids, _tokenEmbeddings.Value, embedded);
        Backend.Embedding(positions, _positionEmbeddings.Value, positionRows);
        Backend.Add(embedded, positionRows, embedded);
        _embeddingDropoutKey = null;
        if (training)
        {
            (_ids, _positions) = (ids.ToArray(), positions);
            if (Config.EmbeddingDropout > 0)
            {
                _embeddingDropoutKey = _dropoutRng.NextStreamKey();
                Backend.Dropout(embedded, embedded, (float)Config.EmbeddingDropout, _embeddingDropoutKey.Value);
            }
        }
        return embedded;
    }

    /// <summary>ln_f(hidden (n rows of C)) into the model's normed slot (n, C), returned; the LayerNorm statistics kept in training.</summary>
    private DeviceTensor FinalNorm(DeviceTensor hidden, int n, bool training)
    {
        var normed = _normed.Get(n, Config.HiddenSize); // (n, C)
        Backend.LayerNorm(hidden, _finalNormWeight.Value, _finalNormBias.Value, normed,
            training ? _mean.Get(n) : null, training ? _rstd.Get(n) : null, (float)Config.LayerNormEpsilon);
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

    /// <summary>Adds a parameter of the model's own (not a block's) and binds it to the backend.</summary>
    private (Parameter Host, DeviceParameter Device) Add(Parameter parameter)
    {
        _parameters.Add(parameter);
        var device = Backend.Bind(parameter);
        _device.Add(device);
        return (parameter, device);
    }

    private DeviceBuffer Slot() => Backend.CreateBuffer();
}

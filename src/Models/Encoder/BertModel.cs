using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// A BERT-family encoder (BERT, RoBERTa, DistilBERT): embeddings, post-LayerNorm encoder layers and an optional
/// pooler, with parameters under their Hugging Face names (<c>embeddings.*</c>, <c>encoder.layer.{i}.*</c> or
/// DistilBERT's <c>transformer.layer.{i}.*</c>, <c>pooler.dense.*</c>). Forward with <c>training: false</c> keeps
/// no activations; with <c>training: true</c> it keeps what <see cref="Backward"/> needs and applies dropout.
/// </summary>
public sealed class BertModel : IPretrainedModel
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<DeviceParameter> _device = [];
    private readonly DeviceBuffer _mask, _dHidden;
    private readonly HostExchange _hostHidden, _hostPooled, _hostDPooled;
    private readonly List<BertEncoderLayer> _layers = [];
    private readonly Rng _dropoutRng;
    private DeviceTensor? _lastHidden;
    private BertInferenceSession? _inference;

    /// <summary>Creates an encoder with zero weights; load a checkpoint or call <see cref="Initialize"/>.</summary>
    /// <param name="config">Sizes and semantics; validated.</param>
    /// <param name="addPoolingLayer">Whether to build the pooler (never for DistilBERT, which has none).</param>
    /// <param name="dropoutSeed">Seed of the dropout streams, for reproducible training.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public BertModel(BertConfig config, bool addPoolingLayer = true, ulong dropoutSeed = 0, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Backend = backend ?? ManagedBackend.Instance;
        (_mask, _dHidden) = (Backend.CreateBuffer(), Backend.CreateBuffer());
        (_hostHidden, _hostPooled, _hostDPooled) = (new(Backend), new(Backend), new(Backend));
        var rng = _dropoutRng = new Rng(dropoutSeed);
        Embeddings = new BertEmbeddings(config, rng, Backend);
        _parameters.AddRange(Embeddings.Parameters);
        _device.AddRange(Embeddings.Device);
        var options = new EncoderLayerOptions
        {
            HiddenSize = config.HiddenSize,
            AttentionHeads = config.NumAttentionHeads,
            IntermediateSize = config.IntermediateSize,
            HiddenActivation = config.HiddenAct,
            LayerNormEps = (float)config.LayerNormEps,
            HiddenDropout = (float)config.HiddenDropoutProb,
            AttentionDropout = (float)config.AttentionProbsDropoutProb,
        };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var layer = new BertEncoderLayer(options, rng, Backend);
            _layers.Add(layer);
            _device.AddRange(layer.Device.All);
            _parameters.AddRange(layer.Parameters.All.Select(p => p.WithName(LayerParameterNames.For(config.Architecture, i, p.Name))));
        }
        if (addPoolingLayer && config.Architecture != EncoderArchitecture.DistilBert)
        {
            Pooler = new BertPooler(config.HiddenSize, Backend);
            _parameters.AddRange(Pooler.Parameters);
            _device.AddRange(Pooler.Dense.Device);
        }
    }

    /// <summary>The configuration the model was built from.</summary>
    public BertConfig Config { get; }

    /// <summary>Where the model computes: the managed engine, or a backend such as TorchSharp's.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>The embeddings (the masked-LM decoder shares their word table).</summary>
    public BertEmbeddings Embeddings { get; }

    /// <summary>The pooler, or null.</summary>
    public BertPooler? Pooler { get; }

    /// <summary>
    /// Every parameter under its Hugging Face name without a model prefix, in checkpoint order.
    /// </summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters as <see cref="Backend"/> computes with them (see <see cref="DeviceParameterMap"/> to match them to <see cref="Parameters"/>).</summary>
    public IReadOnlyList<DeviceParameter> DeviceParameters => _device;

    /// <summary>BERT initialisation: matrices from N(0, initializer_range²), biases 0, LayerNorm 1 and 0, the padding word embedding 0.</summary>
    public void Initialize(ulong seed)
    {
        ModelParameters.Initialize(_parameters, new Rng(seed), (float)Config.InitializerRange);
        Embeddings.ZeroPaddingRow();
    }

    /// <summary>
    /// Encodes a batch, whole (splitting many sequences into batches is the caller's policy, see
    /// <see cref="InferenceBatching"/>). The returned tensors belong to the model until its next forward. Inference
    /// runs on the current weights; for repeated inference on fixed weights a <see cref="CreateInferenceSession">session</see> is faster.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is longer than the position table allows.</exception>
    public EncoderOutput Forward(EncoderBatch batch, bool training)
    {
        var (hidden, pooled) = ForwardOnDevice(batch, training);
        return new EncoderOutput(_hostHidden.ToHost(hidden), pooled is null ? null : _hostPooled.ToHost(pooled));
    }

    /// <summary>
    /// <see cref="Forward"/> on the backend's tensors: the last hidden state (B, T, C) and the pooler output (B, C) or
    /// null, owned by the model. The current host weights are pushed to the backend first.
    /// </summary>
    internal (DeviceTensor Hidden, DeviceTensor? Pooled) ForwardOnDevice(EncoderBatch batch, bool training)
    {
        ArgumentNullException.ThrowIfNull(batch);
        PushValues();
        var hidden = training ? Encode(batch) : (_inference ??= new BertInferenceSession(this, packed: null)).ForwardOnDevice(batch);
        _lastHidden = training ? hidden : null;
        return (hidden, Pooler?.Forward(hidden, training));
    }

    /// <summary>Copies the host weights to the backend (nothing on the managed engine, whose weights are the host's).</summary>
    internal void PushValues() => Backend.PushValues(_device);

    /// <summary>
    /// An inference session: with <paramref name="packWeights"/> (the default) over this model's current weight
    /// matrices packed once for the products — the fast way to run many batches on fixed weights; weights changed
    /// afterwards are not seen — else over the weights as they are at each call (for a model still being trained).
    /// <see cref="BertInferenceSession.CreateSibling"/> gives more sessions for other threads.
    /// </summary>
    /// <param name="packWeights">Whether the weight matrices are prepared once (a snapshot) rather than read at each call.</param>
    /// <param name="precision">
    /// The arithmetic of the dense products: <see cref="Precision.Int8"/> quantises the matrices as they are packed
    /// (and needs <paramref name="packWeights"/>).
    /// </param>
    /// <exception cref="ArgumentException"><see cref="Precision.Int8"/> without <paramref name="packWeights"/>.</exception>
    public BertInferenceSession CreateInferenceSession(bool packWeights = true, Precision precision = Precision.Float32)
    {
        if (!packWeights && precision != Precision.Float32)
            throw new ArgumentException($"{precision} products quantise the weights once, so they need packWeights.", nameof(precision));
        PushValues();
        return new(this, packWeights ? [.. _layers.Select(layer => PackedLayerWeights.Prepare(Backend, layer.Device, precision))] : null);
    }

    /// <summary>The encoder layers, in order.</summary>
    internal IReadOnlyList<BertEncoderLayer> Layers => _layers;

    /// <summary>Embeddings and layers on one training batch: (B, T, C), owned by the last layer.</summary>
    private DeviceTensor Encode(EncoderBatch batch)
    {
        var mask = batch.AttentionMaskValues(Backend, _mask); // (B, T) 1 real, 0 padding
        var hidden = Embeddings.ForwardOnDevice(batch, training: true); // (B, T, C)
        foreach (var layer in _layers) hidden = layer.Forward(hidden, mask, training: true);
        return hidden;
    }

    /// <summary>
    /// Backward of the last training forward: adds every parameter's gradient for the gradients of the last hidden
    /// state (B, T, C) and of the pooler output (B, C); either may be null (zero).
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward, or a pooler gradient is given without a pooler.</exception>
    public void Backward(Tensor? dLastHiddenState, Tensor? dPoolerOutput)
    {
        var hidden = _lastHidden ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var dHidden = _dHidden.Get(hidden.Shape.ToArray()); // (B, T, C)
        if (dLastHiddenState is null) Backend.Fill(dHidden, 0f);
        else
        {
            dLastHiddenState.RequireShape("last hidden state gradient", hidden.Size(0), hidden.Size(1), hidden.Size(2));
            Backend.Upload(dLastHiddenState.Span, dHidden);
        }
        BackwardOnDevice(dHidden, dPoolerOutput is null ? null : _hostDPooled.ToDevice(dPoolerOutput));
    }

    /// <summary>
    /// <see cref="Backward"/> on the backend's tensors: <paramref name="dHidden"/> (B, T, C) is overwritten, the
    /// pooler's gradient (B, C) may be null; the gradients are added into the host parameters at the end.
    /// </summary>
    internal void BackwardOnDevice(DeviceTensor dHidden, DeviceTensor? dPooled)
    {
        if (_lastHidden is null) throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        if (dPooled is not null)
        {
            var pooler = Pooler ?? throw new InvalidOperationException("The model has no pooler to take a pooler output gradient.");
            pooler.Backward(dPooled, dHidden);
        }
        for (var i = _layers.Count - 1; i >= 0; i--) dHidden = _layers[i].Backward(dHidden);
        Embeddings.Backward(dHidden);
        Backend.PullGradients(_device);
    }

    /// <summary>
    /// Reads <c>config.json</c> and the weights of a checkpoint directory, with or without a head (a head's tensors
    /// are left unused, as are a missing pooler's when <paramref name="addPoolingLayer"/> is false). An ONNX export
    /// (an <c>.onnx</c> file path) loads too: its <c>config.json</c> beside it, or the configuration inferred from its
    /// graph (see <see cref="Onnx.OnnxCheckpoint"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The config or weights are malformed, or a parameter is missing.</exception>
    /// <param name="directory">The checkpoint directory or <c>.onnx</c> file.</param>
    /// <param name="addPoolingLayer">Whether to build (and load) the pooler.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public static BertModel FromPretrained(string directory, bool addPoolingLayer = true, ComputeBackend? backend = null)
    {
        using var checkpoint = PretrainedCheckpoint.Open(directory);
        var model = new BertModel(checkpoint.Config, addPoolingLayer, backend: backend);
        model.LoadWeights(checkpoint.Weights).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>
    /// Restarts the dropout streams as if the model had been built with <paramref name="seed"/>: a trainer that reseeds
    /// before every step makes dropout a function of the step alone, so a resumed run draws the same masks.
    /// </summary>
    public void ReseedDropout(ulong seed) => _dropoutRng.Reseed(seed);

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }
}

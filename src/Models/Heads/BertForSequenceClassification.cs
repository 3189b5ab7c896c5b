using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder with a sequence classification head, named as Hugging Face's <c>BertForSequenceClassification</c>,
/// <c>RobertaForSequenceClassification</c> and <c>DistilBertForSequenceClassification</c> save them
/// (<c>bert.*</c> + <c>classifier.*</c>, ...). Logits (B, labels), one per label of <see cref="BertConfig.Labels"/>.
/// </summary>
public sealed class BertForSequenceClassification : EncoderWithHead
{
    /// <summary>Separates the head's dropout stream from the encoder's.</summary>
    private const ulong HeadSeedSalt = 0x5EC1A55;

    /// <summary>The pooler's parameter names, under the encoder prefix.</summary>
    private const string PoolerPrefix = "pooler.dense.";

    private readonly DeviceBuffer _cls, _dHidden;
    private readonly HostExchange _hostLogits;
    private readonly Rng _headDropoutRng;
    private EncoderBatch? _batch;
    private SequenceClassificationSession? _inference;

    /// <summary>Creates a zero model (a pooler only for BERT); load a checkpoint or call <see cref="EncoderWithHead.Initialize"/>.</summary>
    /// <param name="config">Sizes, architecture and labels.</param>
    /// <param name="dropoutSeed">Seed of the dropout streams.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public BertForSequenceClassification(BertConfig config, ulong dropoutSeed = 0, ComputeBackend? backend = null)
        : base(new BertModel(config, addPoolingLayer: config.Architecture == EncoderArchitecture.Bert, dropoutSeed, backend))
    {
        var ops = Encoder.Backend;
        (_cls, _dHidden, _hostLogits) = (ops.CreateBuffer(), ops.CreateBuffer(), new(ops));
        _headDropoutRng = new Rng(dropoutSeed ^ HeadSeedSalt);
        Head = new SequenceClassificationHead(config, _headDropoutRng, ops);
        AddHeadParameters(Head.Parameters);
    }

    /// <summary>The classification head.</summary>
    public SequenceClassificationHead Head { get; }

    /// <inheritdoc />
    private protected override IEnumerable<DeviceParameter> HeadDeviceParameters => Head.Device;

    /// <summary>
    /// Reads a checkpoint directory or an ONNX export (an <c>.onnx</c> file, see <see cref="Onnx.OnnxCheckpoint"/>). A
    /// checkpoint without this head (e.g. a bare encoder) or without a pooler (e.g. a masked-LM or a sentence-transformers
    /// export) gets them freshly initialised from <paramref name="seed"/> (see <see cref="LoadPretrainedWeights"/>); any
    /// other missing encoder tensor is an error. <paramref name="labels"/>, when given, replace the checkpoint's
    /// <c>id2label</c> (to fine-tune a bare encoder for a task).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed, an encoder tensor is missing, or a stored head has another label count.</exception>
    /// <param name="directory">The checkpoint directory or <c>.onnx</c> file.</param>
    /// <param name="seed">Seed of a missing head's (or pooler's) initialisation and of the dropout streams.</param>
    /// <param name="labels">Labels that replace the checkpoint's, or null.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public static BertForSequenceClassification FromPretrained(
        string directory, ulong seed = 0, IReadOnlyList<string>? labels = null, ComputeBackend? backend = null)
    {
        using var checkpoint = PretrainedCheckpoint.Open(directory);
        var config = checkpoint.Config;
        if (labels is not null) config.Labels = labels;
        var model = new BertForSequenceClassification(config, seed, backend);
        var optional = model.Parameters.Where(p => model.MayBeMissing(p.Name)).ToList();
        ModelParameters.Initialize(optional, new Rng(seed), (float)model.Config.InitializerRange);
        model.LoadPretrainedWeights(checkpoint.Weights);
        return model;
    }

    /// <summary>
    /// Fills the model from a checkpoint's weights, as Hugging Face's <c>from_pretrained</c> does for a task model: the
    /// head and the pooler may be absent (no checkpoint of an encoder carries this head; masked-LM and
    /// sentence-transformers exports often carry no pooler), and those keep their current (initial) values; the
    /// report's <see cref="LoadReport.Missing"/> names them, the weights newly initialised. Checkpoint tensors the
    /// model does not use are left out.
    /// </summary>
    /// <exception cref="InvalidDataException">An encoder tensor is missing, or a tensor's shape does not fit the configuration.</exception>
    public LoadReport LoadPretrainedWeights(ITensorSource source)
    {
        var report = this.LoadWeights(source);
        report.EnsureComplete(MayBeMissing, allowUnexpected: true);
        return report;
    }

    /// <summary>Whether a parameter is one a checkpoint may lack: the head's, or the pooler's.</summary>
    private bool MayBeMissing(string name) =>
        Head.Parameters.Any(p => p.Name == name) || name.Contains(PoolerPrefix, StringComparison.Ordinal);

    /// <summary>
    /// An inference session: with <paramref name="packWeights"/> (the default) over the encoder's current weight
    /// matrices packed once for the products — the fast way to score many batches on fixed weights; weights changed
    /// afterwards are not seen — else over the weights as they are at each call (for a model still being trained).
    /// <see cref="SequenceClassificationSession.CreateSibling"/> gives more sessions for other threads.
    /// </summary>
    /// <param name="packWeights">Whether the encoder's weight matrices are prepared once (a snapshot) rather than read at each call.</param>
    /// <param name="precision">The arithmetic of the encoder's dense products (<see cref="Precision.Int8"/> needs <paramref name="packWeights"/>); the head stays in single precision.</param>
    /// <exception cref="ArgumentException"><see cref="Precision.Int8"/> without <paramref name="packWeights"/>.</exception>
    public SequenceClassificationSession CreateInferenceSession(bool packWeights = true, Precision precision = Precision.Float32)
    {
        Encoder.Backend.PushValues(Head.Device);
        return new(this, Encoder.CreateInferenceSession(packWeights, precision));
    }

    /// <inheritdoc />
    public override void ReseedDropout(ulong seed)
    {
        base.ReseedDropout(seed);
        _headDropoutRng.Reseed(seed ^ HeadSeedSalt);
    }

    /// <summary>
    /// Logits (B, labels), owned by the model until its next forward. Inference runs on an unpacked session of the
    /// model's own (its current weights).
    /// </summary>
    public override Tensor Forward(EncoderBatch batch, bool training)
    {
        if (training) return _hostLogits.ToHost(TrainingForward(batch));
        _batch = null;
        return (_inference ??= CreateInferenceSession(packWeights: false)).Forward(batch);
    }

    /// <inheritdoc />
    private protected override DeviceTensor TrainingForward(EncoderBatch batch)
    {
        _batch = batch;
        Encoder.Backend.PushValues(Head.Device);
        var (hidden, pooled) = Encoder.ForwardOnDevice(batch, training: true);
        return Head.Forward(pooled ?? FirstToken(hidden), training: true); // (B, labels)
    }

    /// <inheritdoc />
    private protected override void BackwardOnDevice(DeviceTensor dLogits)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var ops = Encoder.Backend;
        var dFeatures = Head.Backward(dLogits); // (B, C)
        ops.PullGradients(Head.Device);
        var dHidden = _dHidden.Get(batch.BatchSize, batch.SequenceLength, Config.HiddenSize); // (B, T, C)
        ops.Fill(dHidden, 0f);
        if (Head.UsesPooler)
        {
            Encoder.BackwardOnDevice(dHidden, dFeatures);
            return;
        }
        ops.FirstTokenBackward(dFeatures, dHidden);
        Encoder.BackwardOnDevice(dHidden, null);
    }

    private DeviceTensor FirstToken(DeviceTensor hidden)
    {
        var cls = _cls.Get(hidden.Size(0), hidden.Size(2));
        Encoder.Backend.FirstToken(hidden, cls);
        return cls;
    }
}

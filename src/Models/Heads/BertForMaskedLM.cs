using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder without pooler and a masked-LM head whose decoder is tied to the word embeddings, named as Hugging
/// Face's <c>BertForMaskedLM</c> (<c>bert.*</c>, <c>cls.predictions.*</c>), <c>RobertaForMaskedLM</c> and
/// <c>DistilBertForMaskedLM</c> save them. Logits (B·T, V); labels for the loss are (B·T), mostly
/// <see cref="CrossEntropyOptions.IgnoreIndex"/>. Encoder, head and loss compute on one backend: a training step
/// (<see cref="ForwardBackward(EncoderBatch, IReadOnlyList{int}, ReadOnlySpan{int}, float)"/>) moves no logits to the
/// host, only the loss.
/// </summary>
public sealed class BertForMaskedLM : EncoderWithHead
{
    private readonly DeviceBuffer _flat, _gathered, _dFlat, _dHidden;
    private readonly HostExchange _hostLogits;
    private EncoderBatch? _batch;
    private int[]? _positions;

    /// <summary>Creates a zero model; load a checkpoint or call <see cref="EncoderWithHead.Initialize"/>.</summary>
    /// <param name="config">Sizes and architecture.</param>
    /// <param name="dropoutSeed">Seed of the dropout streams.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public BertForMaskedLM(BertConfig config, ulong dropoutSeed = 0, ComputeBackend? backend = null)
        : base(new BertModel(config, addPoolingLayer: false, dropoutSeed, backend))
    {
        var ops = Encoder.Backend;
        Head = new MaskedLanguageModelHead(config, Encoder.Embeddings.WordDevice, ops);
        AddHeadParameters(Head.Parameters);
        (_flat, _gathered, _dFlat, _dHidden) = (ops.CreateBuffer(), ops.CreateBuffer(), ops.CreateBuffer(), ops.CreateBuffer());
        _hostLogits = new(ops);
    }

    /// <summary>The masked-LM head.</summary>
    public MaskedLanguageModelHead Head { get; }

    /// <inheritdoc />
    private protected override IEnumerable<DeviceParameter> HeadDeviceParameters => Head.Device;

    /// <summary>Reads a checkpoint directory or an ONNX export (<c>.onnx</c>); every tensor of the model must be present.</summary>
    /// <param name="directory">The checkpoint directory or <c>.onnx</c> file.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    public static BertForMaskedLM FromPretrained(string directory, ComputeBackend? backend = null)
    {
        using var checkpoint = PretrainedCheckpoint.Open(directory);
        var model = new BertForMaskedLM(checkpoint.Config, backend: backend);
        model.LoadWeights(checkpoint.Weights).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>Logits (B·T, V), owned by the model until its next forward.</summary>
    public override Tensor Forward(EncoderBatch batch, bool training) => _hostLogits.ToHost(LogitsOnDevice(batch, training));

    /// <inheritdoc />
    private protected override DeviceTensor TrainingForward(EncoderBatch batch) => LogitsOnDevice(batch, training: true);

    /// <summary>Logits (B·T, V) on the backend.</summary>
    private DeviceTensor LogitsOnDevice(EncoderBatch batch, bool training)
    {
        var hidden = EncodeOnDevice(batch, training); // (B, T, C)
        (_batch, _positions) = (training ? batch : null, null);
        return Head.Forward(hidden, training);
    }

    /// <summary>
    /// Logits (P, V) at the flat token positions <paramref name="positions"/> (b·T + t) only, owned by the model until
    /// its next forward. A masked-LM loss needs no others: the head, and its vocabulary-wide decoder product that
    /// dominates a small model's step, run on the P predicted tokens instead of all B·T. Row p equals row
    /// <c>positions[p]</c> of <see cref="Forward(EncoderBatch, bool)"/>'s logits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the batch.</exception>
    public Tensor Forward(EncoderBatch batch, IReadOnlyList<int> positions, bool training) =>
        _hostLogits.ToHost(LogitsOnDevice(batch, positions, training));

    /// <summary>
    /// A training step on the predicted tokens only: the forward at <paramref name="positions"/> (as
    /// <see cref="Forward(EncoderBatch, IReadOnlyList{int}, bool)"/>), the mean cross-entropy against
    /// <paramref name="targets"/> (one per position; <see cref="CrossEntropyOptions.IgnoreIndex"/> leaves one out) and the
    /// backward pass, the loss on the backend. Gradients of <paramref name="lossScale"/> × the loss are added: clear them
    /// between steps. Returns the loss (unscaled).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the batch, or a target outside the vocabulary.</exception>
    /// <exception cref="ArgumentException">The targets are not one per position.</exception>
    public float ForwardBackward(EncoderBatch batch, IReadOnlyList<int> positions, ReadOnlySpan<int> targets, float lossScale = 1f) =>
        LossBackward(LogitsOnDevice(batch, positions, training: true), targets, null, lossScale);

    /// <summary>The mean cross-entropy at <paramref name="positions"/> against <paramref name="targets"/> on the inference forward (no dropout, no gradients), on the backend.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the batch, or a target outside the vocabulary.</exception>
    /// <exception cref="ArgumentException">The targets are not one per position.</exception>
    public float Loss(EncoderBatch batch, IReadOnlyList<int> positions, ReadOnlySpan<int> targets) =>
        Loss(LogitsOnDevice(batch, positions, training: false), targets);

    /// <summary>Logits (P, V) at <paramref name="positions"/> on the backend.</summary>
    private DeviceTensor LogitsOnDevice(EncoderBatch batch, IReadOnlyList<int> positions, bool training)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(positions);
        var at = positions.ToArray();
        foreach (var position in at)
        {
            if ((uint)position >= (uint)batch.TokenCount)
                throw new ArgumentOutOfRangeException(nameof(positions), position, $"A position must be below the batch's {batch.TokenCount} tokens.");
        }
        var ops = Encoder.Backend;
        var hidden = EncodeOnDevice(batch, training); // (B, T, C)
        var flat = _flat.Get(batch.TokenCount, Config.HiddenSize); // (B·T, C)
        ops.CopyInto(hidden, flat, 0);
        var gathered = _gathered.Get(at.Length, Config.HiddenSize); // (P, C): row p is flat row positions[p]
        ops.Embedding(at, flat, gathered);
        (_batch, _positions) = training ? (batch, at) : (null, null);
        return Head.Forward(gathered, training);
    }

    /// <inheritdoc />
    private protected override void BackwardOnDevice(DeviceTensor dLogits)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var ops = Encoder.Backend;
        var (b, t, c) = (batch.BatchSize, batch.SequenceLength, Config.HiddenSize);
        var dHead = Head.Backward(dLogits); // (B·T, C), or (P, C) after a forward at positions
        ops.PullGradients(Head.Device);
        if (_positions is { } positions)
        {
            var dFlat = _dFlat.Get(b * t, c); // (B·T, C): zero where nothing was predicted
            ops.Fill(dFlat, 0f);
            ops.EmbeddingBackward(positions, dHead, dFlat, paddingRow: null);
            dHead = dFlat;
        }
        var dHidden = _dHidden.Get(b, t, c); // (B, T, C)
        ops.CopyInto(dHead, dHidden, 0);
        Encoder.BackwardOnDevice(dHidden, null);
    }

    /// <summary>The encoder's last hidden state (B, T, C) on the backend, after pushing the head's host weights too.</summary>
    private DeviceTensor EncodeOnDevice(EncoderBatch batch, bool training)
    {
        Encoder.Backend.PushValues(Head.Device);
        return Encoder.ForwardOnDevice(batch, training).Hidden;
    }
}

using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder without pooler and a masked-LM head whose decoder is tied to the word embeddings, named as Hugging
/// Face's <c>BertForMaskedLM</c> (<c>bert.*</c>, <c>cls.predictions.*</c>), <c>RobertaForMaskedLM</c> and
/// <c>DistilBertForMaskedLM</c> save them. Logits (B·T, V); labels for the loss are (B·T), mostly
/// <see cref="CrossEntropyOptions.IgnoreIndex"/>.
/// </summary>
public sealed class BertForMaskedLM : EncoderWithHead
{
    private readonly TensorBuffer _gathered = new(), _dHidden = new();
    private EncoderBatch? _batch;
    private int[]? _positions;

    /// <summary>Creates a zero model; load a checkpoint or call <see cref="EncoderWithHead.Initialize"/>.</summary>
    public BertForMaskedLM(BertConfig config, ulong dropoutSeed = 0)
        : base(new BertModel(config, addPoolingLayer: false, dropoutSeed))
    {
        Head = new MaskedLanguageModelHead(config, Encoder.Embeddings.WordEmbeddings);
        AddHeadParameters(Head.Parameters);
    }

    /// <summary>The masked-LM head.</summary>
    public MaskedLanguageModelHead Head { get; }

    /// <summary>Reads a checkpoint directory or an ONNX export (<c>.onnx</c>); every tensor of the model must be present.</summary>
    public static BertForMaskedLM FromPretrained(string directory)
    {
        using var checkpoint = PretrainedCheckpoint.Open(directory);
        var model = new BertForMaskedLM(checkpoint.Config);
        model.LoadWeights(checkpoint.Weights).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>Logits (B·T, V), owned by the model until its next forward.</summary>
    public override Tensor Forward(EncoderBatch batch, bool training)
    {
        var hidden = Encoder.Forward(batch, training).LastHiddenState; // (B, T, C)
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
    public Tensor Forward(EncoderBatch batch, IReadOnlyList<int> positions, bool training)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(positions);
        var c = Config.HiddenSize;
        var hidden = Encoder.Forward(batch, training).LastHiddenState.Span; // (B·T, C)
        var gathered = _gathered.Get(positions.Count, c); // (P, C)
        for (var p = 0; p < positions.Count; p++)
        {
            var position = positions[p];
            if ((uint)position >= (uint)batch.TokenCount)
                throw new ArgumentOutOfRangeException(nameof(positions), position, $"A position must be below the batch's {batch.TokenCount} tokens.");
            hidden.Slice(position * c, c).CopyTo(gathered.Span.Slice(p * c, c));
        }
        (_batch, _positions) = training ? (batch, positions.ToArray()) : (null, null);
        return Head.Forward(gathered, training);
    }

    /// <inheritdoc />
    public override void Backward(Tensor dLogits)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (b, t, c) = (batch.BatchSize, batch.SequenceLength, Config.HiddenSize);
        var dHead = Head.Backward(dLogits); // (B·T, C), or (P, C) after a forward at positions
        if (_positions is { } positions)
        {
            var dHidden = _dHidden.Get(b * t, c); // (B·T, C): zero where nothing was predicted
            dHidden.Fill(0f);
            for (var p = 0; p < positions.Length; p++) dHead.Span.Slice(p * c, c).CopyTo(dHidden.Span.Slice(positions[p] * c, c));
            dHead = dHidden;
        }
        Encoder.Backward(dHead.Reshape(b, t, c), null);
    }
}

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
    private EncoderBatch? _batch;

    /// <summary>Creates a zero model; load a checkpoint or call <see cref="EncoderWithHead.Initialize"/>.</summary>
    public BertForMaskedLM(BertConfig config, ulong dropoutSeed = 0)
        : base(new BertModel(config, addPoolingLayer: false, dropoutSeed))
    {
        Head = new MaskedLanguageModelHead(config, Encoder.Embeddings.WordEmbeddings);
        AddHeadParameters(Head.Parameters);
    }

    /// <summary>The masked-LM head.</summary>
    public MaskedLanguageModelHead Head { get; }

    /// <summary>Reads a checkpoint directory; every tensor of the model must be present.</summary>
    public static BertForMaskedLM FromPretrained(string directory)
    {
        var model = new BertForMaskedLM(BertConfig.Load(directory));
        model.LoadWeights(directory).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>Logits (B·T, V), owned by the model until its next forward.</summary>
    public override Tensor Forward(EncoderBatch batch, bool training)
    {
        var hidden = Encoder.Forward(batch, training).LastHiddenState; // (B, T, C)
        _batch = training ? batch : null;
        return Head.Forward(hidden, training);
    }

    /// <inheritdoc />
    public override void Backward(Tensor dLogits)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var dHidden = Head.Backward(dLogits); // (B·T, C)
        Encoder.Backward(dHidden.Reshape(batch.BatchSize, batch.SequenceLength, Config.HiddenSize), null);
    }
}

using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder without pooler and a masked-LM head whose decoder is tied to the word embeddings, named as Hugging
/// Face's <c>BertForMaskedLM</c> (<c>bert.*</c>, <c>cls.predictions.*</c>), <c>RobertaForMaskedLM</c> and
/// <c>DistilBertForMaskedLM</c> save them.
/// </summary>
public sealed class BertForMaskedLM : IPretrainedModel
{
    private readonly List<Parameter> _parameters;
    private readonly TensorBuffer _dLogits = new();
    private EncoderBatch? _batch;

    /// <summary>Creates a zero model; load a checkpoint or call <see cref="Initialize"/>.</summary>
    public BertForMaskedLM(BertConfig config, ulong dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        Encoder = new BertModel(config, addPoolingLayer: false, dropoutSeed);
        Head = new MaskedLanguageModelHead(config, Encoder.Embeddings.WordEmbeddings);
        var prefix = PretrainedWeights.BasePrefix(config.Architecture);
        _parameters = [.. Encoder.Parameters.Select(p => p.WithName(prefix + p.Name)), .. Head.Parameters];
    }

    /// <summary>The encoder (no pooler).</summary>
    public BertModel Encoder { get; }

    /// <summary>The masked-LM head.</summary>
    public MaskedLanguageModelHead Head { get; }

    /// <inheritdoc />
    public BertConfig Config => Encoder.Config;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>BERT initialisation of every parameter from <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed) => ModelParameters.Initialize(_parameters, new Rng(seed), (float)Config.InitializerRange);

    /// <summary>Reads a checkpoint directory; every tensor of the model must be present.</summary>
    public static BertForMaskedLM FromPretrained(string directory)
    {
        var model = new BertForMaskedLM(BertConfig.Load(directory));
        model.LoadWeights(directory).EnsureComplete(allowUnexpected: true);
        return model;
    }

    /// <summary>Logits (B·T, V), owned by the model until its next forward.</summary>
    public Tensor Forward(EncoderBatch batch, bool training)
    {
        var hidden = Encoder.Forward(batch, training).LastHiddenState; // (B, T, C)
        _batch = training ? batch : null;
        return Head.Forward(hidden, training);
    }

    /// <summary>Backward of the last training forward for dLogits (B·T, V).</summary>
    public void Backward(Tensor dLogits)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var dHidden = Head.Backward(dLogits); // (B·T, C)
        Encoder.Backward(dHidden.Reshape(batch.BatchSize, batch.SequenceLength, Config.HiddenSize), null);
    }

    /// <summary>
    /// A training forward, the mean cross-entropy over positions whose label (B·T) is not
    /// <see cref="CrossEntropy.IgnoreIndex"/>, and the backward pass. Returns the loss.
    /// </summary>
    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels)
    {
        var logits = Forward(batch, training: true);
        var dLogits = _dLogits.Get(logits.Size(0), logits.Size(1));
        var loss = CrossEntropy.ForwardBackward(logits.Span, labels, dLogits.Span, Config.VocabSize);
        Backward(dLogits);
        return loss;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }
}

using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// The masked-LM head: <c>logits = LayerNorm(act(dense(h))) · Eᵀ + bias</c> with the decoder tied to the word
/// embeddings E (V, C). Names per architecture: BERT <c>cls.predictions.transform.dense</c>,
/// <c>cls.predictions.transform.LayerNorm</c>, <c>cls.predictions.bias</c> (activation <c>hidden_act</c>);
/// RoBERTa <c>lm_head.dense</c>, <c>lm_head.layer_norm</c>, <c>lm_head.bias</c> (GELU);
/// DistilBERT <c>vocab_transform</c>, <c>vocab_layer_norm</c>, <c>vocab_projector.bias</c> (<c>activation</c>).
/// </summary>
public sealed class MaskedLanguageModelHead
{
    private readonly BertConfig _config;
    private readonly Parameter _wordEmbeddings;
    private readonly DenseLayer _transform;
    private readonly Parameter _normWeight, _normBias;
    private readonly TensorBuffer _normed = new(), _mean = new(), _rstd = new(), _logits = new(), _dNormed = new(), _dTransformed = new();
    private Tensor? _transformed;

    /// <summary>Creates a zero head whose decoder reads <paramref name="wordEmbeddings"/> (V, C).</summary>
    public MaskedLanguageModelHead(BertConfig config, Parameter wordEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _wordEmbeddings = wordEmbeddings;
        var (dense, norm, bias, activation) = config.Architecture switch
        {
            EncoderArchitecture.Roberta => ("lm_head.dense", "lm_head.layer_norm", "lm_head.bias", ActivationKind.Gelu),
            EncoderArchitecture.DistilBert => ("vocab_transform", "vocab_layer_norm", "vocab_projector.bias", config.HiddenAct),
            _ => ("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm", "cls.predictions.bias", config.HiddenAct),
        };
        _transform = new DenseLayer(dense, config.HiddenSize, config.HiddenSize, activation);
        (_normWeight, _normBias) = ModelParameters.LayerNorm(norm, config.HiddenSize);
        Bias = ModelParameters.Create(bias, config.VocabSize);
    }

    /// <summary>The decoder bias (V).</summary>
    public Parameter Bias { get; }

    /// <summary>The head's own parameters (the tied decoder weight belongs to the embeddings).</summary>
    public IEnumerable<Parameter> Parameters => [.. _transform.Parameters, _normWeight, _normBias, Bias];

    /// <summary>Logits (N, V) for hidden states (N, C), owned by the head until its next forward.</summary>
    public Tensor Forward(Tensor hidden, bool training)
    {
        var (n, c, v) = (hidden.Length / _config.HiddenSize, _config.HiddenSize, _config.VocabSize);
        var transformed = _transform.Forward(hidden.Reshape(n, c), training); // (N, C)
        var normed = _normed.Get(n, c); // (N, C)
        LayerNorm.Forward(transformed.Span, _normWeight.Value.Span, _normBias.Value.Span, normed.Span,
            training ? _mean.Get(n).Span : [], training ? _rstd.Get(n).Span : [], n, (float)_config.LayerNormEps);
        _transformed = training ? transformed : null;
        var logits = _logits.Get(n, v); // (N, V)
        Linear.Forward(normed.Span, _wordEmbeddings.Value.Span, Bias.Value.Span, logits.Span, n, c, v);
        return logits;
    }

    /// <summary>Adds the gradients (the decoder's into the word embeddings) for dLogits (N, V); returns dHidden (N, C).</summary>
    public Tensor Backward(Tensor dLogits)
    {
        var transformed = _transformed ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c, v) = (transformed.Size(0), _config.HiddenSize, _config.VocabSize);
        var dNormed = _dNormed.Get(n, c); // (N, C)
        Linear.Backward(dLogits.Span, _normed.Get(n, c).Span, _wordEmbeddings.Value.Span,
            dNormed.Span, _wordEmbeddings.Gradient.Span, Bias.Gradient.Span, n, c, v);
        var dTransformed = _dTransformed.Get(n, c); // (N, C)
        LayerNorm.Backward(dNormed.Span, transformed.Span, _normWeight.Value.Span, _mean.Get(n).Span, _rstd.Get(n).Span,
            dTransformed.Span, _normWeight.Gradient.Span, _normBias.Gradient.Span, n);
        return _transform.Backward(dTransformed);
    }
}

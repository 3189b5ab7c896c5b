using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// The masked-LM head: <c>logits = LayerNorm(act(dense(h))) · Eᵀ + bias</c> with the decoder tied to the word
/// embeddings E (V, C), computed by its backend. Names per architecture: BERT <c>cls.predictions.transform.dense</c>,
/// <c>cls.predictions.transform.LayerNorm</c>, <c>cls.predictions.bias</c> (activation <c>hidden_act</c>);
/// RoBERTa <c>lm_head.dense</c>, <c>lm_head.layer_norm</c>, <c>lm_head.bias</c> (GELU);
/// DistilBERT <c>vocab_transform</c>, <c>vocab_layer_norm</c>, <c>vocab_projector.bias</c> (<c>activation</c>).
/// </summary>
public sealed class MaskedLanguageModelHead
{
    private readonly BertConfig _config;
    private readonly ComputeBackend _backend;
    private readonly DeviceParameter _wordEmbeddings, _normWeightDevice, _normBiasDevice, _biasDevice;
    private readonly DenseLayer _transform;
    private readonly Parameter _normWeight, _normBias;
    private readonly DeviceBuffer _normed, _mean, _rstd, _logits, _dNormed, _dTransformed;
    private readonly HostExchange _hostHidden, _hostLogits, _hostDLogits, _hostDHidden;
    private DeviceTensor? _transformed;

    /// <summary>Creates a zero head on the managed engine whose decoder reads <paramref name="wordEmbeddings"/> (V, C).</summary>
    public MaskedLanguageModelHead(BertConfig config, Parameter wordEmbeddings)
        : this(config, ManagedBackend.Instance.Bind(wordEmbeddings), ManagedBackend.Instance)
    {
    }

    /// <summary>
    /// Creates a zero head on <paramref name="backend"/> whose decoder reads the encoder's word table as the backend
    /// holds it (so the decoder's gradient adds into the same device gradient as the embeddings').
    /// </summary>
    internal MaskedLanguageModelHead(BertConfig config, DeviceParameter wordEmbeddings, ComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(config);
        (_config, _wordEmbeddings, _backend) = (config, wordEmbeddings, backend);
        var (dense, norm, bias, activation) = config.Architecture switch
        {
            EncoderArchitecture.Roberta => ("lm_head.dense", "lm_head.layer_norm", "lm_head.bias", ActivationKind.Gelu),
            EncoderArchitecture.DistilBert => ("vocab_transform", "vocab_layer_norm", "vocab_projector.bias", config.HiddenAct),
            _ => ("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm", "cls.predictions.bias", config.HiddenAct),
        };
        _transform = new DenseLayer(dense, config.HiddenSize, config.HiddenSize, activation, backend);
        (_normWeight, _normBias) = ModelParameters.LayerNorm(norm, config.HiddenSize);
        Bias = ModelParameters.Create(bias, config.VocabSize);
        (_normWeightDevice, _normBiasDevice, _biasDevice) = (backend.Bind(_normWeight), backend.Bind(_normBias), backend.Bind(Bias));
        (_normed, _mean, _rstd, _logits) = (backend.CreateBuffer(), backend.CreateBuffer(), backend.CreateBuffer(), backend.CreateBuffer());
        (_dNormed, _dTransformed) = (backend.CreateBuffer(), backend.CreateBuffer());
        (_hostHidden, _hostLogits, _hostDLogits, _hostDHidden) = (new(backend), new(backend), new(backend), new(backend));
    }

    /// <summary>The decoder bias (V).</summary>
    public Parameter Bias { get; }

    /// <summary>The head's own parameters (the tied decoder weight belongs to the embeddings).</summary>
    public IEnumerable<Parameter> Parameters => [.. _transform.Parameters, _normWeight, _normBias, Bias];

    /// <summary>The head's own parameters as the backend holds them (the tied word table is the encoder's).</summary>
    internal IEnumerable<DeviceParameter> Device => [.. _transform.Device, _normWeightDevice, _normBiasDevice, _biasDevice];

    /// <summary>Logits (N, V) for hidden states (N, C), owned by the head until its next forward.</summary>
    public Tensor Forward(Tensor hidden, bool training)
    {
        _backend.PushValues(Device);
        return _hostLogits.ToHost(Forward(_hostHidden.ToDevice(hidden), training));
    }

    /// <summary>The forward on the backend's tensors (hidden (N, C), any shape of N·C elements); the logits (N, V) are owned by the head.</summary>
    internal DeviceTensor Forward(DeviceTensor hidden, bool training)
    {
        var (n, c, v) = (hidden.Length / _config.HiddenSize, _config.HiddenSize, _config.VocabSize);
        var transformed = _transform.Forward(hidden, training); // (N, C)
        var normed = _normed.Get(n, c); // (N, C)
        _backend.LayerNorm(transformed, _normWeightDevice.Value, _normBiasDevice.Value, normed,
            training ? _mean.Get(n) : null, training ? _rstd.Get(n) : null, (float)_config.LayerNormEps);
        _transformed = training ? transformed : null;
        var logits = _logits.Get(n, v); // (N, V)
        _backend.Linear(normed, _wordEmbeddings.Value, _biasDevice.Value, logits);
        return logits;
    }

    /// <summary>Adds the gradients (the decoder's into the word embeddings) for dLogits (N, V); returns dHidden (N, C).</summary>
    public Tensor Backward(Tensor dLogits)
    {
        var dHidden = Backward(_hostDLogits.ToDevice(dLogits));
        _backend.PullGradients([.. Device, _wordEmbeddings]);
        return _hostDHidden.ToHost(dHidden);
    }

    /// <summary>
    /// The backward on the backend's tensors: adds into the device gradients (the decoder's into the word table's,
    /// which the encoder's backward then pulls with its own); dHidden (N, C) is owned by the head.
    /// </summary>
    internal DeviceTensor Backward(DeviceTensor dLogits)
    {
        var transformed = _transformed ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c) = (transformed.Size(0), _config.HiddenSize);
        var dNormed = _dNormed.Get(n, c); // (N, C)
        _backend.LinearBackward(dLogits, _normed.Get(n, c), _wordEmbeddings.Value, dNormed, _wordEmbeddings.Gradient, _biasDevice.Gradient);
        var dTransformed = _dTransformed.Get(n, c); // (N, C)
        _backend.LayerNormBackward(dNormed, transformed, _normWeightDevice.Value, _mean.Get(n), _rstd.Get(n),
            dTransformed, _normWeightDevice.Gradient, _normBiasDevice.Gradient);
        return _transform.Backward(dTransformed);
    }
}

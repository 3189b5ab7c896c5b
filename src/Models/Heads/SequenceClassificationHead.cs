using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// The sequence classification head of each architecture, with Hugging Face names:
/// BERT <c>classifier(dropout(pooler_output))</c>;
/// RoBERTa <c>classifier.out_proj(dropout(tanh(classifier.dense(dropout(hidden[:, 0])))))</c>;
/// DistilBERT <c>classifier(dropout(relu(pre_classifier(hidden[:, 0]))))</c>.
/// Dropout is <c>classifier_dropout</c> (DistilBERT <c>seq_classif_dropout</c>), else <c>hidden_dropout_prob</c>.
/// </summary>
public sealed class SequenceClassificationHead
{
    private readonly DropoutDense[] _steps;

    private readonly ComputeBackend _backend;
    private readonly HostExchange _hostFeatures, _hostLogits, _hostDLogits, _hostDFeatures;

    /// <summary>Creates a zero head for <paramref name="config"/> with one output per label.</summary>
    /// <param name="config">Sizes, labels and dropout.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys.</param>
    /// <param name="backend">Where the head computes; null for the managed engine.</param>
    public SequenceClassificationHead(BertConfig config, Rng dropoutRng, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ops = _backend = backend ?? ManagedBackend.Instance;
        (_hostFeatures, _hostLogits, _hostDLogits, _hostDFeatures) = (new(ops), new(ops), new(ops), new(ops));
        var (c, labels) = (config.HiddenSize, config.Labels.Count);
        var dropout = (float)(config.ClassifierDropout ?? config.HiddenDropoutProb);
        _steps = config.Architecture switch
        {
            EncoderArchitecture.Roberta =>
            [
                new(dropout, new DenseLayer("classifier.dense", c, c, ActivationKind.Tanh, ops), dropoutRng, ops),
                new(dropout, new DenseLayer("classifier.out_proj", c, labels, backend: ops), dropoutRng, ops),
            ],
            EncoderArchitecture.DistilBert =>
            [
                new(0f, new DenseLayer("pre_classifier", c, c, ActivationKind.Relu, ops), dropoutRng, ops),
                new(dropout, new DenseLayer("classifier", c, labels, backend: ops), dropoutRng, ops),
            ],
            _ => [new(dropout, new DenseLayer("classifier", c, labels, backend: ops), dropoutRng, ops)],
        };
        UsesPooler = config.Architecture == EncoderArchitecture.Bert;
    }

    /// <summary>Whether the head reads the pooler output (BERT) rather than the first token's hidden state.</summary>
    public bool UsesPooler { get; }

    /// <summary>The head's dense layers in order, the last giving the logits (dropout is off at inference).</summary>
    internal IEnumerable<DenseLayer> Layers => _steps.Select(s => s.Dense);

    /// <summary>The head's parameters (<c>classifier.weight</c>, ...).</summary>
    public IEnumerable<Parameter> Parameters => _steps.SelectMany(s => s.Dense.Parameters);

    /// <summary>The head's parameters as the backend holds them.</summary>
    internal IEnumerable<DeviceParameter> Device => _steps.SelectMany(s => s.Dense.Device);

    /// <summary>Logits (B, labels) from the head's input features (B, C).</summary>
    public Tensor Forward(Tensor features, bool training) =>
        _hostLogits.ToHost(Forward(_hostFeatures.ToDevice(features), training));

    /// <summary>The forward on the backend's tensors; the logits are owned by the head.</summary>
    internal DeviceTensor Forward(DeviceTensor features, bool training)
    {
        foreach (var step in _steps) features = step.Forward(features, training);
        return features;
    }

    /// <summary>
    /// The inference forward of features (B, C) into <paramref name="logits"/> (B, labels), a two-step head's
    /// intermediate features in <paramref name="hidden"/> (B, C): it changes nothing in the head, so threads may run it
    /// at once.
    /// </summary>
    internal void Infer(DeviceTensor features, DeviceTensor hidden, DeviceTensor logits)
    {
        for (var i = 0; i < _steps.Length; i++)
        {
            var last = i == _steps.Length - 1;
            _steps[i].Dense.Infer(features, last ? logits : hidden);
            features = hidden;
        }
    }

    /// <summary>Adds the head's gradients for dLogits (B, labels) and returns the gradient of its input features (B, C).</summary>
    public Tensor Backward(Tensor dLogits)
    {
        var dFeatures = Backward(_hostDLogits.ToDevice(dLogits));
        _backend.PullGradients(Device);
        return _hostDFeatures.ToHost(dFeatures);
    }

    /// <summary>The backward on the backend's tensors: adds into the device gradients; the feature gradient is owned by the head.</summary>
    internal DeviceTensor Backward(DeviceTensor dLogits)
    {
        for (var i = _steps.Length - 1; i >= 0; i--) dLogits = _steps[i].Backward(dLogits);
        return dLogits;
    }
}

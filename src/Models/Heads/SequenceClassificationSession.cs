using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// Inference on a <see cref="BertForSequenceClassification"/> with buffers of its own: the encoder runs in a
/// <see cref="BertInferenceSession"/> (over packed weights, or the current ones), then the pooler and the head. One
/// session scores one batch at a time; <see cref="CreateSibling"/> gives more over the same weights, for other threads.
/// </summary>
public sealed class SequenceClassificationSession
{
    private readonly BertForSequenceClassification _model;
    private readonly BertInferenceSession _encoder;
    private readonly DeviceBuffer _cls, _pooled, _headHidden, _logits;
    private readonly HostExchange _host;

    internal SequenceClassificationSession(BertForSequenceClassification model, BertInferenceSession encoder)
    {
        _model = model;
        _encoder = encoder;
        var backend = model.Encoder.Backend;
        (_cls, _pooled, _headHidden, _logits) = (backend.CreateBuffer(), backend.CreateBuffer(), backend.CreateBuffer(), backend.CreateBuffer());
        _host = new HostExchange(backend);
    }

    /// <summary>Another session over the same model and (packed) weights, with buffers of its own (for another thread).</summary>
    public SequenceClassificationSession CreateSibling() => new(_model, _encoder.CreateSibling());

    /// <summary>Logits (B, labels) of a batch, owned by the session until its next forward: the model's inference logits.</summary>
    /// <exception cref="ArgumentException">The batch is longer than the position table allows.</exception>
    public Tensor Forward(EncoderBatch batch) => _host.ToHost(ForwardOnDevice(batch));

    /// <summary><see cref="Forward"/> on the backend's tensors.</summary>
    internal DeviceTensor ForwardOnDevice(EncoderBatch batch)
    {
        if (_encoder.ReadsCurrentWeights) _model.Encoder.Backend.PushValues(_model.Head.Device);
        var hidden = _encoder.ForwardOnDevice(batch); // (B, T, C)
        var (b, c) = (batch.BatchSize, _model.Config.HiddenSize);
        var cls = _cls.Get(b, c); // (B, C) first tokens
        var features = cls;
        if (_model.Encoder.Pooler is { } pooler)
        {
            features = _pooled.Get(b, c); // (B, C)
            pooler.Infer(hidden, cls, features);
        }
        else
        {
            _model.Encoder.Backend.FirstToken(hidden, cls);
        }
        var logits = _logits.Get(b, _model.Config.Labels.Count);
        _model.Head.Infer(features, _headHidden.Get(b, c), logits);
        return logits;
    }
}

using MLNet.Transformers.Models.Encoder;
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
    private readonly TensorBuffer _cls = new(), _pooled = new(), _headHidden = new(), _logits = new();

    internal SequenceClassificationSession(BertForSequenceClassification model, BertInferenceSession encoder)
    {
        _model = model;
        _encoder = encoder;
    }

    /// <summary>Another session over the same model and (packed) weights, with buffers of its own (for another thread).</summary>
    public SequenceClassificationSession CreateSibling() => new(_model, _encoder.CreateSibling());

    /// <summary>Logits (B, labels) of a batch, owned by the session until its next forward: the model's inference logits.</summary>
    /// <exception cref="ArgumentException">The batch is longer than the position table allows.</exception>
    public Tensor Forward(EncoderBatch batch)
    {
        var hidden = _encoder.Forward(batch); // (B, T, C)
        var (b, t, c) = (batch.BatchSize, batch.SequenceLength, _model.Config.HiddenSize);
        var cls = _cls.Get(b, c).Span; // (B, C) first tokens
        var features = cls;
        if (_model.Encoder.Pooler is { } pooler)
        {
            features = _pooled.Get(b, c).Span; // (B, C)
            pooler.Infer(hidden, cls, features);
        }
        else
        {
            Tensors.Pooling.ClsForward(hidden.Span, cls, b, t);
        }
        var logits = _logits.Get(b, _model.Config.Labels.Count);
        _model.Head.Infer(features, _headHidden.Get(b, c).Span, logits.Span, b);
        return logits;
    }
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Recurrent;

/// <summary>
/// Inference on a <see cref="RecurrentClassifier"/> with buffers of its own, over the model's weights as they are at
/// each call. One session scores one batch at a time; <see cref="CreateSibling"/> gives more, for other threads.
/// </summary>
public sealed class RecurrentClassifierSession
{
    private readonly RecurrentClassifier _model;
    private readonly RecurrentClassifierPass _pass;

    internal RecurrentClassifierSession(RecurrentClassifier model)
    {
        _model = model;
        _pass = new RecurrentClassifierPass(model.Stack);
    }

    /// <summary>Another session over the same model, with buffers of its own (for another thread).</summary>
    public RecurrentClassifierSession CreateSibling() => new(_model);

    /// <summary>Logits (B, labels) of a batch, owned by the session until its next forward.</summary>
    /// <exception cref="ArgumentException">An id is outside the vocabulary, or a row has tokens after padding.</exception>
    public Tensor Forward(EncoderBatch batch) => _model.Forward(_pass, batch);

    /// <summary>The attention weights α (B, T) of the last forward (see <see cref="RecurrentClassifier.ComputeAttentionWeights"/>).</summary>
    /// <exception cref="InvalidOperationException">The model has no attention, or no forward ran.</exception>
    public ReadOnlySpan<float> AttentionWeights
    {
        get
        {
            if (!_model.Config.Attention) throw new InvalidOperationException("This recurrent classifier reads final states; it has no attention weights.");
            var batch = _pass.Batch ?? throw new InvalidOperationException("No forward has run on this session.");
            return _pass.Attention.Get(batch.BatchSize, batch.SequenceLength).Span;
        }
    }
}

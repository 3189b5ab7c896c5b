using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Inference on a <see cref="BertModel"/> with buffers of its own: the embeddings and every layer share one set of
/// activation buffers (one layer runs at a time), and a large batch runs in chunks of
/// <see cref="BertModel.InferenceChunkTokens"/> tokens. A session from <see cref="BertModel.CreateInferenceSession"/>
/// packs the layers' weight matrices once for the products — a snapshot: weights changed afterwards are not seen — and
/// <see cref="CreateSibling"/> gives more sessions over the same packed weights. One session runs one forward at a
/// time; sessions run concurrently, each on its own thread.
/// </summary>
public sealed class BertInferenceSession
{
    private readonly BertModel _model;
    private readonly IReadOnlyList<PackedLayerWeights>? _packed;
    private readonly EmbeddingBuffers _embeddings = new();
    private readonly LayerForwardBuffers _layer = new();
    private readonly TensorBuffer _mask = new(), _evenOutput = new(), _oddOutput = new(), _chunked = new();

    /// <param name="model">The model run.</param>
    /// <param name="packed">Each layer's packed weights, or null to pack them as each product runs (always current).</param>
    internal BertInferenceSession(BertModel model, IReadOnlyList<PackedLayerWeights>? packed)
    {
        _model = model;
        _packed = packed;
    }

    /// <summary>Another session over the same model and (packed) weights, with buffers of its own (for another thread).</summary>
    public BertInferenceSession CreateSibling() => new(_model, _packed);

    /// <summary>The last hidden state (B, T, C) of a batch, owned by the session until its next forward.</summary>
    /// <exception cref="ArgumentException">The batch is longer than the position table allows.</exception>
    public Tensor Forward(EncoderBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var chunkTokens = _model.InferenceChunkTokens;
        var rowsPerChunk = Math.Max(1, chunkTokens / batch.SequenceLength);
        if (chunkTokens == 0 || rowsPerChunk >= batch.BatchSize) return Encode(batch);

        var (t, c) = (batch.SequenceLength, _model.Config.HiddenSize);
        var hidden = _chunked.Get(batch.BatchSize, t, c); // (B, T, C)
        for (var start = 0; start < batch.BatchSize; start += rowsPerChunk)
        {
            var chunk = batch.Rows(start, Math.Min(rowsPerChunk, batch.BatchSize - start));
            Encode(chunk).Span.CopyTo(hidden.Span.Slice(start * t * c));
        }
        return hidden;
    }

    /// <summary>Embeddings and layers on one batch: (B, T, C), in one of the two layer output buffers.</summary>
    private Tensor Encode(EncoderBatch batch)
    {
        var (b, t, c) = (batch.BatchSize, batch.SequenceLength, _model.Config.HiddenSize);
        var mask = batch.AttentionMaskValues(_mask); // (B, T) 1 real, 0 padding
        var hidden = _model.Embeddings.Infer(batch, _embeddings); // (B, T, C)
        var layers = _model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var output = (i % 2 == 0 ? _evenOutput : _oddOutput).Get(b, t, c); // never the layer's input
            layers[i].Infer(hidden, mask, output.Span, _layer, _packed?[i]);
            hidden = output;
        }
        return hidden;
    }
}

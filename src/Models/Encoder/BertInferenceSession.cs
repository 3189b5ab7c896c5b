using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Layers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Inference on a <see cref="BertModel"/> with buffers of its own: the embeddings and every layer share one set of
/// activation buffers (one layer runs at a time); it runs the batch it is given, whole (callers batch many sequences
/// by <see cref="InferenceBatching"/>). A session from <see cref="BertModel.CreateInferenceSession"/>
/// packs the layers' weight matrices once for the products — a snapshot: weights changed afterwards are not seen — and
/// <see cref="CreateSibling"/> gives more sessions over the same packed weights. One session runs one forward at a
/// time; sessions run concurrently, each on its own thread.
/// </summary>
public sealed class BertInferenceSession
{
    private readonly BertModel _model;
    private readonly IReadOnlyList<PackedLayerWeights>? _packed;
    private readonly EmbeddingBuffers _embeddings;
    private readonly LayerForwardBuffers _layer;
    private readonly DeviceBuffer _mask, _evenOutput, _oddOutput;
    private readonly HostExchange _host;

    /// <param name="model">The model run.</param>
    /// <param name="packed">Each layer's prepared weights, or null to read the current ones at each product.</param>
    internal BertInferenceSession(BertModel model, IReadOnlyList<PackedLayerWeights>? packed)
    {
        _model = model;
        _packed = packed;
        var backend = model.Backend;
        (_embeddings, _layer, _host) = (new(backend), new(backend), new(backend));
        (_mask, _evenOutput, _oddOutput) = (backend.CreateBuffer(), backend.CreateBuffer(), backend.CreateBuffer());
    }

    /// <summary>Whether the session reads the model's current weights (pushed to the backend at each forward) rather than a prepared snapshot.</summary>
    internal bool ReadsCurrentWeights => _packed is null;

    /// <summary>Another session over the same model and (packed) weights, with buffers of its own (for another thread).</summary>
    public BertInferenceSession CreateSibling() => new(_model, _packed);

    /// <summary>The last hidden state (B, T, C) of a batch, owned by the session until its next forward.</summary>
    /// <exception cref="ArgumentException">The batch is longer than the position table allows.</exception>
    public Tensor Forward(EncoderBatch batch) => _host.ToHost(ForwardOnDevice(batch));

    /// <summary><see cref="Forward"/> on the backend's tensors.</summary>
    internal DeviceTensor ForwardOnDevice(EncoderBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (ReadsCurrentWeights) _model.PushValues();
        var (b, t, c) = (batch.BatchSize, batch.SequenceLength, _model.Config.HiddenSize);
        var mask = batch.AttentionMaskValues(_model.Backend, _mask); // (B, T) 1 real, 0 padding
        var hidden = _model.Embeddings.Infer(batch, _embeddings); // (B, T, C)
        var layers = _model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var output = (i % 2 == 0 ? _evenOutput : _oddOutput).Get(b, t, c); // never the layer's input
            layers[i].Infer(hidden, mask, output, _layer, _packed?[i] ?? PackedLayerWeights.Current(layers[i].Device));
            hidden = output;
        }
        return hidden;
    }
}

using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A GPT-2 decoder with its last-token classification head (<see cref="Gpt2ForSequenceClassification"/>) as a
/// classifier network, the transformer architecture of a checkpoint whose <c>model_type</c> is <c>gpt2</c>. The model's
/// buffers are its own, so it scores one batch at a time (each batch's operations use every thread of its backend).
/// </summary>
internal sealed class DecoderNetwork(Gpt2ForSequenceClassification model) : IClassifierNetwork
{
    private readonly Lock _scoring = new();

    public Gpt2ForSequenceClassification Model { get; } = model;

    public TextClassifierArchitecture Architecture => TextClassifierArchitecture.Transformer;

    public IReadOnlyList<string> Labels => Model.Config.Labels!;

    public IReadOnlyList<Parameter> Parameters => Model.Parameters;

    public Models.Execution.ComputeBackend Backend => Model.Decoder.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => Model.DeviceParameters;

    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options, float lossScale) =>
        Model.ForwardBackward(batch.InputIds, batch.BatchSize, Mask(batch), labels, options, lossScale);

    public void ReseedDropout(ulong seed) => Model.ReseedDropout(seed);

    /// <exception cref="NotSupportedException"><paramref name="precision"/> is not float32: int8 scoring covers BERT-family encoders.</exception>
    public Func<Func<EncoderBatch, Tensor>> Scorers(bool weightsFixed, Precision precision)
    {
        if (precision != Precision.Float32)
            throw new NotSupportedException($"Precision {precision} covers BERT-family encoders; a GPT-2 classifier scores in {Precision.Float32}.");
        return () => Score;
    }

    /// <summary>One: a forward uses the model's own buffers.</summary>
    public int ConcurrentBatches => 1;

    /// <summary>One batch after another on the calling thread, each batch's operations on every thread of the backend.</summary>
    public void RunBatches(int count, Action<int> runBatch)
    {
        for (var batch = 0; batch < count; batch++) runBatch(batch);
    }

    public string ConfigJson() => Model.Config.ToJson();

    public void SaveWeights(Stream stream) => Model.SaveWeights(stream);

    /// <summary>Logits (B, K) of a batch on the inference forward, copied out while the model is held.</summary>
    private Tensor Score(EncoderBatch batch)
    {
        lock (_scoring)
        {
            var logits = Model.Forward(batch.InputIds, batch.BatchSize, Mask(batch), training: false);
            var copy = new Tensor(logits.Size(0), logits.Size(1));
            logits.Span.CopyTo(copy.Span);
            return copy;
        }
    }

    /// <summary>The batch's attention mask as floats (B·T).</summary>
    private static float[] Mask(EncoderBatch batch) => [.. batch.AttentionMask.Select(m => (float)m)];
}

using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A GPT-2 decoder with its last-token classification head (<see cref="Gpt2ForSequenceClassification"/>). The model's
/// buffers are its own, so scoring takes one batch at a time (each batch's products still use every thread).
/// </summary>
internal sealed class DecoderClassifierNetwork(Gpt2ForSequenceClassification model) : ClassifierNetwork
{
    private readonly Lock _scoring = new();

    public Gpt2ForSequenceClassification Model => model;

    public override string ModelClass => "GPT2ForSequenceClassification";

    public override IReadOnlyList<string> Labels => model.Config.Labels!;

    public override IReadOnlyList<Parameter> Parameters => model.Parameters;

    public override Tensor Forward(EncoderBatch batch, bool training) =>
        model.Forward(batch.InputIds, batch.BatchSize, Mask(batch), training);

    public override void Backward(Tensor dLogits) => model.Backward(dLogits);

    public override void ReseedDropout(ulong seed) => model.ReseedDropout(seed);

    public override string ConfigJson() => model.Config.ToJson();

    public override LoadReport LoadWeights(ITensorSource weights) => model.LoadWeights(weights);

    public override void SaveWeights(Stream stream) => model.SaveWeights(stream);

    /// <exception cref="NotSupportedException"><paramref name="precision"/> is not float32: int8 scoring covers BERT-family encoders.</exception>
    public override BatchScorer CreateScorer(bool weightsFixed, Precision precision)
    {
        if (precision != Precision.Float32)
            throw new NotSupportedException($"Precision {precision} covers BERT-family encoders; a GPT-2 classifier scores in {Precision.Float32}.");
        return (batch, logits) =>
        {
            lock (_scoring) Forward(batch, training: false).Span.CopyTo(logits); // (B, K)
        };
    }

    /// <summary>The batch's attention mask as floats (B·T).</summary>
    private static float[] Mask(EncoderBatch batch) => [.. batch.AttentionMask.Select(m => (float)m)];
}

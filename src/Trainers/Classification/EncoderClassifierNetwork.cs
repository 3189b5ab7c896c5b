using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>A BERT-family encoder with its classification head; each scored batch runs on an inference session of its own.</summary>
internal sealed class EncoderClassifierNetwork(BertForSequenceClassification model) : ClassifierNetwork
{
    public override string ModelClass => nameof(BertForSequenceClassification);

    public override IReadOnlyList<string> Labels => model.Config.Labels;

    public override IReadOnlyList<Parameter> Parameters => model.Parameters;

    public override BertForSequenceClassification Encoder => model;

    public override Tensor Forward(EncoderBatch batch, bool training) => model.Forward(batch, training);

    public override void Backward(Tensor dLogits) => model.Backward(dLogits);

    public override void ReseedDropout(ulong seed) => model.ReseedDropout(seed);

    public override string ConfigJson() => model.Config.ToJson();

    public override LoadReport LoadWeights(ITensorSource weights) => model.LoadWeights(weights);

    public override void SaveWeights(Stream stream) => model.SaveWeights(stream);

    public override BatchScorer CreateScorer(bool weightsFixed, Precision precision)
    {
        var prototype = model.CreateInferenceSession(packWeights: weightsFixed, precision); // holds the (packed) weights; batches run on its siblings
        var sessions = new WorkspacePool<SequenceClassificationSession>(prototype.CreateSibling);
        return (batch, logits) =>
        {
            var result = new float[logits.Length];
            sessions.Use(session => session.Forward(batch).Span.CopyTo(result)); // (B, K)
            result.CopyTo(logits);
        };
    }
}

using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>A BERT-family encoder with a classification head as a classifier network.</summary>
internal sealed class TransformerNetwork(BertForSequenceClassification model) : IClassifierNetwork
{
    public BertForSequenceClassification Model { get; } = model;

    public TextClassifierArchitecture Architecture => TextClassifierArchitecture.Transformer;

    public IReadOnlyList<string> Labels => Model.Config.Labels;

    public IReadOnlyList<Parameter> Parameters => Model.Parameters;

    public Models.Execution.ComputeBackend Backend => Model.Encoder.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => Model.DeviceParameters;

    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options, float lossScale) =>
        Model.ForwardBackward(batch, labels, options, lossScale);

    public void ReseedDropout(ulong seed) => Model.ReseedDropout(seed);

    public Func<Func<EncoderBatch, Tensor>> Scorers(bool weightsFixed, Precision precision)
    {
        var prototype = Model.CreateInferenceSession(packWeights: weightsFixed, precision); // holds the (packed) weights; batches run on its siblings
        return () => prototype.CreateSibling().Forward;
    }

    public int ConcurrentBatches => Model.Encoder.Backend.ConcurrentBatches;

    public void RunBatches(int count, Action<int> runBatch) => Model.Encoder.Backend.RunBatches(count, runBatch);

    public string ConfigJson() => Model.Config.ToJson();

    public void SaveWeights(Stream stream) => Model.SaveWeights(stream);
}

using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>A recurrent classifier (LSTM, GRU, attention-RNN) as a classifier network.</summary>
internal sealed class RecurrentNetwork(RecurrentClassifier model, TextClassifierArchitecture architecture) : IClassifierNetwork
{
    private readonly DeviceBuffer _dLogits = ManagedBackend.Instance.CreateBuffer(), _lossScratch = ManagedBackend.Instance.CreateBuffer();

    public RecurrentClassifier Model { get; } = model;

    public TextClassifierArchitecture Architecture { get; } = architecture;

    public IReadOnlyList<string> Labels => Model.Config.Labels;

    public IReadOnlyList<Parameter> Parameters => Model.Parameters;

    /// <summary>The recurrent kernels compute on the host: the managed engine.</summary>
    public Models.Execution.ComputeBackend Backend => ManagedBackend.Instance;

    /// <summary>The host parameters themselves, as the managed engine binds them.</summary>
    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters { get; } = [.. model.Parameters.Select(ManagedBackend.Instance.Bind)];

    /// <summary>The recurrent model computes on the host, so does its loss (the managed engine's).</summary>
    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options, float lossScale)
    {
        var logits = Model.Forward(batch, training: true); // (B, K)
        var dLogits = _dLogits.Get(logits.Size(0), logits.Size(1)); // (B, K)
        var loss = ManagedBackend.Instance.CrossEntropy(new HostTensor(logits), labels, options, dLogits, lossScale, _lossScratch);
        Model.Backward(((HostTensor)dLogits).Value);
        return loss;
    }

    /// <summary>No dropout: nothing to reseed.</summary>
    public void ReseedDropout(ulong seed)
    {
    }

    /// <summary>Sessions read the weights at each call (nothing is packed), so fixed and changing weights score alike; precision is single.</summary>
    public Func<Func<EncoderBatch, Tensor>> Scorers(bool weightsFixed, Precision precision) => () => Model.CreateInferenceSession().Forward;

    /// <summary>The recurrent kernels run on the managed engine's threads.</summary>
    public int ConcurrentBatches => ManagedBackend.Instance.ConcurrentBatches;

    public void RunBatches(int count, Action<int> runBatch) => ManagedBackend.Instance.RunBatches(count, runBatch);

    public string ConfigJson() => Model.Config.ToJson();

    public void SaveWeights(Stream stream) => Model.SaveWeights(stream);

    /// <summary>The configuration of a fresh recurrent classifier of <paramref name="architecture"/>.</summary>
    public static RecurrentClassifierConfig Configure(TextClassifierArchitecture architecture, RecurrentNetworkOptions sizes,
        int vocabSize, int padTokenId, IReadOnlyList<string> labels) => new()
        {
            Cell = architecture == TextClassifierArchitecture.Gru ? RecurrentCell.Gru : RecurrentCell.Lstm,
            Attention = architecture == TextClassifierArchitecture.AttentionRnn,
            VocabSize = vocabSize,
            PadTokenId = padTokenId,
            EmbeddingSize = sizes.EmbeddingSize,
            HiddenSize = sizes.HiddenSize,
            Layers = sizes.Layers,
            Bidirectional = sizes.Bidirectional,
            AttentionSize = sizes.AttentionSize,
            Labels = labels,
        };

    /// <summary>The architecture a saved configuration describes.</summary>
    public static TextClassifierArchitecture ArchitectureOf(RecurrentClassifierConfig config) =>
        config.Attention ? TextClassifierArchitecture.AttentionRnn
        : config.Cell == RecurrentCell.Gru ? TextClassifierArchitecture.Gru : TextClassifierArchitecture.Lstm;
}

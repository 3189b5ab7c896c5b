using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Recurrent;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>The sizes every network of one experiment shares: vocabulary, width, classes, and the transformer's layers and positions.</summary>
internal sealed record NetworkShape(int Vocabulary, int Width, int Classes, bool Bidirectional, int TransformerLayers, int MaxPositions)
{
    /// <summary>Attention heads of the transformer: 64 features each, as BERT's.</summary>
    public int Heads => Math.Max(1, Width / 64);
}

/// <summary>
/// One contender of the study, trained and measured the same way whatever its architecture: logits (B, K) from a
/// padded batch, their backward, its parameters and its token embedding table.
/// </summary>
internal sealed class StudyNetwork
{
    private readonly Func<EncoderBatch, bool, Tensor> _forward;
    private readonly Action<Tensor> _backward;

    private StudyNetwork(string name, IReadOnlyList<Parameter> parameters, Parameter embeddings, Func<EncoderBatch, bool, Tensor> forward, Action<Tensor> backward)
    {
        (Name, Parameters, Embeddings, _forward, _backward) = (name, parameters, embeddings, forward, backward);
    }

    public string Name { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The token embedding table (V, width).</summary>
    public Parameter Embeddings { get; }

    /// <summary>Parameters outside the embedding tables: what the sequence model itself holds.</summary>
    public long SequenceModelParameters => Parameters.Where(p => !p.Name.Contains("embedding", StringComparison.Ordinal)).Sum(p => (long)p.Value.Length);

    public Tensor Forward(EncoderBatch batch, bool training) => _forward(batch, training);

    public void Backward(Tensor dLogits) => _backward(dLogits);

    /// <summary>An LSTM, GRU or attention-RNN of the shape's width (embeddings as wide as the states), PyTorch's initialisation from <paramref name="seed"/>.</summary>
    public static StudyNetwork Recurrent(string name, RecurrentCell cell, bool attention, NetworkShape shape, ulong seed)
    {
        var model = new RecurrentClassifier(new RecurrentClassifierConfig
        {
            Cell = cell,
            Attention = attention,
            VocabSize = shape.Vocabulary,
            EmbeddingSize = shape.Width,
            HiddenSize = shape.Width,
            AttentionSize = shape.Width,
            Bidirectional = shape.Bidirectional,
            Labels = [.. Enumerable.Range(0, shape.Classes).Select(i => $"class{i}")],
        });
        model.Initialize(seed);
        return new StudyNetwork(name, model.Parameters, model.Parameters[0], model.Forward, model.Backward);
    }

    /// <summary>
    /// A BERT-style encoder (post-LayerNorm layers, GELU, learned positions, feed-forward 4× wide) reading the first
    /// token through the pooler, no dropout, BERT's initialisation from <paramref name="seed"/>.
    /// </summary>
    public static StudyNetwork Transformer(string name, NetworkShape shape, ulong seed)
    {
        var config = BertPresets.Create("tiny", shape.Vocabulary, shape.MaxPositions, padTokenId: 0);
        config.HiddenSize = shape.Width;
        config.NumHiddenLayers = shape.TransformerLayers;
        config.NumAttentionHeads = shape.Heads;
        config.IntermediateSize = 4 * shape.Width;
        (config.HiddenDropoutProb, config.AttentionProbsDropoutProb, config.ClassifierDropout) = (0, 0, 0);
        config.Labels = [.. Enumerable.Range(0, shape.Classes).Select(i => $"class{i}")];
        var model = new BertForSequenceClassification(config, seed);
        model.Initialize(seed);
        return new StudyNetwork(name, model.Parameters, model.Encoder.Embeddings.WordEmbeddings, model.Forward, model.Backward);
    }

    /// <summary>The contenders of an experiment: LSTM, GRU, attention-RNN (when asked) and the transformer.</summary>
    public static List<StudyNetwork> All(NetworkShape shape, ulong seed, bool withAttentionRnn)
    {
        List<StudyNetwork> networks = [Recurrent("LSTM", RecurrentCell.Lstm, false, shape, seed), Recurrent("GRU", RecurrentCell.Gru, false, shape, seed)];
        if (withAttentionRnn) networks.Add(Recurrent("attention-RNN", RecurrentCell.Lstm, true, shape, seed));
        networks.Add(Transformer("transformer", shape, seed));
        return networks;
    }
}

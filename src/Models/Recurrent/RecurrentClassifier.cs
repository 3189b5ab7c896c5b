using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Recurrent;

/// <summary>
/// A recurrent text classifier, the baseline the transformer replaced: token embeddings → (bi)LSTM or GRU layers
/// (<see cref="RecurrentStack"/>) → the last layer's final states, or an additive attention context over all its states
/// (<see cref="AdditiveAttention"/>) → a linear head, logits (B, labels). Reads the ids and attention mask of an
/// <see cref="EncoderBatch"/> (padding at the end of each row). Parameters: <c>embedding.weight</c>,
/// <c>rnn.weight_ih_l0</c> … (PyTorch's names), <c>attention.weight</c>, <c>attention.bias</c>, <c>attention.query</c>,
/// <c>classifier.weight</c>, <c>classifier.bias</c>. No dropout.
/// </summary>
public sealed class RecurrentClassifier
{
    private readonly Parameter _embedding, _classifierWeight, _classifierBias;
    private readonly Parameter? _attentionWeight, _attentionBias, _attentionQuery;
    private readonly RecurrentClassifierPass _training;
    private RecurrentClassifierSession? _inference;

    /// <summary>Creates zero weights; call <see cref="Initialize"/> or <see cref="LoadWeights"/>.</summary>
    /// <exception cref="ArgumentException">The configuration has fewer than two labels.</exception>
    public RecurrentClassifier(RecurrentClassifierConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Labels.Count < 2) throw new ArgumentException($"A classifier needs at least two labels, got {config.Labels.Count}.", nameof(config));
        Config = config;
        _embedding = Create("embedding.weight", config.VocabSize, config.EmbeddingSize);
        Stack = new RecurrentStack(config.Cell, config.EmbeddingSize, config.HiddenSize, config.Layers, config.Bidirectional, "rnn.");
        var features = config.FeatureSize;
        List<Parameter> parameters = [_embedding, .. Stack.Parameters];
        if (config.Attention)
        {
            _attentionWeight = Create("attention.weight", config.AttentionSize, features);
            _attentionBias = Create("attention.bias", config.AttentionSize);
            _attentionQuery = Create("attention.query", config.AttentionSize);
            parameters.AddRange([_attentionWeight, _attentionBias, _attentionQuery]);
        }
        _classifierWeight = Create("classifier.weight", config.Labels.Count, features);
        _classifierBias = Create("classifier.bias", config.Labels.Count);
        parameters.AddRange([_classifierWeight, _classifierBias]);
        Parameters = parameters;
        _training = new RecurrentClassifierPass(Stack);
    }

    /// <summary>The configuration.</summary>
    public RecurrentClassifierConfig Config { get; }

    /// <summary>The recurrent layers.</summary>
    public RecurrentStack Stack { get; }

    /// <summary>Every parameter under the name it is saved with.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// PyTorch's default initialisation, from <paramref name="seed"/>: embeddings N(0, 1) (the padding row 0), recurrent
    /// weights U(−1/√H, 1/√H), linear layers U(−1/√in, 1/√in), the attention query U(−1/√A, 1/√A).
    /// </summary>
    public void Initialize(ulong seed)
    {
        var rng = new Rng(seed);
        rng.FillNormal(_embedding.Value.Span, 0f, 1f);
        _embedding.Value.Span.Slice(Config.PadTokenId * Config.EmbeddingSize, Config.EmbeddingSize).Clear();
        Stack.Initialize(rng);
        var featureBound = 1f / MathF.Sqrt(Config.FeatureSize);
        foreach (var p in new[] { _attentionWeight, _attentionBias, _classifierWeight, _classifierBias })
            if (p is not null) rng.FillUniform(p.Value.Span, -featureBound, featureBound);
        if (_attentionQuery is not null)
        {
            var queryBound = 1f / MathF.Sqrt(Config.AttentionSize);
            rng.FillUniform(_attentionQuery.Value.Span, -queryBound, queryBound);
        }
    }

    /// <summary>
    /// Logits (B, labels), owned by the model until its next forward. With <paramref name="training"/> the model keeps
    /// what <see cref="Backward"/> needs; inference runs on a session of its own.
    /// </summary>
    /// <exception cref="ArgumentException">An id is outside the vocabulary.</exception>
    public Tensor Forward(EncoderBatch batch, bool training) =>
        training ? Forward(_training, batch) : (_inference ??= CreateInferenceSession()).Forward(batch);

    /// <summary>Adds to every parameter's gradient the gradient of the loss whose gradient for the last training forward's logits is dLogits (B, labels).</summary>
    /// <exception cref="InvalidOperationException">No training forward preceded.</exception>
    public void Backward(Tensor dLogits)
    {
        ArgumentNullException.ThrowIfNull(dLogits);
        var pass = _training;
        var batch = pass.Batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var output = pass.Output!;
        var (b, t, d) = (batch.BatchSize, batch.SequenceLength, Config.FeatureSize);
        var dFeatures = pass.FeatureGradient.Get(b, d); // (B, D)
        var features = pass.Features.Get(b, d);
        Linear.Backward(dLogits.Span, features.Span, _classifierWeight.Value.Span, dFeatures.Span, _classifierWeight.Gradient.Span,
            _classifierBias.Gradient.Span, b, d, Config.Labels.Count);
        var dOutput = pass.OutputGradient.Get(b, t, d); // (B, T, D)
        dOutput.Fill(0f);
        if (Config.Attention)
        {
            AdditiveAttention.Backward(dFeatures.Span, output.Span, pass.Lengths, _attentionWeight!.Value.Span, _attentionQuery!.Value.Span,
                pass.Projected.Get(b, t, Config.AttentionSize).Span, pass.Attention.Get(b, t).Span, dOutput.Span, _attentionWeight.Gradient.Span,
                _attentionBias!.Gradient.Span, _attentionQuery.Gradient.Span, pass.ProjectedGradient.Get(b, t, Config.AttentionSize).Span, b, t);
        }
        else
        {
            Stack.FinalStatesBackward(dFeatures.Span, pass.Lengths, dOutput);
        }
        var dEmbedded = Stack.Backward(dOutput, pass.Activations); // (B, T, E)
        Embedding.Backward(batch.InputIds, dEmbedded.Span, _embedding.Gradient.Span, Config.EmbeddingSize);
    }

    /// <summary>An inference session with buffers of its own over the model's current weights (read at each call).</summary>
    public RecurrentClassifierSession CreateInferenceSession() => new(this);

    /// <summary>
    /// The attention-RNN's weights over time: α (B, T) for each position of each text of <paramref name="batch"/>, how
    /// much of the context vector the head reads comes from that position's states (each row sums to 1 over the text's
    /// positions, 0 at padding). Thread-safe: runs on a session of its own.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model reads final states, not attention (<see cref="RecurrentClassifierConfig.Attention"/> is false).</exception>
    public float[] ComputeAttentionWeights(EncoderBatch batch)
    {
        var session = CreateInferenceSession();
        session.Forward(batch);
        return session.AttentionWeights.ToArray();
    }

    /// <summary>Writes the parameters as safetensors bytes (F32: a round trip is bit-exact).</summary>
    public void SaveWeights(Stream stream) =>
        SafetensorsWriter.Write(stream, Parameters.Select(p => new NamedTensor(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)));

    /// <summary>Fills every parameter from <paramref name="source"/>, which must hold exactly these tensors.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing, unexpected or of another shape (the message names it).</exception>
    public void LoadWeights(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bindings = Parameters.Select(p => new ParameterBinding(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)).ToList();
        CheckpointLoader.Load(source, bindings, basePrefix: "").EnsureComplete(allowUnexpected: false);
    }

    /// <summary>Logits (B, K) of <paramref name="batch"/> on <paramref name="pass"/>'s buffers, keeping what backward needs.</summary>
    internal Tensor Forward(RecurrentClassifierPass pass, EncoderBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (b, t, e, d) = (batch.BatchSize, batch.SequenceLength, Config.EmbeddingSize, Config.FeatureSize);
        pass.Batch = batch;
        pass.Lengths = LengthsOf(batch);
        var embedded = pass.Embedded.Get(b, t, e); // (B, T, E)
        Embedding.Forward(batch.InputIds, _embedding.Value.Span, embedded.Span, e);
        var output = Stack.Forward(embedded, pass.Lengths, pass.Activations); // (B, T, D)
        pass.Output = output;
        var features = pass.Features.Get(b, d); // (B, D)
        if (Config.Attention)
        {
            AdditiveAttention.Forward(output.Span, pass.Lengths, _attentionWeight!.Value.Span, _attentionBias!.Value.Span, _attentionQuery!.Value.Span,
                pass.Projected.Get(b, t, Config.AttentionSize).Span, pass.Attention.Get(b, t).Span, features.Span, b, t);
        }
        else
        {
            Stack.FinalStates(output, pass.Lengths, features.Span);
        }
        var logits = pass.Logits.Get(b, Config.Labels.Count); // (B, K)
        Linear.Forward(features.Span, _classifierWeight.Value.Span, _classifierBias.Value.Span, logits.Span, b, d, Config.Labels.Count);
        return logits;
    }

    /// <summary>Each row's length: its attention mask's ones, which lead the row (padding is at the end).</summary>
    /// <exception cref="ArgumentException">A row has a real token after padding.</exception>
    private static int[] LengthsOf(EncoderBatch batch)
    {
        var lengths = new int[batch.BatchSize];
        for (var row = 0; row < batch.BatchSize; row++)
        {
            var mask = batch.AttentionMask.AsSpan(row * batch.SequenceLength, batch.SequenceLength);
            var length = mask.IndexOf(0);
            lengths[row] = length < 0 ? mask.Length : length;
            if (mask[lengths[row]..].ContainsAnyExcept(0))
                throw new ArgumentException($"Row {row} of the batch has a token after padding; a recurrent model needs padding at the end.", nameof(batch));
        }
        return lengths;
    }

    private static Parameter Create(string name, params int[] shape) =>
        new(name, new Tensor(shape), new Tensor(shape), weightDecay: shape.Length > 1);
}

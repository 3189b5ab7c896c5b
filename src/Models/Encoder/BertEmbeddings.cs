using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Token embeddings: <c>LayerNorm(word[id] + position[p] + token_type[type])</c>, then dropout in training.
/// Positions are learned (<c>embeddings.position_embeddings.weight</c>) or the fixed sinusoidal table; DistilBERT
/// has no token types.
/// </summary>
public sealed class BertEmbeddings
{
    private const string Prefix = "embeddings.";
    private readonly BertConfig _config;
    private readonly Rng _dropoutRng;
    private readonly ComputeBackend _backend;
    private readonly DeviceTensor? _sinusoidal; // (P, C) fixed table when positions are not learned
    private readonly List<Parameter> _parameters = [];
    private readonly EmbeddingBuffers _work;
    private readonly DeviceBuffer _mean, _rstd, _dSum;
    private readonly HostExchange _hostOutput;
    private readonly DeviceParameter _word, _norm, _normBias;
    private readonly DeviceParameter? _position, _tokenType;
    private EncoderBatch? _batch;
    private ulong? _dropoutKey;

    /// <summary>Creates zero embeddings (load or initialise them) for <paramref name="config"/>.</summary>
    /// <param name="config">Sizes and position semantics.</param>
    /// <param name="dropoutRng">Source of the dropout stream keys.</param>
    /// <param name="backend">Where the embeddings compute; null for the managed engine.</param>
    public BertEmbeddings(BertConfig config, Rng dropoutRng, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _dropoutRng = dropoutRng;
        _backend = backend ?? ManagedBackend.Instance;
        (_work, _mean, _rstd, _dSum) = (new(_backend), _backend.CreateBuffer(), _backend.CreateBuffer(), _backend.CreateBuffer());
        _hostOutput = new HostExchange(_backend);
        var c = config.HiddenSize;
        WordEmbeddings = Add(ModelParameters.Create(Prefix + "word_embeddings.weight", config.VocabSize, c));
        if (config.PositionEmbeddingType == PositionEmbeddingType.Absolute)
            PositionEmbeddings = Add(ModelParameters.Create(Prefix + "position_embeddings.weight", config.MaxPositionEmbeddings, c));
        else
            _sinusoidal = _backend.Constant(Tensor.Wrap(SinusoidalPositions.Table(config.MaxPositionEmbeddings, c), 0, config.MaxPositionEmbeddings, c));
        if (config.TypeVocabSize > 0)
            TokenTypeEmbeddings = Add(ModelParameters.Create(Prefix + "token_type_embeddings.weight", config.TypeVocabSize, c));
        (NormWeight, NormBias) = ModelParameters.LayerNorm(Prefix + "LayerNorm", c);
        Add(NormWeight);
        Add(NormBias);
        (_word, _norm, _normBias) = (_backend.Bind(WordEmbeddings), _backend.Bind(NormWeight), _backend.Bind(NormBias));
        _position = PositionEmbeddings is null ? null : _backend.Bind(PositionEmbeddings);
        _tokenType = TokenTypeEmbeddings is null ? null : _backend.Bind(TokenTypeEmbeddings);
        Device = [.. new[] { _word, _position, _tokenType, _norm, _normBias }.OfType<DeviceParameter>()];
    }

    /// <summary>The word table (V, C); the masked-LM decoder shares it.</summary>
    public Parameter WordEmbeddings { get; }

    /// <summary>The word table as the backend holds it (the masked-LM decoder computes with it).</summary>
    internal DeviceParameter WordDevice => _word;

    /// <summary>The learned position table (P, C), or null with sinusoidal positions.</summary>
    public Parameter? PositionEmbeddings { get; }

    /// <summary>The token type table (types, C), or null for DistilBERT.</summary>
    public Parameter? TokenTypeEmbeddings { get; }

    /// <summary>The LayerNorm scale (C), <c>embeddings.LayerNorm.weight</c>.</summary>
    internal Parameter NormWeight { get; }

    /// <summary>The LayerNorm shift (C), <c>embeddings.LayerNorm.bias</c>.</summary>
    internal Parameter NormBias { get; }

    /// <summary>The parameters, named as in a Hugging Face checkpoint (<c>embeddings.word_embeddings.weight</c>, ...).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters as the backend holds them.</summary>
    internal IReadOnlyList<DeviceParameter> Device { get; }

    /// <summary>Embeds a batch into hidden states (B, T, C) on the host, owned by this object until the next call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id or token type is outside its table.</exception>
    public Tensor Forward(EncoderBatch batch, bool training) => _hostOutput.ToHost(ForwardOnDevice(batch, training));

    /// <summary>Embeds a batch into hidden states (B, T, C) on the backend, owned by this object until the next call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id or token type is outside its table.</exception>
    internal DeviceTensor ForwardOnDevice(EncoderBatch batch, bool training)
    {
        var n = batch.TokenCount;
        var output = Embed(batch, _work, training ? _mean.Get(n) : null, training ? _rstd.Get(n) : null);
        _batch = training ? batch : null;
        _dropoutKey = null;
        if (training && _config.HiddenDropoutProb > 0)
        {
            _dropoutKey = _dropoutRng.NextStreamKey();
            _backend.Dropout(output, output, (float)_config.HiddenDropoutProb, _dropoutKey.Value);
        }
        return output;
    }

    /// <summary>
    /// The inference forward into hidden states (B, T, C) owned by <paramref name="buffers"/>: it changes nothing in
    /// this object, so threads may run it at once, each with buffers of its own.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id or token type is outside its table.</exception>
    internal DeviceTensor Infer(EncoderBatch batch, EmbeddingBuffers buffers) => Embed(batch, buffers, null, null);

    /// <summary><c>LayerNorm(word + position + token_type)</c> into <paramref name="w"/>'s output, keeping the LayerNorm statistics when given room.</summary>
    private DeviceTensor Embed(EncoderBatch batch, EmbeddingBuffers w, DeviceTensor? mean, DeviceTensor? rstd)
    {
        var (n, c) = (batch.TokenCount, _config.HiddenSize);
        var positions = w.Positions(n);
        PositionIds.Compute(_config, batch, positions);

        var sum = w.Sum.Get(n, c); // (N, C)
        var gathered = w.Gathered.Get(n, c); // (N, C)
        _backend.Embedding(batch.InputIds, _word.Value, sum);
        _backend.Embedding(positions, _position?.Value ?? _sinusoidal!, gathered);
        _backend.Add(sum, gathered, sum);
        if (_tokenType is not null)
        {
            _backend.Embedding(batch.TokenTypeIds, _tokenType.Value, gathered);
            _backend.Add(sum, gathered, sum);
        }
        var output = w.Output.Get(batch.BatchSize, batch.SequenceLength, c);
        _backend.LayerNorm(sum, _norm.Value, _normBias.Value, output, mean, rstd, (float)_config.LayerNormEps);
        return output;
    }

    /// <summary>Adds the gradients of the tables and the LayerNorm for the upstream gradient (B, T, C); overwrites it.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    internal void Backward(DeviceTensor dOutput)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c) = (batch.TokenCount, _config.HiddenSize);
        if (_dropoutKey is { } key) _backend.Dropout(dOutput, dOutput, (float)_config.HiddenDropoutProb, key);
        var dSum = _dSum.Get(n, c); // (N, C)
        _backend.LayerNormBackward(dOutput, _work.Sum.Get(n, c), _norm.Value, _mean.Get(n), _rstd.Get(n),
            dSum, _norm.Gradient, _normBias.Gradient);
        // The padding row of the word (and RoBERTa's position) table never receives a gradient, as PyTorch's padding_idx.
        _backend.EmbeddingBackward(batch.InputIds, dSum, _word.Gradient, _config.PadTokenId);
        if (_position is not null)
        {
            var padding = _config.Architecture == EncoderArchitecture.Roberta ? _config.PadTokenId : (int?)null;
            _backend.EmbeddingBackward(_work.Positions(n), dSum, _position.Gradient, padding);
        }
        if (_tokenType is not null) _backend.EmbeddingBackward(batch.TokenTypeIds, dSum, _tokenType.Gradient, null);
    }

    /// <summary>Zeroes the word embedding of <c>pad_token_id</c>, as Hugging Face initialises a padding row.</summary>
    public void ZeroPaddingRow() => WordEmbeddings.Value.Span.Slice(_config.PadTokenId * _config.HiddenSize, _config.HiddenSize).Clear();

    private Parameter Add(Parameter parameter)
    {
        _parameters.Add(parameter);
        return parameter;
    }
}

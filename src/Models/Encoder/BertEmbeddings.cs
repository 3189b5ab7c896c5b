using MLNet.Transformers.Models.Configuration;
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
    private readonly float[]? _sinusoidal; // (P, C) fixed table when positions are not learned
    private readonly List<Parameter> _parameters = [];
    private readonly EmbeddingBuffers _work = new();
    private readonly TensorBuffer _mean = new(), _rstd = new(), _dSum = new();
    private readonly float[] _paddingRowGradient; // (C) the padding row's gradient, kept across a backward
    private EncoderBatch? _batch;
    private ulong? _dropoutKey;

    /// <summary>Creates zero embeddings (load or initialise them) for <paramref name="config"/>.</summary>
    public BertEmbeddings(BertConfig config, Rng dropoutRng)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _dropoutRng = dropoutRng;
        var c = config.HiddenSize;
        _paddingRowGradient = new float[c];
        WordEmbeddings = Add(ModelParameters.Create(Prefix + "word_embeddings.weight", config.VocabSize, c));
        if (config.PositionEmbeddingType == PositionEmbeddingType.Absolute)
            PositionEmbeddings = Add(ModelParameters.Create(Prefix + "position_embeddings.weight", config.MaxPositionEmbeddings, c));
        else
            _sinusoidal = SinusoidalPositions.Table(config.MaxPositionEmbeddings, c);
        if (config.TypeVocabSize > 0)
            TokenTypeEmbeddings = Add(ModelParameters.Create(Prefix + "token_type_embeddings.weight", config.TypeVocabSize, c));
        (NormWeight, NormBias) = ModelParameters.LayerNorm(Prefix + "LayerNorm", c);
        Add(NormWeight);
        Add(NormBias);
    }

    /// <summary>The word table (V, C); the masked-LM decoder shares it.</summary>
    public Parameter WordEmbeddings { get; }

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

    /// <summary>Embeds a batch into hidden states (B, T, C), owned by this object until the next call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id or token type is outside its table.</exception>
    public Tensor Forward(EncoderBatch batch, bool training)
    {
        var n = batch.TokenCount;
        var output = Embed(batch, _work, training ? _mean.Get(n).Span : [], training ? _rstd.Get(n).Span : []);
        _batch = training ? batch : null;
        _dropoutKey = null;
        if (training && _config.HiddenDropoutProb > 0)
        {
            _dropoutKey = _dropoutRng.NextStreamKey();
            Dropout.Forward(output.Span, output.Span, (float)_config.HiddenDropoutProb, _dropoutKey.Value);
        }
        return output;
    }

    /// <summary>
    /// The inference forward into hidden states (B, T, C) owned by <paramref name="buffers"/>: it changes nothing in
    /// this object, so threads may run it at once, each with buffers of its own.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id or token type is outside its table.</exception>
    internal Tensor Infer(EncoderBatch batch, EmbeddingBuffers buffers) => Embed(batch, buffers, [], []);

    /// <summary><c>LayerNorm(word + position + token_type)</c> into <paramref name="w"/>'s output, keeping the LayerNorm statistics when given room.</summary>
    private Tensor Embed(EncoderBatch batch, EmbeddingBuffers w, Span<float> mean, Span<float> rstd)
    {
        var (n, c) = (batch.TokenCount, _config.HiddenSize);
        var positions = w.Positions(n);
        PositionIds.Compute(_config, batch, positions);

        var sum = w.Sum.Get(n, c).Span; // (N, C)
        var gathered = w.Gathered.Get(n, c).Span; // (N, C)
        Embedding.Forward(batch.InputIds, WordEmbeddings.Value.Span, sum, c);
        Embedding.Forward(positions, PositionEmbeddings is { } learned ? learned.Value.Span : _sinusoidal, gathered, c);
        Residual.Forward(sum, gathered, sum);
        if (TokenTypeEmbeddings is not null)
        {
            Embedding.Forward(batch.TokenTypeIds, TokenTypeEmbeddings.Value.Span, gathered, c);
            Residual.Forward(sum, gathered, sum);
        }
        var output = w.Output.Get(batch.BatchSize, batch.SequenceLength, c);
        LayerNorm.Forward(sum, NormWeight.Value.Span, NormBias.Value.Span, output.Span, mean, rstd, n, (float)_config.LayerNormEps);
        return output;
    }

    /// <summary>Adds the gradients of the tables and the LayerNorm for the upstream gradient (B, T, C); overwrites it.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public void Backward(Tensor dOutput)
    {
        var batch = _batch ?? throw new InvalidOperationException("Backward needs a preceding Forward with training: true.");
        var (n, c) = (batch.TokenCount, _config.HiddenSize);
        if (_dropoutKey is { } key) Dropout.Backward(dOutput.Span, dOutput.Span, (float)_config.HiddenDropoutProb, key);
        var dSum = _dSum.Get(n, c).Span; // (N, C)
        LayerNorm.Backward(dOutput.Span, _work.Sum.Get(n, c).Span, NormWeight.Value.Span, _mean.Get(n).Span, _rstd.Get(n).Span,
            dSum, NormWeight.Gradient.Span, NormBias.Gradient.Span, n);
        BackwardSkippingPadding(batch.InputIds, dSum, WordEmbeddings.Gradient.Span, c);
        if (PositionEmbeddings is not null)
        {
            var positions = _work.Positions(n);
            if (_config.Architecture == EncoderArchitecture.Roberta) BackwardSkippingPadding(positions, dSum, PositionEmbeddings.Gradient.Span, c);
            else Embedding.Backward(positions, dSum, PositionEmbeddings.Gradient.Span, c);
        }
        if (TokenTypeEmbeddings is not null) Embedding.Backward(batch.TokenTypeIds, dSum, TokenTypeEmbeddings.Gradient.Span, c);
    }

    /// <summary>Zeroes the word embedding of <c>pad_token_id</c>, as Hugging Face initialises a padding row.</summary>
    public void ZeroPaddingRow() => WordEmbeddings.Value.Span.Slice(_config.PadTokenId * _config.HiddenSize, _config.HiddenSize).Clear();

    /// <summary>
    /// Scatter-adds into a table whose <c>pad_token_id</c> row is a padding row (PyTorch's <c>padding_idx</c>): that
    /// row never receives a gradient, as in Hugging Face's word (and RoBERTa's position) embeddings.
    /// </summary>
    private void BackwardSkippingPadding(ReadOnlySpan<int> ids, ReadOnlySpan<float> dSum, Span<float> dTable, int c)
    {
        var paddingRow = dTable.Slice(_config.PadTokenId * c, c);
        paddingRow.CopyTo(_paddingRowGradient);
        Embedding.Backward(ids, dSum, dTable, c);
        _paddingRowGradient.CopyTo(paddingRow);
    }

    private Parameter Add(Parameter parameter)
    {
        _parameters.Add(parameter);
        return parameter;
    }
}

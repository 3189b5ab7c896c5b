using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder with a task head, saved as Hugging Face saves <c>*For*</c> models: the encoder's parameters under the
/// architecture prefix (<c>bert.</c>, <c>roberta.</c>, <c>distilbert.</c>), then the head's own.
/// </summary>
public abstract class EncoderWithHead : IPretrainedModel
{
    private readonly List<Parameter> _parameters = [];
    private readonly TensorBuffer _probabilities = new();
    private readonly TensorBuffer _dLogits = new();

    /// <summary>Creates the encoder; the derived class adds its head with <see cref="AddHeadParameters"/>.</summary>
    private protected EncoderWithHead(BertModel encoder)
    {
        Encoder = encoder;
        var prefix = PretrainedWeights.BasePrefix(encoder.Config.Architecture);
        _parameters.AddRange(encoder.Parameters.Select(p => p.WithName(prefix + p.Name)));
    }

    /// <summary>The encoder.</summary>
    public BertModel Encoder { get; }

    /// <inheritdoc />
    public BertConfig Config => Encoder.Config;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Every parameter as the encoder's backend computes with it, encoder then head (see
    /// <see cref="Execution.DeviceParameterMap"/> to match them to <see cref="Parameters"/>).
    /// </summary>
    public IReadOnlyList<Execution.DeviceParameter> DeviceParameters => [.. Encoder.DeviceParameters, .. HeadDeviceParameters];

    /// <summary>The head's parameters as the backend computes with them.</summary>
    private protected abstract IEnumerable<Execution.DeviceParameter> HeadDeviceParameters { get; }

    /// <summary>BERT initialisation of every parameter from <paramref name="seed"/> (the padding word embedding zero).</summary>
    public void Initialize(ulong seed)
    {
        ModelParameters.Initialize(_parameters, new Rng(seed), (float)Config.InitializerRange);
        Encoder.Embeddings.ZeroPaddingRow();
    }

    /// <summary>Restarts every dropout stream (encoder and head) as if the model had been built with <paramref name="seed"/>.</summary>
    public virtual void ReseedDropout(ulong seed) => Encoder.ReseedDropout(seed);

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in _parameters) parameter.ZeroGradient();
    }

    /// <summary>Logits, owned by the model until its next forward.</summary>
    public abstract Tensor Forward(EncoderBatch batch, bool training);

    /// <summary>Backward of the last training forward for the gradient of its logits: adds every parameter's gradient.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public abstract void Backward(Tensor dLogits);

    /// <summary>
    /// A training forward, the mean cross-entropy of the logit rows against <paramref name="labels"/> (one per row;
    /// <see cref="CrossEntropyOptions.IgnoreIndex"/> leaves a row out) and the backward pass. Gradients are added:
    /// clear them between steps. Returns the loss.
    /// </summary>
    /// <param name="batch">The inputs.</param>
    /// <param name="labels">One class per logit row.</param>
    /// <param name="options">Ignore index, label smoothing and class weights; null for PyTorch's defaults.</param>
    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options = null)
    {
        var logits = Forward(batch, training: true); // (rows, classes)
        var (rows, classes) = (logits.Size(0), logits.Size(1));
        var probabilities = _probabilities.Get(rows, classes); // (rows, classes)
        var dLogits = _dLogits.Get(rows, classes);             // (rows, classes)
        var loss = CrossEntropy.Forward(logits.Span, labels, probabilities.Span, classes, options);
        CrossEntropy.Backward(probabilities.Span, labels, dLogits.Span, classes, options);
        Backward(dLogits);
        return loss;
    }

    /// <summary>Appends the head's parameters after the encoder's.</summary>
    private protected void AddHeadParameters(IEnumerable<Parameter> head) => _parameters.AddRange(head);
}

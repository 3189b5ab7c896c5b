using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Heads;

/// <summary>
/// An encoder with a task head, saved as Hugging Face saves <c>*For*</c> models: the encoder's parameters under the
/// architecture prefix (<c>bert.</c>, <c>roberta.</c>, <c>distilbert.</c>), then the head's own.
/// </summary>
public abstract class EncoderWithHead : IPretrainedModel
{
    private readonly List<Parameter> _parameters = [];
    private readonly DeviceBuffer _dLogits, _lossScratch;
    private readonly HostExchange _hostDLogits;

    /// <summary>Creates the encoder; the derived class adds its head with <see cref="AddHeadParameters"/>.</summary>
    private protected EncoderWithHead(BertModel encoder)
    {
        Encoder = encoder;
        var prefix = PretrainedWeights.BasePrefix(encoder.Config.Architecture);
        _parameters.AddRange(encoder.Parameters.Select(p => p.WithName(prefix + p.Name)));
        var ops = encoder.Backend;
        (_dLogits, _lossScratch, _hostDLogits) = (ops.CreateBuffer(), ops.CreateBuffer(), new HostExchange(ops));
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
    public void Backward(Tensor dLogits)
    {
        ArgumentNullException.ThrowIfNull(dLogits);
        BackwardOnDevice(_hostDLogits.ToDevice(dLogits));
    }

    /// <summary>
    /// A training forward, the mean cross-entropy of the logit rows against <paramref name="labels"/> (one per row;
    /// <see cref="CrossEntropyOptions.IgnoreIndex"/> leaves a row out) and the backward pass, the loss on the backend
    /// (no logits cross to the host). Gradients of <paramref name="lossScale"/> × the loss are added: clear them between
    /// steps. Returns the loss (unscaled).
    /// </summary>
    /// <param name="batch">The inputs.</param>
    /// <param name="labels">One class per logit row.</param>
    /// <param name="options">Ignore index, label smoothing and class weights; null for PyTorch's defaults.</param>
    /// <param name="lossScale">The factor of the gradients (e.g. 1 / accumulation steps). Default 1.</param>
    public float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options = null, float lossScale = 1f) =>
        LossBackward(TrainingForward(batch), labels, options, lossScale);

    /// <summary>The training forward's logits (rows, classes) on the backend, keeping what <see cref="BackwardOnDevice"/> needs.</summary>
    private protected abstract DeviceTensor TrainingForward(EncoderBatch batch);

    /// <summary>Backward of the last training forward from the gradient of its logits on the backend.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    private protected abstract void BackwardOnDevice(DeviceTensor dLogits);

    /// <summary>The loss of training <paramref name="logits"/> on the backend and the backward from its gradient (× <paramref name="lossScale"/>); returns the loss.</summary>
    private protected float LossBackward(DeviceTensor logits, ReadOnlySpan<int> labels, CrossEntropyOptions? options, float lossScale)
    {
        var dLogits = _dLogits.Get(logits.Shape.ToArray()); // as the logits
        var loss = Encoder.Backend.CrossEntropy(logits, labels, options, dLogits, lossScale, _lossScratch);
        BackwardOnDevice(dLogits);
        return loss;
    }

    /// <summary>The mean loss of inference <paramref name="logits"/> against <paramref name="labels"/>, on the backend.</summary>
    private protected float Loss(DeviceTensor logits, ReadOnlySpan<int> labels) =>
        Encoder.Backend.CrossEntropy(logits, labels, null, null, 1f, _lossScratch);

    /// <summary>Appends the head's parameters after the encoder's.</summary>
    private protected void AddHeadParameters(IEnumerable<Parameter> head) => _parameters.AddRange(head);
}

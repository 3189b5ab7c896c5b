using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// GPT-2 with a classification head, as Hugging Face's <c>GPT2ForSequenceClassification</c>: the decoder
/// (<c>transformer.*</c>, see <see cref="Gpt2LMHeadModel"/>) and <c>score</c>, a linear layer without bias (K, C) over
/// the final hidden state of each sequence's last real token (last-token pooling: a causal model has read the whole
/// text only there). Batches are right-padded with an attention mask (B·T, 1 for real tokens), and the pooled token is
/// the last one the mask marks real, which is Hugging Face's choice (the token before the first <c>pad_token_id</c>)
/// when the padding follows the text. The class names are the config's <see cref="Gpt2Config.Labels"/>. The model
/// computes on the decoder's <see cref="Gpt2LMHeadModel.Backend"/>.
/// </summary>
public sealed class Gpt2ForSequenceClassification
{
    private const string ScoreName = "score.weight";

    /// <summary>The metadata Hugging Face writes, which its loaders check for.</summary>
    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt" };

    private readonly DeviceBuffer _pooled, _logits, _dPooled, _dHidden, _dLogits, _lossScratch;
    private readonly HostExchange _hostLogits, _hostDLogits;
    private readonly DeviceParameter _score;
    private int[] _lastTokens = [];
    private int _tokens;

    /// <summary>Creates a model with zero weights; load a checkpoint or call <see cref="Initialize"/>.</summary>
    /// <param name="config">Sizes and semantics, with at least two <see cref="Gpt2Config.Labels"/>; validated.</param>
    /// <param name="dropoutSeed">Seed of the dropout streams, for reproducible training.</param>
    /// <param name="backend">Where the model computes; null for the managed engine.</param>
    /// <exception cref="InvalidDataException">The configuration is invalid or names fewer than two classes.</exception>
    public Gpt2ForSequenceClassification(Gpt2Config config, ulong dropoutSeed = 0, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Labels is not { Count: >= 2 } labels)
            throw new InvalidDataException($"{Gpt2Config.FileName}: a classifier needs at least two classes (id2label), got {config.Labels?.Count ?? 0}.");
        Decoder = new Gpt2LMHeadModel(config, dropoutSeed, backend);
        var ops = Decoder.Backend;
        Score = ModelParameters.Create(ScoreName, labels.Count, config.HiddenSize);
        _score = ops.Bind(Score);
        (_pooled, _logits, _dPooled, _dHidden) = (ops.CreateBuffer(), ops.CreateBuffer(), ops.CreateBuffer(), ops.CreateBuffer());
        (_dLogits, _lossScratch) = (ops.CreateBuffer(), ops.CreateBuffer());
        (_hostLogits, _hostDLogits) = (new HostExchange(ops), new HostExchange(ops));
        Parameters = [.. Decoder.Parameters, Score];
    }

    /// <summary>The configuration, saved as <c>config.json</c>.</summary>
    public Gpt2Config Config => Decoder.Config;

    /// <summary>The decoder whose final hidden states the head reads (its tied LM head unused).</summary>
    public Gpt2LMHeadModel Decoder { get; }

    /// <summary>The head <c>score.weight</c> (K, C).</summary>
    public Parameter Score { get; }

    /// <summary>Every parameter under its Hugging Face <c>GPT2ForSequenceClassification</c> name.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Every parameter as the decoder's backend computes with it, decoder then head (see <see cref="DeviceParameterMap"/>).</summary>
    public IReadOnlyList<DeviceParameter> DeviceParameters => [.. Decoder.DeviceParameters, _score];

    /// <summary>The number of classes K.</summary>
    public int ClassCount => Score.Value.Size(0);

    /// <summary>GPT-2's initialisation of the decoder (<see cref="Gpt2LMHeadModel.Initialize"/>) and the head from N(0, initializer_range²).</summary>
    public void Initialize(ulong seed)
    {
        Decoder.Initialize(seed);
        new Rng(seed ^ 0x5C0DEUL).FillNormal(Score.Value.Span, 0f, (float)Config.InitializerRange);
    }

    /// <summary>
    /// Logits (B, K) of a right-padded batch: ids (B·T, row-major) and attention mask (B·T, 1 for real tokens, at
    /// least one per sequence; empty when no sequence is padded), owned by the model until its next forward. With
    /// <paramref name="training"/> dropout is active and the activations are kept for <see cref="Backward"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The ids do not split into the batch, a sequence has no real token, or the mask is not one per id.</exception>
    public Tensor Forward(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<float> attentionMask, bool training) =>
        _hostLogits.ToHost(LogitsOnDevice(inputIds, batchSize, attentionMask, training));

    /// <summary>
    /// A training step: the forward (as <see cref="Forward"/>), the mean cross-entropy against <paramref name="labels"/>
    /// (one class per sequence) and the backward pass, the loss on the backend (no logits cross to the host). Gradients
    /// of <paramref name="lossScale"/> × the loss are added: clear them between steps. Returns the loss (unscaled).
    /// </summary>
    /// <param name="inputIds">B·T ids, row-major.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="attentionMask">B·T, 1 for real tokens; empty when no sequence is padded.</param>
    /// <param name="labels">One class per sequence (B).</param>
    /// <param name="options">Ignore index, label smoothing and class weights; null for PyTorch's defaults.</param>
    /// <param name="lossScale">The factor of the gradients (e.g. 1 / accumulation steps). Default 1.</param>
    /// <exception cref="ArgumentException">The inputs do not form the batch, or the labels are not one per sequence.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is not a class.</exception>
    public float ForwardBackward(
        ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<float> attentionMask, ReadOnlySpan<int> labels,
        CrossEntropyOptions? options = null, float lossScale = 1f)
    {
        var logits = LogitsOnDevice(inputIds, batchSize, attentionMask, training: true); // (B, K)
        var dLogits = _dLogits.Get(batchSize, ClassCount); // (B, K)
        var loss = Decoder.Backend.CrossEntropy(logits, labels, options, dLogits, lossScale, _lossScratch);
        BackwardOnDevice(dLogits);
        return loss;
    }

    /// <summary>Logits (B, K) on the backend.</summary>
    private DeviceTensor LogitsOnDevice(ReadOnlySpan<int> inputIds, int batchSize, ReadOnlySpan<float> attentionMask, bool training)
    {
        var hidden = Decoder.FinalHidden(inputIds, batchSize, training, attentionMask); // (B·T, C)
        var (t, c, k) = (inputIds.Length / batchSize, Config.HiddenSize, ClassCount);
        (_lastTokens, _tokens) = (LastRealTokens(attentionMask, batchSize, t), batchSize * t);
        var ops = Decoder.Backend;
        ops.PushValues([_score]);
        var pooled = _pooled.Get(batchSize, c); // (B, C)
        ops.GatherRows(hidden, _lastTokens, pooled);
        var logits = _logits.Get(batchSize, k); // (B, K)
        ops.Linear(pooled, _score.Value, null, logits);
        return logits;
    }

    /// <summary>Backward of the last training forward from the gradient of its logits (B, K): adds every parameter's gradient.</summary>
    /// <exception cref="InvalidOperationException">The last forward was not a training forward.</exception>
    public void Backward(Tensor dLogits)
    {
        ArgumentNullException.ThrowIfNull(dLogits);
        dLogits.RequireShape("logits gradient", _lastTokens.Length, ClassCount);
        BackwardOnDevice(_hostDLogits.ToDevice(dLogits));
    }

    /// <summary>Backward of the last training forward from the gradient of its logits (B, K) on the backend.</summary>
    private void BackwardOnDevice(DeviceTensor dLogits)
    {
        var (b, c) = (_lastTokens.Length, Config.HiddenSize);
        var ops = Decoder.Backend;
        var dPooled = _dPooled.Get(b, c); // (B, C)
        ops.LinearBackward(dLogits, _pooled.Get(b, c), _score.Value, dPooled, _score.Gradient, null);
        ops.PullGradients([_score]);
        var dHidden = _dHidden.Get(_tokens, c); // (B·T, C): zero but at the pooled tokens
        ops.Fill(dHidden, 0f);
        ops.GatherRowsBackward(dPooled, _lastTokens, dHidden);
        Decoder.BackwardFinalHidden(dHidden);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var parameter in Parameters) parameter.ZeroGradient();
    }

    /// <summary>Restarts the dropout streams as if the model had been built with <paramref name="seed"/>.</summary>
    public void ReseedDropout(ulong seed) => Decoder.ReseedDropout(seed);

    /// <summary>
    /// Fills the parameters from a checkpoint (a weights file, an index, or a directory) saved from
    /// <c>GPT2ForSequenceClassification</c>, <c>GPT2LMHeadModel</c> or <c>GPT2Model</c>; a causal-LM checkpoint lacks
    /// <c>score.weight</c>, which the report names as missing.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights are malformed or a shape differs.</exception>
    public LoadReport LoadWeights(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bindings = Parameters.Select(p => new ParameterBinding(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)).ToList();
        return CheckpointLoader.Load(source, bindings, "transformer.", Gpt2LMHeadModel.IsIgnorable);
    }

    /// <summary>Writes the weights as safetensors to <paramref name="stream"/> (left open), in Hugging Face's names.</summary>
    public void SaveWeights(Stream stream, TensorDType dtype = TensorDType.F32) =>
        SafetensorsWriter.Write(stream, Parameters.Select(p => new NamedTensor(p.Name, p.Value.Shape.ToArray(), p.Value.Memory)), dtype, Metadata);

    /// <summary>The index (in B·T) of each sequence's last real token.</summary>
    private static int[] LastRealTokens(ReadOnlySpan<float> attentionMask, int b, int t)
    {
        var last = new int[b];
        for (var s = 0; s < b; s++)
        {
            var i = t - 1;
            while (!attentionMask.IsEmpty && i >= 0 && attentionMask[s * t + i] == 0f) i--;
            if (i < 0) throw new ArgumentException($"Sequence {s} of the batch has no real token (its attention mask is all 0).", nameof(attentionMask));
            last[s] = s * t + i;
        }
        return last;
    }
}

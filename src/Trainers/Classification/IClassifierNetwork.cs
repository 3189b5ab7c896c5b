using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// What the classifier's training, scoring and storage need of a network, whatever its architecture: a training step
/// (forward, cross-entropy and backward where the network computes), scoring sessions, and its configuration and weights.
/// </summary>
internal interface IClassifierNetwork
{
    /// <summary>The architecture, saved with the model.</summary>
    TextClassifierArchitecture Architecture { get; }

    /// <summary>The class names, one logit each.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Every parameter under the name it is saved with.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The backend the network computes on (the managed engine for one that computes on the host).</summary>
    Models.Execution.ComputeBackend Backend { get; }

    /// <summary>Every parameter as <see cref="Backend"/> computes with it (see <see cref="Models.Execution.DeviceParameterMap"/>).</summary>
    IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters { get; }

    /// <summary>
    /// A training step on <paramref name="batch"/>: the logits (B, K), their mean cross-entropy against
    /// <paramref name="labels"/> (B) with <paramref name="options"/>, and the backward pass adding
    /// <paramref name="lossScale"/> × its gradient to every parameter's; the loss computed where the network computes.
    /// Returns the loss (unscaled).
    /// </summary>
    float ForwardBackward(EncoderBatch batch, ReadOnlySpan<int> labels, CrossEntropyOptions? options, float lossScale);

    /// <summary>Restarts the dropout streams (a network without dropout ignores it).</summary>
    void ReseedDropout(ulong seed);

    /// <summary>
    /// A maker of scorers, each with buffers of its own (one per concurrent batch): over weights prepared once when
    /// <paramref name="weightsFixed"/>, else over the weights at each call.
    /// </summary>
    Func<Func<EncoderBatch, Tensor>> Scorers(bool weightsFixed, Precision precision);

    /// <summary>How many scoring batches <see cref="RunBatches"/> runs at once when it has enough of them.</summary>
    int ConcurrentBatches { get; }

    /// <summary>
    /// Runs <paramref name="runBatch"/> for every scoring batch in <c>[0, count)</c>: through the backend the network
    /// runs on (<see cref="Models.Execution.ComputeBackend.RunBatches"/>), or one after another where its scorers share
    /// the model's buffers.
    /// </summary>
    void RunBatches(int count, Action<int> runBatch);

    /// <summary>The configuration saved as <c>config.json</c>.</summary>
    string ConfigJson();

    /// <summary>Writes the weights as safetensors bytes.</summary>
    void SaveWeights(Stream stream);
}

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Scratch buffers of the recurrent kernels (<see cref="Lstm"/>, <see cref="Gru"/>): the running state and the
/// per-step products, grown on demand and reused, so a layer in steady state allocates nothing. One workspace serves
/// one call at a time.
/// </summary>
public sealed class RecurrentWorkspace
{
    internal TensorBuffer State { get; } = new();

    internal TensorBuffer Cell { get; } = new();

    internal TensorBuffer StepGates { get; } = new();

    internal TensorBuffer Previous { get; } = new();

    internal TensorBuffer PreviousCell { get; } = new();

    internal TensorBuffer InputGateGradients { get; } = new();

    internal TensorBuffer HiddenGateGradients { get; } = new();

    /// <summary>One state's worth of scratch (H).</summary>
    internal TensorBuffer Row { get; } = new();
}

using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>The loss on the managed engine: <see cref="Tensors.CrossEntropy"/>'s kernels, on the host tensors themselves.</summary>
public sealed partial class ManagedBackend
{
    /// <inheritdoc />
    public override float CrossEntropy(
        DeviceTensor logits, ReadOnlySpan<int> targets, CrossEntropyOptions? options, DeviceTensor? dLogits, float lossScale,
        DeviceBuffer scratch)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(scratch);
        using var scope = Enter();
        var classes = logits.Size(-1);
        var probabilities = S(scratch.Get(targets.Length, classes)); // (N, V)
        var loss = Tensors.CrossEntropy.Forward(S(logits), targets, probabilities, classes, options);
        if (dLogits is not null) Tensors.CrossEntropy.Backward(probabilities, targets, S(dLogits), classes, options, lossScale);
        return loss;
    }
}

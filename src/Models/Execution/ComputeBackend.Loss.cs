using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>Losses on the backend, so that training moves no logits between the host and the device.</summary>
public abstract partial class ComputeBackend
{
    /// <summary>
    /// The mean cross-entropy of softmax(logits) against <paramref name="targets"/>, as
    /// <see cref="Tensors.CrossEntropy.Forward"/> defines it (ignore index, label smoothing, class weights; 0 when every
    /// target is ignored), computed where the logits are: only the loss comes back to the host. With
    /// <paramref name="dLogits"/> it also writes dLogits = <paramref name="lossScale"/> · ∂loss/∂logits (zero on
    /// ignored rows), as <see cref="Tensors.CrossEntropy.Backward"/> with dLoss = lossScale.
    /// </summary>
    /// <param name="logits">Logits (N, V), or any shape whose last dimension is V and whose rows are N.</param>
    /// <param name="targets">One class in [0, V) per row (N), or the ignore index.</param>
    /// <param name="options">Ignore index, label smoothing and class weights; null for PyTorch's defaults.</param>
    /// <param name="dLogits">The gradient (shaped as the logits; may not be them), or null for the loss alone.</param>
    /// <param name="lossScale">The factor of the gradient (e.g. 1 / accumulation steps).</param>
    /// <param name="scratch">A slot for what the backend needs (the managed engine keeps the probabilities (N, V) there).</param>
    /// <returns>The mean loss over the rows not ignored (unscaled).</returns>
    /// <exception cref="ArgumentException">The targets are not one per row, or the gradient is not shaped as the logits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is neither a class nor the ignore index.</exception>
    public abstract float CrossEntropy(
        DeviceTensor logits, ReadOnlySpan<int> targets, CrossEntropyOptions? options, DeviceTensor? dLogits, float lossScale,
        DeviceBuffer scratch);
}

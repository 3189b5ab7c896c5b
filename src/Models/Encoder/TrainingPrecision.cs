namespace MLNet.Transformers;

/// <summary>
/// The arithmetic of training's products (fine-tuning and pretraining) on the TorchSharp backend. The managed engine
/// trains in <see cref="Float32"/> only.
/// </summary>
public enum TrainingPrecision
{
    /// <summary>Everything in single precision (the default).</summary>
    Float32,

    /// <summary>
    /// bfloat16 mixed precision, as PyTorch's autocast: the products (the dense and Conv1D layers, forward and both
    /// backward products, and attention's score and context products, forward and backward) take bfloat16 operands
    /// (8-bit mantissa, float32 range) with sums accumulated in single precision; the master weights, gradients,
    /// LayerNorm, softmax, activations, the loss and the optimizer stay in single precision. Each weight is converted
    /// once per forward and backward pass. No loss scaling is needed (bfloat16 has float32's range). A backend in this
    /// precision runs every product so, validation and scoring on that device included; a saved model keeps its
    /// single-precision weights. TorchSharp devices only (<c>torch:cpu</c>, <c>cuda</c>, <c>cuda:N</c>): fast on NVIDIA
    /// GPUs with tensor cores and on CPUs with bfloat16 instructions (AVX-512 BF16, AMX), no faster on other CPUs.
    /// </summary>
    BFloat16,
}

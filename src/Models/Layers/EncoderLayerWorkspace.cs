using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The buffers a layer owns for training: the forward activations its backward pass reads, the training-only ones, and
/// the gradients. Shapes: N = B·T tokens, C hidden, F intermediate.
/// </summary>
internal sealed class EncoderLayerWorkspace : LayerForwardBuffers
{
    // Forward activations only training keeps.
    public readonly TensorBuffer Dropped = new();        // (B, H, T, T) dropout(probabilities)
    public readonly TensorBuffer AttentionMean = new();  // (N)
    public readonly TensorBuffer AttentionRstd = new();  // (N)
    public readonly TensorBuffer PreActivation = new();  // (N, F)
    public readonly TensorBuffer Output = new();         // (N, C)
    public readonly TensorBuffer OutputMean = new();     // (N)
    public readonly TensorBuffer OutputRstd = new();     // (N)

    // Backward gradients.
    public readonly TensorBuffer DOutputSum = new();     // (N, C)
    public readonly TensorBuffer DDense = new();         // (N, C) gradient of a dense output before its dropout
    public readonly TensorBuffer DActivated = new();     // (N, F)
    public readonly TensorBuffer DAttentionNormed = new(); // (N, C)
    public readonly TensorBuffer DAttentionSum = new();  // (N, C)
    public readonly TensorBuffer DContext = new();       // (N, C)
    public readonly TensorBuffer DScores = new();        // (B, H, T, T)
    public readonly TensorBuffer DQkv = new();           // (N, 3C)
    public readonly TensorBuffer DInput = new();         // (B, T, C)
}

using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// Activation and gradient buffers of one encoder layer, grown to the largest (B, T) seen and reused after that.
/// Shapes: N = B·T tokens, C hidden, F intermediate, S = B·H·T·T attention scores.
/// </summary>
internal sealed class EncoderLayerWorkspace
{
    // Forward activations (kept for backward in training).
    public readonly TensorBuffer Qkv = new();            // (N, 3C) packed projections
    public readonly TensorBuffer Probabilities = new();  // (B, H, T, T)
    public readonly TensorBuffer Dropped = new();        // (B, H, T, T) dropout(probabilities), training only
    public readonly TensorBuffer Context = new();        // (N, C)
    public readonly TensorBuffer AttentionSum = new();   // (N, C) input + dropout(attention output), LayerNorm input
    public readonly TensorBuffer AttentionNormed = new(); // (N, C)
    public readonly TensorBuffer AttentionMean = new();  // (N)
    public readonly TensorBuffer AttentionRstd = new();  // (N)
    public readonly TensorBuffer PreActivation = new();  // (N, F) training only
    public readonly TensorBuffer Activated = new();      // (N, F)
    public readonly TensorBuffer OutputSum = new();      // (N, C) normed + dropout(output dense), LayerNorm input
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

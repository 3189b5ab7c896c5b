using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// Activation buffers of one encoder layer's forward pass, grown to the largest (B, T) seen and reused after that.
/// A layer keeps its own for training (its backward pass reads them); an inference session shares one set among all
/// the layers it runs, one layer at a time. Shapes: N = B·T tokens, C hidden, F intermediate.
/// </summary>
internal class LayerForwardBuffers
{
    public readonly TensorBuffer Qkv = new();             // (N, 3C) packed projections
    public readonly TensorBuffer Probabilities = new();   // (B, H, T, T) in training; per-thread attention scratch in inference
    public readonly TensorBuffer Context = new();         // (N, C)
    public readonly TensorBuffer AttentionSum = new();    // (N, C) input + dropout(attention output), LayerNorm input
    public readonly TensorBuffer AttentionNormed = new(); // (N, C)
    public readonly TensorBuffer Activated = new();       // (N, F)
    public readonly TensorBuffer OutputSum = new();       // (N, C) normed + dropout(output dense), LayerNorm input
}

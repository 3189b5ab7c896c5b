using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// Activation slots of one encoder layer's forward pass on a backend, grown to the largest (B, T) seen and reused.
/// A layer keeps its own for training (its backward pass reads them); an inference session shares one set among all
/// the layers it runs, one layer at a time. Shapes: N = B·T tokens, C hidden, F intermediate.
/// </summary>
internal class LayerForwardBuffers(ComputeBackend backend)
{
    public readonly DeviceBuffer Qkv = backend.CreateBuffer();             // (N, 3C) packed projections
    public readonly DeviceBuffer Probabilities = backend.CreateBuffer();   // (B, H, T, T) in training; the backend's attention scratch in inference
    public readonly DeviceBuffer Context = backend.CreateBuffer();         // (N, C)
    public readonly DeviceBuffer AttentionSum = backend.CreateBuffer();    // (N, C) input + dropout(attention output), LayerNorm input
    public readonly DeviceBuffer AttentionNormed = backend.CreateBuffer(); // (N, C)
    public readonly DeviceBuffer Activated = backend.CreateBuffer();       // (N, F)
    public readonly DeviceBuffer OutputSum = backend.CreateBuffer();       // (N, C) normed + dropout(output dense), LayerNorm input
}

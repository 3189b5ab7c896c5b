using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Layers;

/// <summary>
/// The slots a layer owns for training: the forward activations its backward pass reads, the training-only ones, and
/// the gradients. Shapes: N = B·T tokens, C hidden, F intermediate.
/// </summary>
internal sealed class EncoderLayerWorkspace(ComputeBackend backend) : LayerForwardBuffers(backend)
{
    // Forward activations only training keeps.
    public readonly DeviceBuffer Dropped = backend.CreateBuffer();          // (B, H, T, T) dropout(probabilities)
    public readonly DeviceBuffer AttentionMean = backend.CreateBuffer();    // (N)
    public readonly DeviceBuffer AttentionRstd = backend.CreateBuffer();    // (N)
    public readonly DeviceBuffer PreActivation = backend.CreateBuffer();    // (N, F)
    public readonly DeviceBuffer Output = backend.CreateBuffer();           // (N, C)
    public readonly DeviceBuffer OutputMean = backend.CreateBuffer();       // (N)
    public readonly DeviceBuffer OutputRstd = backend.CreateBuffer();       // (N)

    // Backward gradients.
    public readonly DeviceBuffer DOutputSum = backend.CreateBuffer();       // (N, C)
    public readonly DeviceBuffer DDense = backend.CreateBuffer();           // (N, C) gradient of a dense output before its dropout
    public readonly DeviceBuffer DActivated = backend.CreateBuffer();       // (N, F)
    public readonly DeviceBuffer DAttentionNormed = backend.CreateBuffer(); // (N, C)
    public readonly DeviceBuffer DAttentionSum = backend.CreateBuffer();    // (N, C)
    public readonly DeviceBuffer DContext = backend.CreateBuffer();         // (N, C)
    public readonly DeviceBuffer DScores = backend.CreateBuffer();          // (B, H, T, T)
    public readonly DeviceBuffer DQkv = backend.CreateBuffer();             // (N, 3C)
    public readonly DeviceBuffer DInput = backend.CreateBuffer();           // (B, T, C)
}

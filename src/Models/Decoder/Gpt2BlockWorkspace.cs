using MLNet.Transformers.Models.Execution;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The backend slots of one GPT-2 block: the forward activations its backward pass reads and the gradients, grown to
/// the largest batch seen and reused. Shapes: N = B·T tokens, C hidden, F feed-forward, H heads.
/// </summary>
internal sealed class Gpt2BlockWorkspace(ComputeBackend backend)
{
    // Forward.
    public readonly DeviceBuffer AttentionNormed = backend.CreateBuffer();   // (N, C) ln_1(x)
    public readonly DeviceBuffer AttentionMean = backend.CreateBuffer();     // (N)
    public readonly DeviceBuffer AttentionRstd = backend.CreateBuffer();     // (N)
    public readonly DeviceBuffer Qkv = backend.CreateBuffer();               // (N, 3C)
    public readonly DeviceBuffer Probabilities = backend.CreateBuffer();     // (B, H, T, T) in training; attention scratch in inference
    public readonly DeviceBuffer Dropped = backend.CreateBuffer();           // (B, H, T, T) dropout(probabilities)
    public readonly DeviceBuffer Context = backend.CreateBuffer();           // (N, C)
    public readonly DeviceBuffer Residual = backend.CreateBuffer();          // (N, C) a = x + dropout(c_proj(context))
    public readonly DeviceBuffer FeedForwardNormed = backend.CreateBuffer(); // (N, C) ln_2(a)
    public readonly DeviceBuffer FeedForwardMean = backend.CreateBuffer();   // (N)
    public readonly DeviceBuffer FeedForwardRstd = backend.CreateBuffer();   // (N)
    public readonly DeviceBuffer PreActivation = backend.CreateBuffer();     // (N, F) c_fc(ln_2(a)), kept in training
    public readonly DeviceBuffer Activated = backend.CreateBuffer();         // (N, F)
    public readonly DeviceBuffer Dense = backend.CreateBuffer();             // (N, C) a projection before its bias, dropout and residual
    public readonly DeviceBuffer Output = backend.CreateBuffer();            // (B, T, C)

    // Backward.
    public readonly DeviceBuffer DDense = backend.CreateBuffer();            // (N, C) gradient of a projection's output before dropout
    public readonly DeviceBuffer DActivated = backend.CreateBuffer();        // (N, F)
    public readonly DeviceBuffer DNormed = backend.CreateBuffer();           // (N, C) gradient of a LayerNorm output
    public readonly DeviceBuffer DResidual = backend.CreateBuffer();         // (N, C) gradient of a
    public readonly DeviceBuffer DContext = backend.CreateBuffer();          // (N, C)
    public readonly DeviceBuffer DScores = backend.CreateBuffer();           // (B, H, T, T)
    public readonly DeviceBuffer DQkv = backend.CreateBuffer();              // (N, 3C)
    public readonly DeviceBuffer DInput = backend.CreateBuffer();            // (B, T, C)
}

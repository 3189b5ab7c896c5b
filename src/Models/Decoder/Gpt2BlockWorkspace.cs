using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// The buffers of one GPT-2 block: the forward activations its backward pass reads and the gradients, grown to the
/// largest batch seen and reused. Shapes: N = B·T tokens, C hidden, F feed-forward, H heads.
/// </summary>
internal sealed class Gpt2BlockWorkspace
{
    // Forward.
    public readonly TensorBuffer AttentionNormed = new(); // (N, C) ln_1(x)
    public readonly TensorBuffer AttentionMean = new();   // (N)
    public readonly TensorBuffer AttentionRstd = new();   // (N)
    public readonly TensorBuffer Qkv = new();             // (N, 3C)
    public readonly TensorBuffer Probabilities = new();   // (B, H, T, T) in training; attention scratch in inference
    public readonly TensorBuffer Dropped = new();         // (B, H, T, T) dropout(probabilities)
    public readonly TensorBuffer Context = new();         // (N, C)
    public readonly TensorBuffer Residual = new();        // (N, C) a = x + dropout(c_proj(context))
    public readonly TensorBuffer FeedForwardNormed = new(); // (N, C) ln_2(a)
    public readonly TensorBuffer FeedForwardMean = new(); // (N)
    public readonly TensorBuffer FeedForwardRstd = new(); // (N)
    public readonly TensorBuffer PreActivation = new();   // (N, F) c_fc(ln_2(a)), kept in training
    public readonly TensorBuffer Activated = new();       // (N, F)
    public readonly TensorBuffer Dense = new();           // (N, C) a projection before its bias, dropout and residual
    public readonly TensorBuffer Output = new();          // (B, T, C)

    // Backward.
    public readonly TensorBuffer DDense = new();          // (N, C) gradient of a projection's output before dropout
    public readonly TensorBuffer DActivated = new();      // (N, F)
    public readonly TensorBuffer DNormed = new();         // (N, C) gradient of a LayerNorm output
    public readonly TensorBuffer DResidual = new();       // (N, C) gradient of a
    public readonly TensorBuffer DContext = new();        // (N, C)
    public readonly TensorBuffer DScores = new();         // (B, H, T, T)
    public readonly TensorBuffer DQkv = new();            // (N, 3C)
    public readonly TensorBuffer DInput = new();          // (B, T, C)
}

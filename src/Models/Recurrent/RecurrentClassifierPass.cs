using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Recurrent;

/// <summary>
/// The buffers of one <see cref="RecurrentClassifier"/> forward (and, in training, its backward): the training pass
/// keeps what backward needs, and every inference session has a pass of its own.
/// </summary>
internal sealed class RecurrentClassifierPass(RecurrentStack stack)
{
    public RecurrentActivations Activations { get; } = stack.CreateActivations();

    /// <summary>(B, T, E) token embeddings.</summary>
    public TensorBuffer Embedded { get; } = new();

    /// <summary>(B, D) what the head reads: final states or attention context.</summary>
    public TensorBuffer Features { get; } = new();

    /// <summary>(B, T, A) the attention's tanh(W h + b).</summary>
    public TensorBuffer Projected { get; } = new();

    /// <summary>(B, T) the attention weights.</summary>
    public TensorBuffer Attention { get; } = new();

    /// <summary>(B, K) logits.</summary>
    public TensorBuffer Logits { get; } = new();

    /// <summary>(B, D) gradient of the features, in backward.</summary>
    public TensorBuffer FeatureGradient { get; } = new();

    /// <summary>(B, T, D) gradient of the stack's output, in backward.</summary>
    public TensorBuffer OutputGradient { get; } = new();

    /// <summary>(B, T, A) scratch of the attention's backward.</summary>
    public TensorBuffer ProjectedGradient { get; } = new();

    /// <summary>The batch of the last forward.</summary>
    public EncoderBatch? Batch { get; set; }

    /// <summary>Each sequence's length in the last forward (B).</summary>
    public int[] Lengths { get; set; } = [];

    /// <summary>The stack's output of the last forward (B, T, D).</summary>
    public Tensor? Output { get; set; }
}

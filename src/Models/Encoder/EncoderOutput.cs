using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>What an encoder forward pass returns; both tensors are owned by the model until its next forward.</summary>
/// <param name="LastHiddenState">The last layer's hidden states (B, T, C).</param>
/// <param name="PoolerOutput">tanh(dense(hidden[:, 0])) (B, C), or null for a model without a pooler.</param>
public sealed record EncoderOutput(Tensor LastHiddenState, Tensor? PoolerOutput);

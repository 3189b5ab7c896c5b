using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>Multi-head attention over packed projections, forward and backward, as the managed kernel computes it.</summary>
public sealed partial class TorchBackend
{
    /// <inheritdoc />
    public override void Attention(
        DeviceTensor qkv, DeviceTensor? mask, DeviceTensor context, AttentionShape shape, AttentionOptions options,
        DeviceTensor? probabilities, DeviceTensor? dropped, DeviceBuffer scratch)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Heads(qkv, shape); // each (B, H, T, D)
        var scores = Product(q, k.transpose(2, 3)).mul_(1.0 / Math.Sqrt(shape.HeadSize)); // (B, H, T, T)
        var weights = softmax(scores.add_(MaskBias(mask, shape, options.Causal)), -1);
        if (probabilities is not null) T(probabilities).copy_(weights);
        if (options.HasDropout)
        {
            weights = weights.mul_(DropoutFactors(shape.ScoreElements, options.DropoutProbability, options.DropoutKey).view(weights.shape));
            if (dropped is not null) T(dropped).copy_(weights);
        }
        Rows(context).copy_(Tokens(Product(weights, v), shape)); // (B·T, C)
    }

    /// <inheritdoc />
    public override void AttentionBackward(
        DeviceTensor dContext, DeviceTensor qkv, DeviceTensor probabilities, DeviceTensor? dropped, DeviceTensor scores,
        DeviceTensor dQkv, AttentionShape shape, AttentionOptions options)
    {
        using var scope = NewDisposeScope();
        var (b, h, t, d) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize);
        var (q, k, v) = Heads(qkv, shape);
        var p = T(probabilities);
        var mixing = options.HasDropout ? T(dropped!) : p;
        var gradient = T(dContext).view(b, t, h, d).permute(0, 2, 1, 3); // (B, H, T, D)
        var dV = Product(mixing.transpose(2, 3), gradient); // dropout(P)ᵀ · dC
        var dMixing = Product(gradient, v.transpose(2, 3)); // dC · Vᵀ
        if (options.HasDropout) dMixing = dMixing.mul_(DropoutFactors(shape.ScoreElements, options.DropoutProbability, options.DropoutKey).view(p.shape));
        var dScores = p * (dMixing - (dMixing * p).sum([-1L], keepdim: true)); // softmax backward
        dScores = dScores.mul_(1.0 / Math.Sqrt(d));
        var dQ = Product(dScores, k);
        var dK = Product(dScores.transpose(2, 3), q);
        var packed = stack([dQ, dK, dV], 2); // (B, H, 3, T, D)
        Rows(dQkv).copy_(packed.permute(0, 3, 2, 1, 4).reshape(b * t, 3 * h * d)); // (B·T, 3C): q, k, v side by side, heads within
        T(scores).copy_(dScores);
    }

    /// <summary>Q, K and V (B, H, T, D) viewed in the packed projections (B·T, 3C).</summary>
    private static (Tensor Q, Tensor K, Tensor V) Heads(DeviceTensor qkv, AttentionShape shape)
    {
        var heads = T(qkv).view(shape.Batch, shape.Tokens, 3, shape.Heads, shape.HeadSize).permute(2, 0, 3, 1, 4); // (3, B, H, T, D)
        return (heads[0], heads[1], heads[2]);
    }

    /// <summary>Heads (B, H, T, D) back in token layout (B·T, C).</summary>
    private static Tensor Tokens(Tensor heads, AttentionShape shape) =>
        heads.permute(0, 2, 1, 3).reshape(shape.Batch * shape.Tokens, shape.Hidden);

    /// <summary>
    /// What the scores get added: the most negative float at padding keys (Hugging Face's convention, as the managed
    /// kernel) and, for causal attention, at later keys; (B, 1, 1 or T, T), or a zero scalar.
    /// </summary>
    private Tensor MaskBias(DeviceTensor? mask, AttentionShape shape, bool causal)
    {
        var bias = zeros([1], _elementType, _device);
        if (mask is not null) bias = (1f - T(mask)).mul_(float.MinValue).view(shape.Batch, 1, 1, shape.Tokens);
        if (causal)
        {
            var later = ones(shape.Tokens, shape.Tokens, _elementType, _device).triu_(1).mul_(float.MinValue);
            bias = bias + later;
        }
        return bias;
    }
}

using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>Dense products, LayerNorm, activations, residuals, dropout and pooling.</summary>
public sealed partial class TorchBackend
{
    /// <inheritdoc />
    public override void Linear(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y)
    {
        using var scope = NewDisposeScope();
        var w = ProductWeight(weight); // (O, C), bfloat16 in mixed precision or when prepared so
        var input = T(x).reshape(-1, w.shape[1]).to(w.dtype);
        var product = nn.functional.linear(input, w).to(_elementType);
        if (bias is not null) product = product.add_(T(bias));
        Rows(y).copy_(product);
    }

    /// <inheritdoc />
    public override void LinearBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias)
    {
        using var scope = NewDisposeScope();
        var (gradient, input) = (Rows(dy), T(x).reshape(-1, weight.Size(1)));
        if (dx is not null) Rows(dx).copy_(Product(gradient, ProductWeight(weight)));
        T(dWeight).add_(Product(gradient.t(), input));
        if (dBias is not null) T(dBias).add_(gradient.sum([0L]));
        ForgetProductCopy(weight); // the pass's last product over the weight
    }

    /// <inheritdoc />
    public override void BiasActivation(ActivationKind kind, DeviceTensor bias, DeviceTensor pre, DeviceTensor act)
    {
        using var scope = NewDisposeScope();
        var sum = T(pre).add_(T(bias));
        var activated = Activate(kind, sum);
        T(act).copy_(activated);
    }

    /// <inheritdoc />
    public override void BiasActivationBackward(ActivationKind kind, DeviceTensor dAct, DeviceTensor pre, DeviceTensor dPre, DeviceTensor dBias)
    {
        using var scope = NewDisposeScope();
        var input = T(pre).detach().requires_grad_(true);
        using (var enabled = enable_grad())
        {
            var output = Activate(kind, input);
            output.backward([T(dAct)]);
        }
        var gradient = input.grad!;
        T(dPre).copy_(gradient);
        T(dBias).add_(gradient.reshape(-1, dBias.Size(0)).sum([0L]));
    }

    /// <inheritdoc />
    public override void LayerNorm(
        DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, DeviceTensor? mean, DeviceTensor? rstd, float eps)
    {
        using var scope = NewDisposeScope();
        var rows = Rows(x);
        var mu = rows.mean([1L], keepdim: true);
        var centred = rows - mu;
        var inverse = centred.square().mean([1L], keepdim: true).add_(eps).rsqrt_();
        Rows(y).copy_(centred.mul_(inverse).mul_(T(gamma)).add_(T(beta)));
        if (mean is not null) T(mean).copy_(mu.view(-1));
        if (rstd is not null) T(rstd).copy_(inverse.view(-1));
    }

    /// <inheritdoc />
    public override void LayerNormResidual(
        DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor gamma, DeviceTensor beta, DeviceTensor y, float eps)
    {
        using var scope = NewDisposeScope();
        var sum = Rows(x) + T(bias) + Rows(residual);
        Rows(y).copy_(nn.functional.layer_norm(sum, [gamma.Size(0)], T(gamma), T(beta), eps));
    }

    /// <inheritdoc />
    public override void LayerNormBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean, DeviceTensor rstd,
        DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta)
    {
        using var scope = NewDisposeScope();
        var (gradient, inverse) = (Rows(dy), T(rstd).view(-1, 1));
        var normalised = (Rows(x) - T(mean).view(-1, 1)).mul_(inverse); // x̂
        var scaled = gradient * T(gamma); // ĝ = dy ⊙ γ
        var meanScaled = scaled.mean([1L], keepdim: true);
        var meanProduct = (scaled * normalised).mean([1L], keepdim: true);
        Rows(dx).copy_(scaled.sub_(meanScaled).sub_(normalised * meanProduct).mul_(inverse)); // rstd·(ĝ − mean ĝ − x̂·mean(ĝ⊙x̂))
        T(dGamma).add_((gradient * normalised).sum([0L]));
        T(dBeta).add_(gradient.sum([0L]));
    }

    /// <inheritdoc />
    public override void BiasDropoutResidual(DeviceTensor x, DeviceTensor bias, DeviceTensor residual, DeviceTensor y, float p, ulong key)
    {
        using var scope = NewDisposeScope();
        var sum = Rows(x) + T(bias);
        if (p > 0f) sum = sum.mul_(DropoutFactors(x.Length, p, key).view(sum.shape));
        Rows(y).copy_(sum.add_(Rows(residual)));
    }

    /// <inheritdoc />
    public override void BiasDropoutResidualBackward(DeviceTensor dy, DeviceTensor dx, DeviceTensor dBias, float p, ulong key)
    {
        Dropout(dy, dx, p, key);
        using var scope = NewDisposeScope();
        T(dBias).add_(Rows(dx).sum([0L]));
    }

    /// <inheritdoc />
    public override void Dropout(DeviceTensor x, DeviceTensor y, float p, ulong key)
    {
        using var scope = NewDisposeScope();
        var input = Rows(x); // x and y may differ in shape, not in element count
        Rows(y).copy_(p > 0f ? input * DropoutFactors(x.Length, p, key).view(input.shape) : input);
    }

    /// <inheritdoc />
    public override void Add(DeviceTensor a, DeviceTensor b, DeviceTensor y)
    {
        using var scope = NewDisposeScope();
        T(y).view(-1).copy_(T(a).view(-1) + T(b).view(-1));
    }

    /// <inheritdoc />
    public override void Embedding(ReadOnlySpan<int> ids, DeviceTensor table, DeviceTensor y)
    {
        using var scope = NewDisposeScope();
        var rows = table.Size(0);
        for (var i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id at position {i} is outside the table's {rows} rows.");
        }
        Rows(y).copy_(T(table).index_select(0, Indices(ids)));
    }

    /// <inheritdoc />
    public override void EmbeddingBackward(ReadOnlySpan<int> ids, DeviceTensor dy, DeviceTensor dTable, int? paddingRow)
    {
        using var scope = NewDisposeScope();
        var table = T(dTable);
        var kept = paddingRow is { } row ? table[row].clone() : null;
        table.index_add_(0, Indices(ids), Rows(dy), 1);
        if (paddingRow is { } padding) table[padding].copy_(kept!);
    }

    /// <inheritdoc />
    public override void FirstToken(DeviceTensor hidden, DeviceTensor pooled)
    {
        using var scope = NewDisposeScope();
        T(pooled).copy_(T(hidden).select(1, 0));
    }

    /// <inheritdoc />
    public override void FirstTokenBackward(DeviceTensor dPooled, DeviceTensor dHidden)
    {
        using var scope = NewDisposeScope();
        T(dHidden).select(1, 0).add_(T(dPooled));
    }

    /// <summary>f(x) for an activation, as PyTorch computes it (exact GELU, or its tanh approximation).</summary>
    private static Tensor Activate(ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Gelu => nn.functional.gelu(x),
        ActivationKind.GeluTanh => GeluTanh(x),
        ActivationKind.Relu => nn.functional.relu(x),
        ActivationKind.Tanh => x.tanh(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as PyTorch's <c>gelu(approximate='tanh')</c>.</summary>
    private static Tensor GeluTanh(Tensor x)
    {
        const double cubic = 0.044715;
        var inner = (x + x.pow(3).mul(cubic)).mul(Math.Sqrt(2 / Math.PI));
        return x.mul(0.5).mul(inner.tanh().add(1));
    }

    /// <summary>Token ids as a device index tensor.</summary>
    private Tensor Indices(ReadOnlySpan<int> ids)
    {
        var values = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++) values[i] = ids[i];
        CountUploaded(values.Length);
        return tensor(values, device: _device);
    }
}

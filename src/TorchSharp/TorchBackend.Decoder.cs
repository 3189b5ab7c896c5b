using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLNet.Transformers.TorchSharp;

/// <summary>The decoder's operations: Conv1D products, row gathers, and attention over a key/value cache.</summary>
public sealed partial class TorchBackend
{
    /// <inheritdoc />
    public override void Conv1D(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y)
    {
        using var scope = NewDisposeScope();
        var w = ProductWeight(weight); // (C, O)
        var product = Product(T(x).reshape(-1, w.shape[0]), w);
        if (bias is not null) product = product.add_(T(bias));
        Rows(y).copy_(product);
    }

    /// <inheritdoc />
    public override void Conv1DBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias)
    {
        using var scope = NewDisposeScope();
        var (gradient, input) = (Rows(dy), T(x).reshape(-1, weight.Size(0))); // (N, O), (N, C)
        if (dx is not null) Rows(dx).copy_(Product(gradient, ProductWeight(weight).t()));
        T(dWeight).add_(Product(input.t(), gradient));
        if (dBias is not null) T(dBias).add_(gradient.sum([0L]));
        ForgetProductCopy(weight); // the pass's last product over the weight
    }

    /// <inheritdoc />
    /// <remarks>The transpose (O, C) in the precision's element type, as <see cref="PrepareWeight"/> prepares an (O, C) weight.</remarks>
    public override DeviceTensor PrepareConv1DWeight(DeviceParameter weight, Precision precision)
    {
        using var scope = NewDisposeScope();
        var prepared = T(weight.Value).to(PreparedType(precision), copy: true).t().contiguous(); // a snapshot
        prepared.DetachFromDisposeScope();
        return new TorchTensor(prepared);
    }

    /// <inheritdoc />
    public override void GatherRows(DeviceTensor x, ReadOnlySpan<int> rows, DeviceTensor y)
    {
        using var scope = NewDisposeScope();
        var source = Rows(x);
        Rows(y).copy_(source.index_select(0, RowIndices(rows, source.shape[0])));
    }

    /// <inheritdoc />
    public override void GatherRowsBackward(DeviceTensor dy, ReadOnlySpan<int> rows, DeviceTensor dx)
    {
        using var scope = NewDisposeScope();
        var target = Rows(dx);
        target.index_add_(0, RowIndices(rows, target.shape[0]), Rows(dy), 1);
    }

    /// <inheritdoc />
    public override void AppendKeyValues(DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, AttentionShape shape, int past)
    {
        using var scope = NewDisposeScope();
        var projections = T(qkv).view(shape.Batch, shape.Tokens, 3, shape.Hidden); // (B, Tn, 3, C)
        T(keys).narrow(1, past, shape.Tokens).copy_(projections.select(2, 1));
        T(values).narrow(1, past, shape.Tokens).copy_(projections.select(2, 2));
    }

    /// <inheritdoc />
    public override void CachedAttention(
        DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, DeviceTensor keyMask, DeviceTensor context,
        AttentionShape shape, int past, DeviceBuffer scratch)
    {
        using var scope = NewDisposeScope();
        var (b, h, tn, d) = (shape.Batch, shape.Heads, shape.Tokens, shape.HeadSize);
        var visible = past + tn;
        var q = T(qkv).view(b, tn, 3, h, d).select(2, 0).permute(0, 2, 1, 3); // (B, H, Tn, D)
        var k = CachedHeads(keys, b, visible, h, d); // (B, H, L, D)
        var v = CachedHeads(values, b, visible, h, d);
        var scores = Product(q, k.transpose(2, 3)).mul_(1.0 / Math.Sqrt(d)); // (B, H, Tn, L)
        var padding = (1f - T(keyMask).narrow(1, 0, visible)).mul_(float.MinValue).view(b, 1, 1, visible);
        var later = ones(tn, visible, _elementType, _device).triu_(past + 1).mul_(float.MinValue); // query i sees keys ≤ past + i
        var weights = softmax(scores.add_(padding).add_(later), -1);
        Rows(context).copy_(Product(weights, v).permute(0, 2, 1, 3).reshape(b * tn, shape.Hidden)); // (B·Tn, C)
    }

    /// <summary>The first <paramref name="visible"/> cached rows (B, capacity, C) as heads (B, H, L, D).</summary>
    private static Tensor CachedHeads(DeviceTensor cache, int b, int visible, int h, int d) =>
        T(cache).narrow(1, 0, visible).reshape(b, visible, h, d).permute(0, 2, 1, 3);

    /// <summary>Row indices on the device, each checked against <paramref name="count"/> rows.</summary>
    private Tensor RowIndices(ReadOnlySpan<int> rows, long count)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= count)
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"Row {rows[i]} at position {i} is outside the tensor's {count} rows.");
        }
        return Indices(rows);
    }
}

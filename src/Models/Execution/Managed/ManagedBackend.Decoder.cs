using System.Numerics.Tensors;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>The decoder's operations: Conv1D products, row gathers, and attention over a key/value cache.</summary>
public sealed partial class ManagedBackend
{
    /// <inheritdoc />
    public override void Conv1D(DeviceTensor x, DeviceTensor weight, DeviceTensor? bias, DeviceTensor y) =>
        Tensors.Conv1D.Forward(S(x), S(weight), O(bias), S(y), Rows(y), weight.Size(0), weight.Size(1));

    /// <inheritdoc />
    public override void Conv1DBackward(
        DeviceTensor dy, DeviceTensor x, DeviceTensor weight, DeviceTensor? dx, DeviceTensor dWeight, DeviceTensor? dBias) =>
        Tensors.Conv1D.Backward(S(dy), S(x), S(weight), O(dx), S(dWeight), O(dBias), Rows(dy), weight.Size(0), weight.Size(1));

    /// <inheritdoc />
    public override DeviceTensor PrepareConv1DWeight(DeviceParameter weight, Precision precision) =>
        PreparedWeight.FromConv1D(weight.HostValue, precision);

    /// <inheritdoc />
    public override void GatherRows(DeviceTensor x, ReadOnlySpan<int> rows, DeviceTensor y)
    {
        var source = S(x);
        var target = S(y);
        var c = x.Size(-1);
        for (var i = 0; i < rows.Length; i++) Row(source, rows[i], c, nameof(rows)).CopyTo(target.Slice(i * c, c));
    }

    /// <inheritdoc />
    public override void GatherRowsBackward(DeviceTensor dy, ReadOnlySpan<int> rows, DeviceTensor dx)
    {
        var gradient = S(dy);
        var target = S(dx);
        var c = dx.Size(-1);
        for (var i = 0; i < rows.Length; i++)
        {
            var row = Row(target, rows[i], c, nameof(rows));
            TensorPrimitives.Add(row, gradient.Slice(i * c, c), row);
        }
    }

    /// <inheritdoc />
    public override void AppendKeyValues(DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, AttentionShape shape, int past)
    {
        var (c, tn, capacity) = (shape.Hidden, shape.Tokens, keys.Size(1));
        var source = S(qkv);
        var keyRows = S(keys);
        var valueRows = S(values);
        for (var s = 0; s < shape.Batch; s++)
        {
            for (var i = 0; i < tn; i++)
            {
                var projections = source.Slice((s * tn + i) * 3 * c, 3 * c); // q, k, v of token i
                var row = (s * capacity + past + i) * c;
                projections.Slice(c, c).CopyTo(keyRows.Slice(row, c));
                projections.Slice(2 * c, c).CopyTo(valueRows.Slice(row, c));
            }
        }
    }

    /// <inheritdoc />
    public override void CachedAttention(
        DeviceTensor qkv, DeviceTensor keys, DeviceTensor values, DeviceTensor keyMask, DeviceTensor context,
        AttentionShape shape, int past, DeviceBuffer scratch)
    {
        var scores = S(scratch.Get(past + shape.Tokens)); // one row of scores
        Tensors.CachedAttention.Forward(S(qkv), S(keys), S(values), S(context), scores, shape, past, keys.Size(1), S(keyMask));
    }

    /// <summary>Row <paramref name="row"/> (C elements) of rows of width <paramref name="c"/>.</summary>
    private static Span<float> Row(Span<float> rows, int row, int c, string name) =>
        (uint)row < (uint)(rows.Length / c)
            ? rows.Slice(row * c, c)
            : throw new ArgumentOutOfRangeException(name, row, $"Row {row} is outside the tensor's {rows.Length / c} rows.");
}

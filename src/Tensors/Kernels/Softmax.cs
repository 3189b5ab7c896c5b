using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>Softmax over the last dimension of (rows, c), forward and backward.</summary>
public static unsafe class Softmax
{
    /// <summary>y = softmax(x) row by row (y may alias x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows)
    {
        Check.Length(y, x.Length, nameof(y));
        var c = RowWidth(x.Length, rows);
        fixed (float* px = x, py = y)
        {
            float* xs = px, ys = py;
            RowParallel.For(rows, c, (_, start, end) =>
            {
                for (var r = start; r < end; r++)
                    Row(new ReadOnlySpan<float>(xs + (long)r * c, c), new Span<float>(ys + (long)r * c, c));
            });
        }
    }

    /// <summary>dx = y ⊙ (dy − Σ dy⊙y) row by row, from the forward output y (dx may alias dy).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, int rows)
    {
        Check.Length(dy, y.Length, nameof(dy));
        Check.Length(dx, y.Length, nameof(dx));
        var c = RowWidth(y.Length, rows);
        fixed (float* pdy = dy, py = y, pdx = dx)
        {
            float* dys = pdy, ys = py, dxs = pdx;
            RowParallel.For(rows, c, (_, start, end) =>
            {
                for (var r = start; r < end; r++)
                    RowBackward(new ReadOnlySpan<float>(dys + (long)r * c, c), new ReadOnlySpan<float>(ys + (long)r * c, c),
                        new Span<float>(dxs + (long)r * c, c), 1f);
            });
        }
    }

    /// <summary>Softmax of one row, stable against overflow (the row maximum is subtracted first).</summary>
    internal static void Row(ReadOnlySpan<float> x, Span<float> y)
    {
        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
    }

    /// <summary>dx = scale · y ⊙ (dy − Σ dy⊙y) for one row.</summary>
    internal static void RowBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, float scale)
    {
        var dot = TensorPrimitives.Dot(dy, y);
        TensorPrimitives.Subtract(dy, dot, dx);
        TensorPrimitives.Multiply(dx, y, dx);
        if (scale != 1f) TensorPrimitives.Multiply(dx, scale, dx);
    }

    private static int RowWidth(int length, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (length % rows != 0) throw new ArgumentException($"{length} elements do not split into {rows} rows.");
        return length / rows;
    }
}

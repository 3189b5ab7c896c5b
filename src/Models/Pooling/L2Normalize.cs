using System.Numerics.Tensors;

namespace MLNet.Transformers.Models.Pooling;

/// <summary>Forward/backward kernels scaling each row to unit Euclidean norm, <c>y = x / max(‖x‖, ε)</c>.</summary>
public static class L2Normalize
{
    /// <summary>The smallest norm divided by, so a zero row stays zero (as <c>torch.nn.functional.normalize</c>).</summary>
    public const float Epsilon = 1e-12f;

    /// <summary>y (rows, c) = x / max(‖x‖, ε) row by row (y may alias x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows)
    {
        var c = x.Length / rows;
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * c, c);
            TensorPrimitives.Multiply(row, 1f / MathF.Max(TensorPrimitives.Norm(row), Epsilon), y.Slice(r * c, c));
        }
    }

    /// <summary>dx = (dy − y·(dy·y)) / ‖x‖ for rows with ‖x‖ ≥ ε (dy / ε otherwise); x is the forward input.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx, int rows)
    {
        var c = x.Length / rows;
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * c, c);
            var dRow = dy.Slice(r * c, c);
            var dxRow = dx.Slice(r * c, c);
            var norm = TensorPrimitives.Norm(row);
            if (norm < Epsilon)
            {
                TensorPrimitives.Multiply(dRow, 1f / Epsilon, dxRow);
                continue;
            }
            var projection = TensorPrimitives.Dot(dRow, row) / (norm * norm);
            TensorPrimitives.MultiplyAdd(row, -projection, dRow, dxRow); // dy − x·(dy·x)/‖x‖²
            TensorPrimitives.Multiply(dxRow, 1f / norm, dxRow);
        }
    }
}

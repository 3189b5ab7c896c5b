using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>Residual connection <c>y = a + b</c>; its backward passes the gradient unchanged to both inputs.</summary>
public static class Residual
{
    /// <summary>y = a + b elementwise (y may alias a or b).</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        Check.Length(b, a.Length, nameof(b));
        Check.Length(y, a.Length, nameof(y));
        TensorPrimitives.Add(a, b, y);
    }

    /// <summary>Adds the upstream gradient into an input's gradient: dInput += dy.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dInput)
    {
        Check.Length(dInput, dy.Length, nameof(dInput));
        TensorPrimitives.Add(dInput, dy, dInput);
    }
}

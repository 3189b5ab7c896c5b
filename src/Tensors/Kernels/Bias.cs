using System.Numerics.Tensors;

namespace MLNet.Transformers.Tensors;

/// <summary>Per-column bias: broadcast over rows forward, column sums backward.</summary>
public static class Bias
{
    /// <summary>Writes <paramref name="bias"/> (c) into each of the <paramref name="rows"/> rows of y (rows, c).</summary>
    public static void Broadcast(ReadOnlySpan<float> bias, Span<float> y, int rows)
    {
        var c = bias.Length;
        Check.Length(y, rows * c, nameof(y));
        for (var r = 0; r < rows; r++) bias.CopyTo(y.Slice(r * c, c));
    }

    /// <summary>dBias (c) += Σ_rows dy (rows, c).</summary>
    public static void AccumulateColumnSums(ReadOnlySpan<float> dy, Span<float> dBias, int rows)
    {
        var c = dBias.Length;
        Check.Length(dy, rows * c, nameof(dy));
        for (var r = 0; r < rows; r++) TensorPrimitives.Add(dBias, dy.Slice(r * c, c), dBias);
    }
}

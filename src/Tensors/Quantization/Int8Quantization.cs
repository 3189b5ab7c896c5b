using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Symmetric 8-bit quantisation of one row (a weight's output channel; activation rows take
/// <see cref="AsymmetricQuantization"/>'s zero point instead): the scale is the row's
/// largest magnitude over <see cref="Levels"/>, each value becomes <c>round(x · Levels / max|x|)</c> (to nearest, ties
/// to even) in <c>[-Levels, Levels]</c>, and dequantises as <c>q · scale</c>. An all-zero row has scale 0.
/// </summary>
public static class Int8Quantization
{
    /// <summary>The largest quantised magnitude: 127, so that the range is symmetric and -128 never occurs.</summary>
    public const int Levels = sbyte.MaxValue;

    /// <summary>
    /// Quantises <paramref name="values"/> into <paramref name="quantized"/> (same length) and returns the scale:
    /// <c>values[i] ≈ quantized[i] · scale</c> within half a scale.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> quantized)
    {
        if (quantized.Length != values.Length)
            throw new ArgumentException($"quantized has {quantized.Length} elements, expected {values.Length}.", nameof(quantized));
        var largest = values.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(values));
        var inverse = largest > 0f ? Levels / largest : 0f;
        QuantizeWith(values, inverse, quantized);
        return largest / Levels;
    }

    /// <summary>Writes <c>quantized[i] · scale</c> into <paramref name="values"/> (same length).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Dequantize(ReadOnlySpan<sbyte> quantized, float scale, Span<float> values)
    {
        if (quantized.Length != values.Length)
            throw new ArgumentException($"values has {values.Length} elements, expected {quantized.Length}.", nameof(values));
        for (var i = 0; i < quantized.Length; i++) values[i] = quantized[i] * scale;
    }

    /// <summary><c>quantized[i] = round(values[i] · inverse)</c>, 32 values at a time where vectors are accelerated.</summary>
    private static void QuantizeWith(ReadOnlySpan<float> values, float inverse, Span<sbyte> quantized)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(inverse);
            var width = Vector256<float>.Count;
            for (; i + 4 * width <= values.Length; i += 4 * width)
            {
                var low = Vector256.Narrow(Round(values, i, scale), Round(values, i + width, scale));
                var high = Vector256.Narrow(Round(values, i + 2 * width, scale), Round(values, i + 3 * width, scale));
                Vector256.Narrow(low, high).StoreUnsafe(ref quantized[i]);
            }
        }
        for (; i < values.Length; i++) quantized[i] = (sbyte)(int)MathF.Round(values[i] * inverse);
    }

    /// <summary>The 8 values at <paramref name="start"/> times the scale, rounded to the nearest integer (ties to even).</summary>
    private static Vector256<int> Round(ReadOnlySpan<float> values, int start, Vector256<float> scale) =>
        Vector256.ConvertToInt32Native(Vector256.Round(Vector256.LoadUnsafe(in values[start]) * scale));
}

using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Asymmetric (zero-point) unsigned 8-bit quantisation of one activation row, the operand <c>vpdpbusd</c> reads
/// unsigned: the row's range <c>[min(x, 0), max(x, 0)]</c> is cut into <see cref="Levels"/> steps, so
/// <c>scale = range / Levels</c> and the zero point <c>z = round(−min(x, 0) / scale)</c>; each value becomes
/// <c>clamp(round(x / scale) + z, 0, Levels)</c> (to nearest, ties to even) and dequantises as <c>(q − z) · scale</c>,
/// zero exactly. A row that is mostly of one sign (GELU outputs, LayerNorm outputs with a few large channels of one
/// sign) gets up to twice the resolution of <see cref="Int8Quantization"/>'s symmetric range. An all-zero row has scale 0
/// and zero point 0; a row holding NaN has scale NaN.
/// </summary>
public static class AsymmetricQuantization
{
    /// <summary>The largest quantised value: 255, the whole unsigned byte.</summary>
    public const int Levels = byte.MaxValue;

    /// <summary>
    /// Quantises <paramref name="values"/> into <paramref name="quantized"/> (same length) and returns the scale:
    /// <c>values[i] ≈ (quantized[i] − zeroPoint) · scale</c> within half a scale.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static float Quantize(ReadOnlySpan<float> values, Span<byte> quantized, out int zeroPoint)
    {
        if (quantized.Length != values.Length)
            throw new ArgumentException($"quantized has {quantized.Length} elements, expected {values.Length}.", nameof(quantized));
        var (min, max) = Range(values);
        var range = max - min;
        var inverse = range > 0f ? Levels / range : 0f;
        // The same rounding as the values': the row's minimum lands on exactly 0 (round is odd-symmetric).
        zeroPoint = Math.Clamp((int)MathF.Round(-min * inverse), 0, Levels);
        QuantizeWith(values, inverse, zeroPoint, quantized);
        return range / Levels;
    }

    /// <summary>Writes <c>(quantized[i] − zeroPoint) · scale</c> into <paramref name="values"/> (same length).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Dequantize(ReadOnlySpan<byte> quantized, float scale, int zeroPoint, Span<float> values)
    {
        if (quantized.Length != values.Length)
            throw new ArgumentException($"values has {values.Length} elements, expected {quantized.Length}.", nameof(values));
        for (var i = 0; i < quantized.Length; i++) values[i] = (quantized[i] - zeroPoint) * scale;
    }

    /// <summary>
    /// <c>(min(x, 0), max(x, 0))</c> in one pass, 32 values at a time where vectors are accelerated (the CPU's own
    /// min/max: the row is quantised as the product runs); both NaN where the row holds a NaN.
    /// </summary>
    private static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        var (min, max, nan) = (0f, 0f, false);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var width = Vector256<float>.Count;
            Vector256<float> low0 = default, low1 = default, high0 = default, high1 = default, unordered = default;
            for (; i + 4 * width <= values.Length; i += 4 * width)
            {
                var (a, b) = (Vector256.LoadUnsafe(in values[i]), Vector256.LoadUnsafe(in values[i + width]));
                var (c, d) = (Vector256.LoadUnsafe(in values[i + 2 * width]), Vector256.LoadUnsafe(in values[i + 3 * width]));
                (low0, high0) = (Vector256.MinNative(Vector256.MinNative(low0, a), b), Vector256.MaxNative(Vector256.MaxNative(high0, a), b));
                (low1, high1) = (Vector256.MinNative(Vector256.MinNative(low1, c), d), Vector256.MaxNative(Vector256.MaxNative(high1, c), d));
                unordered |= Vector256.IsNaN(a) | Vector256.IsNaN(b) | Vector256.IsNaN(c) | Vector256.IsNaN(d);
            }
            var (low, high) = (Vector256.MinNative(low0, low1), Vector256.MaxNative(high0, high1));
            for (var lane = 0; lane < width; lane++) (min, max) = (MathF.Min(min, low[lane]), MathF.Max(max, high[lane]));
            nan = unordered != Vector256<float>.Zero;
        }
        for (; i < values.Length; i++) (min, max, nan) = (MathF.Min(min, values[i]), MathF.Max(max, values[i]), nan || float.IsNaN(values[i]));
        return nan ? (float.NaN, float.NaN) : (min, max);
    }

    /// <summary><c>quantized[i] = clamp(round(values[i] · inverse) + zeroPoint)</c>, 32 values at a time where vectors are accelerated.</summary>
    private static void QuantizeWith(ReadOnlySpan<float> values, float inverse, int zeroPoint, Span<byte> quantized)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (scale, zero) = (Vector256.Create(inverse), Vector256.Create(zeroPoint));
            var width = Vector256<float>.Count;
            for (; i + 4 * width <= values.Length; i += 4 * width)
            {
                var low = Vector256.Narrow(Level(values, i, scale, zero), Level(values, i + width, scale, zero));
                var high = Vector256.Narrow(Level(values, i + 2 * width, scale, zero), Level(values, i + 3 * width, scale, zero));
                Vector256.Narrow(low.AsUInt16(), high.AsUInt16()).StoreUnsafe(ref quantized[i]);
            }
        }
        for (; i < values.Length; i++) quantized[i] = (byte)Math.Clamp((int)MathF.Round(values[i] * inverse) + zeroPoint, 0, Levels);
    }

    /// <summary>The 8 values at <paramref name="start"/> quantised: rounded (ties to even), shifted by the zero point, clamped to a byte.</summary>
    private static Vector256<int> Level(ReadOnlySpan<float> values, int start, Vector256<float> scale, Vector256<int> zero) =>
        Vector256.Clamp(Vector256.ConvertToInt32Native(Vector256.Round(Vector256.LoadUnsafe(in values[start]) * scale)) + zero,
            Vector256<int>.Zero, Vector256.Create(Levels));
}

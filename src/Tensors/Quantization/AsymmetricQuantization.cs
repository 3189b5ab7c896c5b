using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Asymmetric (zero-point) unsigned 8-bit quantisation of one activation row, the operand <c>vpdpbusd</c> reads
/// unsigned: the row's range <c>[min(x, 0), max(x, 0)]</c> is cut into <see cref="Levels"/> steps, so
/// <c>scale = range / Levels</c> and the zero point <c>z = round(−min(x, 0) / scale)</c>; each value becomes
/// <c>clamp(round(x / scale) + z, 0, Levels)</c> (to nearest, ties to even) and dequantises as <c>(q − z) · scale</c>,
/// zero exactly. A row that is mostly of one sign (GELU outputs, LayerNorm outputs with a few large channels of one
/// sign) gets up to twice the resolution of <see cref="Int8Quantization"/>'s symmetric range. An all-zero row has scale 0
/// and zero point 0.
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
        var (min, max) = values.IsEmpty ? (0f, 0f) : (MathF.Min(TensorPrimitives.Min(values), 0f), MathF.Max(TensorPrimitives.Max(values), 0f));
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

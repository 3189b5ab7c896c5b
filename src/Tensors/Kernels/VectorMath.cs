using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Transcendental functions on eight float lanes (and erf on sixteen, for the GELU forward), accurate to a few float
/// ulps in absolute terms.
/// </summary>
internal static class VectorMath
{
    // Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the same approximation PyTorch's vectorised CPU erf uses.
    private const float ErfP = 0.3275911f;
    private const float ErfA1 = 0.254829592f;
    private const float ErfA2 = -0.284496736f;
    private const float ErfA3 = 1.421413741f;
    private const float ErfA4 = -1.453152027f;
    private const float ErfA5 = 1.061405429f;

    // exp: x = n·ln2 + r with |r| ≤ ln2/2, exp(r) by the Cephes expf polynomial (about 1 ulp), times 2ⁿ.
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float ExpMin = -87.33654f; // below: exp underflows to 0
    private const float ExpMax = 88.3762626647949f; // above: exp overflows to +∞
    private const float ExpP0 = 1.9875691500e-4f;
    private const float ExpP1 = 1.3981999507e-3f;
    private const float ExpP2 = 8.3334519073e-3f;
    private const float ExpP3 = 4.1665795894e-2f;
    private const float ExpP4 = 1.6666665459e-1f;
    private const float ExpP5 = 5.0000001201e-1f;
    private const int FloatExponentBias = 127;
    private const int FloatMantissaBits = 23;

    /// <summary>
    /// eˣ in float arithmetic (the library's vector exp widens to double, several times slower): 0 below about −87.3,
    /// +∞ above about 88.4, relative error about 1e-7 in between.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpMin)), Vector256.Create(ExpMax));
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(ExpP0), r, Vector256.Create(ExpP1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpP2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpP3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpP4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpP5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(FloatExponentBias), FloatMantissaBits)
            .AsSingle(); // 2ⁿ
        var result = p * scale;
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpMin)), Vector256<float>.Zero, result);
        return Vector256.ConditionalSelect(
            Vector256.GreaterThan(x, Vector256.Create(ExpMax)), Vector256.Create(float.PositiveInfinity), result);
    }

    /// <summary>erf(x) = sign(x)·(1 − poly(t)·exp(−x²)), t = 1/(1 + p·|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x) => Erf(x, Exp(-x * x));

    /// <summary>erf(x) given <paramref name="gaussian"/> = exp(−x²), for callers that need that exponential too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x, Vector256<float> gaussian)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(ErfP) * ax);
        var poly = Vector256.FusedMultiplyAdd(Vector256.Create(ErfA5), t, Vector256.Create(ErfA4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA1));
        var y = Vector256<float>.One - poly * t * gaussian;
        return Vector256.CopySign(y, x);
    }

    /// <summary>
    /// erf(x) on sixteen lanes: the eight-lane approximation, with exp(−x²) computed without the overflow and underflow
    /// selects a non-positive argument never needs (below about −87.3 it is clamped to a value too small to matter).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(ErfP) * ax);
        var poly = Vector512.FusedMultiplyAdd(Vector512.Create(ErfA5), t, Vector512.Create(ErfA4));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(ErfA3));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(ErfA2));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(ErfA1));
        var y = Vector512<float>.One - poly * t * ExpOfNonPositive(-ax * ax);
        return Vector512.CopySign(y, x);
    }

    /// <summary>eˣ for x ≤ 0 on sixteen lanes, the same steps as the eight-lane exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpOfNonPositive(Vector512<float> x)
    {
        var clamped = Vector512.Max(x, Vector512.Create(ExpMin));
        var n = Vector512.Round(clamped * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(ExpP0), r, Vector512.Create(ExpP1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpP2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpP3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpP4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpP5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(FloatExponentBias), FloatMantissaBits)
            .AsSingle(); // 2ⁿ
        return p * scale;
    }

    // tanh: an odd polynomial near 0 (Cephes tanhf), where (1 − e)/(1 + e) would lose digits to cancellation.
    private const float TanhSmall = 0.625f;
    private const float TanhP0 = -5.70498872745e-3f;
    private const float TanhP1 = 2.06390887954e-2f;
    private const float TanhP2 = -5.37397155531e-2f;
    private const float TanhP3 = 1.33314422036e-1f;
    private const float TanhP4 = -3.33332819422e-1f;

    /// <summary>
    /// tanh(x): x + x³·P(x²) for |x| &lt; 0.625, else sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) (no overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var z = x * x;
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(TanhP0), z, Vector256.Create(TanhP1));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(TanhP2));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(TanhP3));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(TanhP4));
        var small = Vector256.FusedMultiplyAdd(p * z, x, x);
        var e = Exp(Vector256.Create(-2f) * ax);
        var large = Vector256.CopySign((Vector256<float>.One - e) / (Vector256<float>.One + e), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSmall)), small, large);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>Transcendental functions on eight float lanes, accurate to a few float ulps in absolute terms.</summary>
internal static class VectorMath
{
    // Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the same approximation PyTorch's vectorised CPU erf uses.
    private const float ErfP = 0.3275911f;
    private const float ErfA1 = 0.254829592f;
    private const float ErfA2 = -0.284496736f;
    private const float ErfA3 = 1.421413741f;
    private const float ErfA4 = -1.453152027f;
    private const float ErfA5 = 1.061405429f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Vector256.Exp(x);

    /// <summary>erf(x) = sign(x)·(1 − poly(t)·exp(−x²)), t = 1/(1 + p·|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(ErfP) * ax);
        var poly = Vector256.FusedMultiplyAdd(Vector256.Create(ErfA5), t, Vector256.Create(ErfA4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(ErfA1));
        var y = Vector256<float>.One - poly * t * Exp(-ax * ax);
        return Vector256.CopySign(y, x);
    }

    /// <summary>tanh(x) = sign(x)·(1 − e)/(1 + e), e = exp(−2|x|) (no overflow for large |x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var e = Exp(Vector256.Create(-2f) * Vector256.Abs(x));
        var y = (Vector256<float>.One - e) / (Vector256<float>.One + e);
        return Vector256.CopySign(y, x);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>An activation evaluated eight lanes at a time: its value and its derivative at x.</summary>
internal interface IActivation
{
    static abstract Vector256<float> Value(Vector256<float> x);

    /// <summary>Whether <see cref="WideValue"/> is implemented: the forward then runs sixteen lanes at a time where the CPU accelerates them.</summary>
    static virtual bool HasWideValue => false;

    /// <summary>The value on sixteen lanes (only when <see cref="HasWideValue"/>).</summary>
    static virtual Vector512<float> WideValue(Vector512<float> x) => throw new NotSupportedException();

    static abstract Vector256<float> Derivative(Vector256<float> x);
}

/// <summary>Exact GELU: 0.5·x·(1 + erf(x/√2)); derivative Φ(x) + x·φ(x).</summary>
internal readonly struct GeluErf : IActivation
{
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x) =>
        Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(InvSqrt2)));

    public static bool HasWideValue => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WideValue(Vector512<float> x) =>
        Vector512.Create(0.5f) * x * (Vector512<float>.One + VectorMath.Erf(x * Vector512.Create(InvSqrt2)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x)
    {
        var gaussian = VectorMath.Exp(Vector256.Create(-0.5f) * x * x); // exp(−x²/2), shared by erf(x/√2) and φ(x)
        var cdf = Vector256.Create(0.5f) * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(InvSqrt2), gaussian));
        return cdf + x * Vector256.Create(InvSqrt2Pi) * gaussian;
    }
}

/// <summary>Tanh-approximated GELU: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
internal readonly struct GeluTanh : IActivation
{
    private const float Sqrt2OverPi = 0.79788456080286536f;
    private const float Cubic = 0.044715f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x)
    {
        var inner = Vector256.Create(Sqrt2OverPi) * (x + Vector256.Create(Cubic) * x * x * x);
        return Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Tanh(inner));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x)
    {
        var x2 = x * x;
        var inner = Vector256.Create(Sqrt2OverPi) * (x + Vector256.Create(Cubic) * x2 * x);
        var t = VectorMath.Tanh(inner);
        var dInner = Vector256.Create(Sqrt2OverPi) * (Vector256<float>.One + Vector256.Create(3f * Cubic) * x2);
        var half = Vector256.Create(0.5f);
        return half * (Vector256<float>.One + t) + half * x * (Vector256<float>.One - t * t) * dInner;
    }
}

/// <summary>max(x, 0); derivative 1 for x &gt; 0, else 0.</summary>
internal readonly struct Relu : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);
}

/// <summary>tanh(x); derivative 1 − tanh²(x).</summary>
internal readonly struct TanhActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x) => VectorMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x)
    {
        var t = VectorMath.Tanh(x);
        return Vector256<float>.One - t * t;
    }
}

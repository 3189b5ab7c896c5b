using MLNet.Transformers.Tensors;
using MLNet.Transformers.TorchSharp.Tests.Backends;

namespace MLNet.Transformers.TorchSharp.Tests.MixedPrecision;

/// <summary>
/// How far a bfloat16 mixed-precision step is from the single-precision one, and the bounds it must keep. bfloat16
/// holds 8 significant bits (a rounding error of 2⁻⁹ ≈ 2e-3 per operand), so products over hundreds of terms land about
/// 1e-2 relative from single precision: the bounds are that, with room, and far below what a wrong operand would give.
/// </summary>
internal static class MixedPrecisionError
{
    /// <summary>Largest ‖logits_bf16 − logits_fp32‖ / ‖logits_fp32‖.</summary>
    public const double LogitsBound = 2e-2;

    /// <summary>Largest ‖g_bf16 − g_fp32‖ / ‖g_fp32‖ of any parameter's gradient.</summary>
    public const double GradientBound = 5e-2;

    /// <summary>Smallest cosine between a parameter's bfloat16 and single-precision gradients.</summary>
    public const double GradientCosine = 0.999;

    /// <summary>
    /// The smallest difference the bfloat16 logits must show: single precision's own rounding (the backends agree
    /// within it), so the products did run in bfloat16.
    /// </summary>
    public const double LeastDifference = BackendPair.Tolerance;

    /// <summary>
    /// Per parameter, the relative error and cosine of <paramref name="actual"/>'s gradient against
    /// <paramref name="expected"/>'s, worst first; the attention key biases are left out (their exact gradient is zero:
    /// adding the same q·b to every score of a row leaves the softmax unchanged, so both hold rounding noise).
    /// </summary>
    public static List<(string Name, double Error, double Cosine)> Gradients(IReadOnlyList<Parameter> actual, IReadOnlyList<Parameter> expected)
    {
        Assert.HasCount(expected.Count, actual);
        var errors = new List<(string Name, double Error, double Cosine)>();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.AreEqual(expected[i].Name, actual[i].Name);
            if (IsExactlyZero(expected[i].Name)) continue;
            var a = actual[i].Gradient.Span;
            var e = expected[i].Gradient.Span;
            errors.Add((expected[i].Name, BackendPair.RelativeError(a, e), Cosine(a, e)));
        }
        return [.. errors.OrderByDescending(e => e.Error)];
    }

    /// <summary>Asserts every gradient's bounds, naming the worst.</summary>
    public static void AssertGradientsClose(List<(string Name, double Error, double Cosine)> errors)
    {
        var (worst, leastAligned) = (errors[0], errors.MinBy(e => e.Cosine));
        Assert.IsLessThan(GradientBound, worst.Error, $"{worst.Name}: {worst.Error:E2}");
        Assert.IsGreaterThanOrEqualTo(GradientCosine, leastAligned.Cosine, $"{leastAligned.Name}: cosine {leastAligned.Cosine:F6}");
    }

    /// <summary>A line for the test log: the worst relative error and the smallest cosine, with their parameters.</summary>
    public static string Describe(List<(string Name, double Error, double Cosine)> errors)
    {
        var leastAligned = errors.MinBy(e => e.Cosine);
        return $"worst gradient {errors[0].Name} {errors[0].Error:E2}, median {errors[errors.Count / 2].Error:E2}, "
            + $"least cosine {leastAligned.Name} {leastAligned.Cosine:F6}";
    }

    private static bool IsExactlyZero(string name) => name.EndsWith("key.bias", StringComparison.Ordinal);

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(aa * bb);
    }
}

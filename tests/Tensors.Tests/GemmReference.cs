namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Independent expectations for GEMM tests: a naive double-precision product and an error bound.</summary>
internal static class GemmReference
{
    /// <summary>Single-precision unit roundoff.</summary>
    private const double UnitRoundoff = 1.0 / (1 << 24);

    public static float[] RandomMatrix(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> (m×n, row stride ldc) equals <c>initial + op(A)·op(B)</c> computed in
    /// double precision, within the worst-case float32 error of a k-term sum: <c>(k + 2)·u·(|C0| + Σ|a||b|)</c>.
    /// </summary>
    public static void AssertProduct(
        float[] a, int lda, bool transposeA, float[] b, int ldb, bool transposeB, float[]? initial, float[] actual,
        int ldc, int m, int n, int k, string context)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double expected = initial?[i * ldc + j] ?? 0, magnitude = Math.Abs(expected);
            for (var p = 0; p < k; p++)
            {
                double term = (double)(transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                expected += term;
                magnitude += Math.Abs(term);
            }

            var tolerance = (k + 2) * UnitRoundoff * magnitude;
            var got = actual[i * ldc + j];
            if (!(Math.Abs(got - expected) <= tolerance))
                Assert.Fail($"{context}: C[{i},{j}] = {got}, expected {expected} ± {tolerance:g3}");
        }
    }

    /// <summary>Runs <see cref="Gemm.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/> on fresh random operands and checks it against the reference.</summary>
    public static float[] CheckDense(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, string context)
    {
        var a = RandomMatrix(m * k, 1 + m);
        var b = RandomMatrix(k * n, 2 + n);
        var initial = accumulate ? RandomMatrix(m * n, 3 + k) : null;
        var c = initial is null ? new float[m * n] : (float[])initial.Clone();
        if (!accumulate)
            Array.Fill(c, float.NaN); // an overwrite must not read C
        Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate);
        AssertProduct(a, transposeA ? m : k, transposeA, b, transposeB ? k : n, transposeB, initial, c, n, m, n, k,
            $"{context} {m}x{n}x{k} tA={transposeA} tB={transposeB} acc={accumulate}");
        return c;
    }
}

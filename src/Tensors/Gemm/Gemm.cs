namespace MLNet.Transformers.Tensors;

/// <summary>Row-major single-precision matrix products: <c>C = op(A) · op(B)</c>, optionally accumulated into C.</summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C (m×n) = op(A) (m×k) · op(B) (k×n)</c>, or adds it to C when <paramref name="accumulate"/> is set.
    /// All matrices are dense and row-major: A is stored m×k (k×m when transposed), B is stored k×n (n×k when transposed).
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0f;
            for (var p = 0; p < k; p++)
                sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
            c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
        }
    }

    /// <summary>
    /// <paramref name="batch"/> independent products laid out back to back: product <c>i</c> reads A at
    /// <c>i·m·k</c>, B at <c>i·k·n</c> and writes C at <c>i·m·n</c>, with the same meaning of the flags as
    /// <see cref="Multiply"/>.
    /// </summary>
    public static void BatchedMultiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int batch, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        for (var i = 0; i < batch; i++)
            Multiply(a.Slice(i * m * k, m * k), b.Slice(i * k * n, k * n), c.Slice(i * m * n, m * n), m, n, k,
                transposeA, transposeB, accumulate);
    }
}

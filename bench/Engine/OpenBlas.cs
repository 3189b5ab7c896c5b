using System.Runtime.InteropServices;

namespace MLNet.Transformers.Bench.Engine;

/// <summary>The peer: OpenBLAS's <c>cblas_sgemm</c> (threads set by OPENBLAS_NUM_THREADS / OMP_NUM_THREADS).</summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    /// <summary>Same meaning as <see cref="Tensors.Gemm.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/>.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool transposeA, bool transposeB)
    {
        fixed (float* pa = a, pb = b, pc = c)
            cblas_sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k,
                1f, pa, transposeA ? m : k, pb, transposeB ? k : n, 0f, pc, n);
    }

    /// <summary>The configuration string OpenBLAS was built with (its core and threading).</summary>
    public static string Config => Marshal.PtrToStringAnsi(openblas_get_config()) ?? "?";

    /// <summary>Threads OpenBLAS will use.</summary>
    public static int Threads => openblas_get_num_threads();

    [LibraryImport(Library)]
    private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library)]
    private static partial nint openblas_get_config();

    [LibraryImport(Library)]
    private static partial int openblas_get_num_threads();
}

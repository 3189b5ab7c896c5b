namespace MLNet.Transformers.Tensors;

/// <summary>
/// Row-major single-precision matrix products: <c>C = op(A) · op(B)</c>, optionally accumulated into C. A packed,
/// cache-blocked product (BLIS style) run on <see cref="Parallelism.Degree"/> threads; results are bit-identical from
/// run to run, at any degree and with any <see cref="Kernel"/>.
/// </summary>
public static class Gemm
{
    [ThreadStatic] private static GemmKernel? t_kernel; // this thread's kernel inside WithKernel or a scope; null outside

    /// <summary>
    /// The micro-kernel products on the calling thread run on: <see cref="GemmKernel.Auto"/> (the fastest this CPU
    /// supports) unless a call sets it for its thread: inside <see cref="WithKernel{T}"/> that call's kernel, inside an
    /// <see cref="EngineScope"/> (a <c>ManagedBackend</c>'s operations) the scope's. Forcing one is for tests and
    /// benchmarks: every kernel gives the same bits.
    /// </summary>
    public static GemmKernel Kernel => t_kernel ?? GemmKernel.Auto;

    /// <summary>This thread's kernel as set by a call (null outside any); what an <see cref="EngineScope"/> saves and restores.</summary>
    internal static GemmKernel? ScopedKernel
    {
        get => t_kernel;
        set => t_kernel = value;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on the calling thread with its products on <paramref name="kernel"/> (the kernel is
    /// chosen on the calling thread, so a product's parts on other threads use it too), leaving other threads alone.
    /// </summary>
    /// <exception cref="NotSupportedException">This CPU does not run the kernel in hardware.</exception>
    public static T WithKernel<T>(GemmKernel kernel, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var outer = t_kernel;
        t_kernel = Supported(kernel);
        try
        {
            return body();
        }
        finally
        {
            t_kernel = outer;
        }
    }

    /// <summary><paramref name="kernel"/>, when this CPU runs it in hardware.</summary>
    /// <exception cref="NotSupportedException">It does not.</exception>
    internal static GemmKernel Supported(GemmKernel kernel) => IsSupported(kernel)
        ? kernel
        : throw new NotSupportedException($"The {kernel} GEMM kernel needs instructions this CPU does not have.");

    /// <summary>Whether <paramref name="kernel"/> can be selected as <see cref="Kernel"/> on this CPU.</summary>
    public static bool IsSupported(GemmKernel kernel) => GemmRoutines.IsSupported(kernel);

    /// <summary>
    /// Computes <c>C (m×n) = op(A) (m×k) · op(B) (k×n)</c>, or adds it to C when <paramref name="accumulate"/> is set.
    /// All matrices are dense and row-major: A is stored m×k (k×m when transposed), B is stored k×n (n×k when transposed).
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, transposeA ? m : k, b, transposeB ? k : n, c, n, m, n, k, transposeA, transposeB, accumulate);

    /// <summary>
    /// Computes <c>C (m×n) = op(A) (m×k) · op(B) (k×n)</c>, or adds it to C when <paramref name="accumulate"/> is set,
    /// on row-major matrices whose rows are <paramref name="lda"/>, <paramref name="ldb"/> and <paramref name="ldc"/>
    /// floats apart (sub-matrices of wider buffers). A is stored m×k (k×m when transposed), B k×n (n×k when transposed).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a row stride is shorter than its row, or a buffer is too short.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, lda, b, ldb, c, ldc, m, n, k, transposeA, transposeB, accumulate, bias: []);

    /// <summary>
    /// <c>C (m×n) = op(A) · op(B) + bias</c>, the bias (n) added to every row as the product is stored (one pass over C
    /// instead of two), with the same values as filling C with the bias and accumulating.
    /// </summary>
    internal static void MultiplyAddBias(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false)
    {
        Check.Length(bias, n, nameof(bias));
        Multiply(a, transposeA ? m : k, b, transposeB ? k : n, c, n, m, n, k, transposeA, transposeB, accumulate: false, bias);
    }

    /// <summary>
    /// <c>C (m×n) = A (m×k) · op(B) + bias</c> over an op(B) packed beforehand (k and n are its sizes), the bias (n, or
    /// empty) added as the product is stored: the same values as the product over B's source, without packing B.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative or a buffer is too short.</exception>
    public static unsafe void Multiply(ReadOnlySpan<float> a, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c, int m)
    {
        ArgumentNullException.ThrowIfNull(b);
        var (n, k) = (b.Columns, b.Depth);
        if (!bias.IsEmpty) Check.Length(bias, n, nameof(bias));
        var batch = new GemmBatch(1, 1, new MatrixLayout(k, 0), new MatrixLayout(n, 0), new MatrixLayout(n, 0));
        GemmArguments.Validate(a.Length, k * n, c.Length, batch, m, n, k, transposeA: false, transposeB: false);
        fixed (float* pa = a, pc = c, pbias = bias)
        {
            var problem = new GemmProblem(pa, k, false, null, n, false, pc, n, m, n, k, accumulate: false, bias.IsEmpty ? null : pbias);
            b.Routines.MultiplyPacked(problem, b.Data, Parts(problem));
        }
    }

    private static unsafe void Multiply(
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, ReadOnlySpan<float> bias)
    {
        var batch = new GemmBatch(1, 1, new MatrixLayout(lda, 0), new MatrixLayout(ldb, 0), new MatrixLayout(ldc, 0));
        GemmArguments.Validate(a.Length, b.Length, c.Length, batch, m, n, k, transposeA, transposeB);
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var problem = new GemmProblem(pa, lda, transposeA, pb, ldb, transposeB, pc, ldc, m, n, k, accumulate,
                bias.IsEmpty ? null : pbias);
            GemmRoutines.For(Kernel).Multiply(problem, Parts(problem));
        }
    }

    /// <summary>Parts a single product is cut into: one below the parallel threshold, else the degree's full count.</summary>
    private static int Parts(GemmProblem problem) =>
        problem.MultiplyAdds >= GemmBlocking.ParallelThreshold ? GemmBlocking.Parts : 1;

    /// <summary>
    /// <paramref name="batch"/> independent products laid out back to back: product <c>i</c> reads A at
    /// <c>i·m·k</c>, B at <c>i·k·n</c> and writes C at <c>i·m·n</c>, with the same meaning of the flags as
    /// <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/>.
    /// The products are spread over the threads.
    /// </summary>
    public static void BatchedMultiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int batch, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        BatchedMultiply(
            a, transposeA ? MatrixLayout.Contiguous(k, m) : MatrixLayout.Contiguous(m, k),
            b, transposeB ? MatrixLayout.Contiguous(n, k) : MatrixLayout.Contiguous(k, n),
            c, MatrixLayout.Contiguous(m, n), batch, 1, m, n, k, transposeA, transposeB, accumulate);

    /// <summary>
    /// An <paramref name="outerBatch"/> × <paramref name="innerBatch"/> batch of independent products
    /// <c>C (m×n) (+)= op(A) (m×k) · op(B) (k×n)</c>, each operand's matrices placed by its <see cref="MatrixLayout"/>
    /// (for attention: sequences × heads read in place). The products are spread over the threads; the C matrices must
    /// not overlap.
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is negative, a row stride is shorter than its row, or a buffer is too short.</exception>
    public static unsafe void BatchedMultiply(
        ReadOnlySpan<float> a, MatrixLayout aLayout, ReadOnlySpan<float> b, MatrixLayout bLayout,
        Span<float> c, MatrixLayout cLayout, int outerBatch, int innerBatch, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        var batch = new GemmBatch(outerBatch, innerBatch, aLayout, bLayout, cLayout);
        GemmArguments.Validate(a.Length, b.Length, c.Length, batch, m, n, k, transposeA, transposeB);
        fixed (float* pa = a, pb = b, pc = c)
        {
            var first = new GemmProblem(
                pa, aLayout.RowStride, transposeA, pb, bLayout.RowStride, transposeB, pc, cLayout.RowStride,
                m, n, k, accumulate);
            var parts = first.MultiplyAdds * batch.Count >= GemmBlocking.ParallelThreshold
                ? GemmBlocking.PartsFor(batch.Count, GemmBlocking.Parts)
                : 1;
            GemmRoutines.For(Kernel).MultiplyBatch(first, batch, parts);
        }
    }
}

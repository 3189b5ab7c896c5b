namespace MLNet.Transformers.Tensors;

/// <summary>
/// The right operand op(B) (k×n) of many products, packed once into the panels the product reads, so that each
/// product over it skips packing B: a layer's weight during inference. A snapshot: later changes to the source are not
/// seen. Products over it give the same bits as over the source; it is packed for the <see cref="Gemm.Kernel"/> in
/// effect when packed and keeps running on that kernel. Immutable, so products on several threads may share it.
/// </summary>
public sealed unsafe class PackedMatrix
{
    private readonly PackingBuffer _storage = new();
    private readonly GemmKernel _kernel;

    private PackedMatrix(GemmKernel kernel, int k, int n)
    {
        (_kernel, Depth, Columns) = (kernel, k, n);
    }

    /// <summary>Length k of the shared dimension: the columns of the A each product takes.</summary>
    public int Depth { get; }

    /// <summary>Columns n of op(B) and of each product's C.</summary>
    public int Columns { get; }

    /// <summary>
    /// Packs op(B) (k×n) of <paramref name="b"/>, stored row-major k×n, or n×k when <paramref name="transposeB"/>
    /// (a weight stored (out, in) as torch stores it: k = in, n = out).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative or the buffer is too short.</exception>
    public static PackedMatrix Pack(ReadOnlySpan<float> b, int k, int n, bool transposeB = false)
    {
        var batch = new GemmBatch(1, 1, new MatrixLayout(k, 0), new MatrixLayout(transposeB ? k : n, 0), new MatrixLayout(n, 0));
        GemmArguments.Validate(0, b.Length, 0, batch, m: 0, n, k, transposeA: false, transposeB);
        var kernel = GemmRoutines.Resolve(Gemm.Kernel);
        var routines = GemmRoutines.For(kernel);
        var packed = new PackedMatrix(kernel, k, n);
        var destination = packed._storage.Get(routines.PackedLength(n, k));
        fixed (float* pb = b)
        {
            var problem = new GemmProblem(null, k, false, pb, transposeB ? k : n, transposeB, null, n, 0, n, k, accumulate: false);
            if (k > 0 && n > 0) routines.Pack(problem, destination);
        }
        return packed;
    }

    /// <summary>The routines of the kernel the panels were packed for.</summary>
    internal GemmRoutines Routines => GemmRoutines.For(_kernel);

    /// <summary>The first packed float.</summary>
    internal float* Data => _storage.Get(0);
}

namespace MLNet.Transformers.Tensors;

/// <summary>
/// A degree of parallelism and a GEMM kernel in effect on the calling thread until the scope is disposed (it restores
/// what was in effect before): how an execution context (a <c>ManagedBackend</c>) applies its settings around each of
/// its operations without touching other threads. The degree narrows an enclosing one (an item of a data-parallel
/// loop keeps running on its one thread); <see cref="GemmKernel.Auto"/> keeps the enclosing kernel, any other kernel
/// replaces it. Allocation-free: <c>using var scope = EngineScope.Enter(degree, kernel);</c>.
/// </summary>
public readonly ref struct EngineScope
{
    private readonly int _outerDegree;
    private readonly GemmKernel? _outerKernel;

    private EngineScope(int outerDegree, GemmKernel? outerKernel)
    {
        _outerDegree = outerDegree;
        _outerKernel = outerKernel;
    }

    /// <summary>
    /// Makes <see cref="Parallelism.Degree"/> read at most <paramref name="degree"/> and <see cref="Gemm.Kernel"/> read
    /// <paramref name="kernel"/> (unless Auto) on this thread until the scope is disposed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degree"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException">This CPU does not run <paramref name="kernel"/> in hardware.</exception>
    public static EngineScope Enter(int degree, GemmKernel kernel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        Gemm.Supported(kernel);
        var scope = new EngineScope(Parallelism.ScopedDegree, Gemm.ScopedKernel);
        Parallelism.ScopedDegree = scope._outerDegree > 0 ? Math.Min(scope._outerDegree, degree) : degree;
        if (kernel != GemmKernel.Auto) Gemm.ScopedKernel = kernel;
        return scope;
    }

    /// <summary>Restores the degree and kernel in effect before <see cref="Enter"/>.</summary>
    public void Dispose()
    {
        Parallelism.ScopedDegree = _outerDegree;
        Gemm.ScopedKernel = _outerKernel;
    }
}

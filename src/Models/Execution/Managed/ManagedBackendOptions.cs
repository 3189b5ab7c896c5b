using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution.Managed;

/// <summary>The execution settings a <see cref="ManagedBackend"/> owns and applies around each of its operations.</summary>
public sealed record ManagedBackendOptions
{
    /// <summary>
    /// Threads the backend's operations use; null (the default) is every core (<see cref="Environment.ProcessorCount"/>).
    /// An operation called where the calling thread already runs on fewer (inside
    /// <see cref="Parallelism.WithDegree{T}"/>, or an item of a data-parallel loop, which runs on one) keeps the fewer.
    /// </summary>
    public int? DegreeOfParallelism { get; init; }

    /// <summary>
    /// The micro-kernel the backend's products run on. Default <see cref="Tensors.GemmKernel.Auto"/> (the fastest this
    /// CPU supports, or the kernel the calling thread chose with <see cref="Gemm.WithKernel{T}"/>). Every kernel gives
    /// the same bits; forcing one is for tests and benchmarks.
    /// </summary>
    public GemmKernel GemmKernel { get; init; } = GemmKernel.Auto;
}

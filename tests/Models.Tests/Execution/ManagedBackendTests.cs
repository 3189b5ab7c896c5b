using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Execution.Managed;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Execution;

/// <summary>
/// A <see cref="ManagedBackend"/> owns its threads and GEMM kernel: its operations run on as many threads as it has
/// (seen through the worker pool), on its kernel, with the bits of any other degree and kernel, and the calling
/// thread's settings are back as they were afterwards.
/// </summary>
[TestClass]
public sealed class ManagedBackendTests
{
    private const int Rows = 200, Inputs = 300, Outputs = 150; // above the parallel threshold of a product
    private const float Tolerance = 1e-4f;

    [TestMethod]
    public void DefaultsAreEveryCoreAndTheFastestKernel()
    {
        Assert.AreEqual(new ManagedBackendOptions(), ManagedBackend.Instance.Options);
        Assert.AreEqual((Environment.ProcessorCount, GemmKernel.Auto), InOneBatch(ManagedBackend.Instance, () => (Parallelism.Degree, Gemm.Kernel)));
    }

    [TestMethod]
    public void CreateGivesTheManagedEngineTheRequestedThreads()
    {
        var backend = (ManagedBackend)ComputeBackends.Create(ComputeBackends.DefaultDevice, degreeOfParallelism: 3);

        Assert.AreEqual(3, backend.Options.DegreeOfParallelism);
        Assert.AreEqual(3, backend.ConcurrentBatches);
        Assert.AreEqual(3, InOneBatch(backend, () => Parallelism.Degree));
        Assert.AreEqual(1, Parallelism.WithDegree(1, () => InOneBatch(backend, () => Parallelism.Degree)), "an item's one thread stays one");
        Assert.AreEqual(Environment.ProcessorCount, Parallelism.Degree, "the caller's thread is left as it was");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ComputeBackends.Create(ComputeBackends.DefaultDevice, 0));
    }

    [TestMethod]
    public void ManyBatchesRunDataParallelEachOnOneThread()
    {
        var backend = new ManagedBackend(new ManagedBackendOptions { DegreeOfParallelism = 2 });
        var batches = Parallelism.DataParallelItemsPerThread * backend.ConcurrentBatches;
        var degrees = new int[batches];
        using var meeting = new ThreadMeeting(backend.ConcurrentBatches);

        WorkerPool.Observing(meeting.PartStarted(), () =>
        {
            backend.RunBatches(batches, batch => degrees[batch] = Parallelism.Degree);
            return 0;
        });

        Assert.IsTrue(meeting.AllMet, "the batches ran on the backend's two threads at the same time");
        CollectionAssert.AreEqual(Enumerable.Repeat(1, batches).ToArray(), degrees, "each batch's operations stay on its thread");
    }

    [TestMethod]
    public void FewBatchesRunOneAfterAnotherOnEveryThreadOfTheBackend()
    {
        var backend = new ManagedBackend(new ManagedBackendOptions { DegreeOfParallelism = 2 });
        var batches = Parallelism.DataParallelItemsPerThread * backend.ConcurrentBatches - 1;
        var order = new List<(int Batch, int Degree)>();

        backend.RunBatches(batches, batch => order.Add((batch, Parallelism.Degree)));

        CollectionAssert.AreEqual(Enumerable.Range(0, batches).Select(b => (b, 2)).ToArray(), order);
    }

    [TestMethod]
    public void InvalidOptionsAreNamed()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ManagedBackend(new ManagedBackendOptions { DegreeOfParallelism = 0 }));
        StringAssert.Contains(error.Message, nameof(ManagedBackendOptions.DegreeOfParallelism));
        foreach (var kernel in Enum.GetValues<GemmKernel>().Where(kernel => !Gemm.IsSupported(kernel)))
        {
            var unsupported = Assert.ThrowsExactly<NotSupportedException>(() => new ManagedBackend(new ManagedBackendOptions { GemmKernel = kernel }));
            StringAssert.Contains(unsupported.Message, nameof(ManagedBackendOptions.GemmKernel));
        }
    }

    [TestMethod]
    public void OperationsRunOnTheBackendsThreadsWithTheSameBits()
    {
        var (serial, serialThreads) = Product(new ManagedBackendOptions { DegreeOfParallelism = 1 });
        var (parallel, parallelThreads) = Product(new ManagedBackendOptions { DegreeOfParallelism = 2 });
        var (scalar, _) = Product(new ManagedBackendOptions { DegreeOfParallelism = 2, GemmKernel = GemmKernel.Scalar });

        Assert.AreEqual(0, serialThreads, "one thread: no part is handed to a worker");
        Assert.AreEqual(2, parallelThreads, "the caller and one worker");
        CollectionAssert.AreEqual(serial, parallel);
        CollectionAssert.AreEqual(serial, scalar);
        var reference = Reference();
        for (var i = 0; i < reference.Length; i++) Assert.AreEqual(reference[i], serial[i], Tolerance, $"element {i} of the double-precision product");
    }

    /// <summary>What <paramref name="body"/> sees when it runs as the one batch of <paramref name="backend"/>.</summary>
    private static T InOneBatch<T>(ComputeBackend backend, Func<T> body)
    {
        var seen = default(T)!;
        backend.RunBatches(1, _ => seen = body());
        return seen;
    }

    /// <summary>y = x · wᵀ + b on a backend with <paramref name="options"/>, and how many threads ran its parts.</summary>
    private static (float[] Y, int Threads) Product(ManagedBackendOptions options)
    {
        var backend = new ManagedBackend(options);
        var (x, w, b) = Inputs3();
        var y = new Tensor(Rows, Outputs);
        using var meeting = new ThreadMeeting(options.DegreeOfParallelism ?? Environment.ProcessorCount); // each thread's first part waits for the others'
        WorkerPool.Observing(meeting.PartStarted(), () =>
        {
            backend.Linear(backend.Constant(x), backend.Constant(w), backend.Constant(b), backend.Constant(y)); // (N, C) · (O, C)ᵀ + (O)
            return 0;
        });
        Assert.IsTrue(meeting.AllMet, "the threads ran at the same time");
        return (y.Span.ToArray(), meeting.Threads().Count);
    }

    private static float[] Reference()
    {
        var (x, w, b) = Inputs3();
        var y = new float[Rows * Outputs];
        for (var n = 0; n < Rows; n++)
            for (var o = 0; o < Outputs; o++)
            {
                double sum = b.Span[o];
                for (var c = 0; c < Inputs; c++) sum += (double)x.Span[n * Inputs + c] * w.Span[o * Inputs + c];
                y[n * Outputs + o] = (float)sum;
            }
        return y;
    }

    private static (Tensor X, Tensor W, Tensor B) Inputs3()
    {
        var (x, w, b) = (new Tensor(Rows, Inputs), new Tensor(Outputs, Inputs), new Tensor(Outputs));
        new Rng(1).FillNormal(x.Span, 0f, 1f);
        new Rng(2).FillNormal(w.Span, 0f, 0.05f);
        new Rng(3).FillNormal(b.Span, 0f, 1f);
        return (x, w, b);
    }
}

using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Tensors.Tests;

/// <summary>
/// <see cref="EngineScope"/>: a degree and a kernel on the calling thread only, restored on dispose; the degree
/// narrows an enclosing one, Auto keeps the enclosing kernel; data-parallel items carry the caller's kernel.
/// </summary>
[TestClass]
public sealed class EngineScopeTests
{
    [TestMethod]
    public void ScopeHoldsOnItsThreadUntilDisposed()
    {
        int elsewhere;
        using (EngineScope.Enter(3, GemmKernel.Scalar))
        {
            Assert.AreEqual((3, GemmKernel.Scalar), (Parallelism.Degree, Gemm.Kernel));
            var other = 0;
            var thread = new Thread(() => other = Parallelism.Degree);
            thread.Start();
            thread.Join();
            elsewhere = other;
        }
        Assert.AreEqual(Environment.ProcessorCount, elsewhere);
        Assert.AreEqual((Environment.ProcessorCount, GemmKernel.Auto), (Parallelism.Degree, Gemm.Kernel));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => EngineScope.Enter(0, GemmKernel.Auto).Dispose());
    }

    [TestMethod]
    public void ScopeNarrowsAnEnclosingDegreeAndAutoKeepsItsKernel()
    {
        var (narrowed, kept, widened) = Parallelism.WithDegree(2, () => Gemm.WithKernel(GemmKernel.Scalar, () =>
        {
            using var inner = EngineScope.Enter(8, GemmKernel.Auto);
            var narrowedDegree = (Parallelism.Degree, Gemm.Kernel);
            var innermost = Parallelism.WithDegree(5, () => Parallelism.Degree); // WithDegree replaces
            return (narrowedDegree.Degree, narrowedDegree.Kernel, innermost);
        }));
        Assert.AreEqual((2, GemmKernel.Scalar, 5), (narrowed, kept, widened));
    }

    [TestMethod]
    public void ItemsOnWorkerThreadsRunOnTheCallersKernel()
    {
        const int items = 16, threadCount = 2;
        var kernels = new GemmKernel[items];
        using var meeting = new ThreadMeeting(threadCount); // each thread's first part waits for the other's: both run items
        using (EngineScope.Enter(threadCount, GemmKernel.Scalar))
            WorkerPool.Observing(meeting.PartStarted(), () =>
            {
                Parallelism.ForEachItem(items, item => kernels[item] = Gemm.Kernel);
                return 0;
            });
        Assert.IsTrue(kernels.All(kernel => kernel == GemmKernel.Scalar), string.Join(", ", kernels));
        Assert.IsTrue(meeting.AllMet && meeting.Threads().Count == threadCount, "the caller and one worker ran parts");
    }
}

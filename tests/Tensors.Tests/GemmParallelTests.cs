namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Determinism across runs and degrees; degrees set for one call on the test's own thread.</summary>
[TestClass]
public sealed class GemmParallelTests
{
    [TestMethod]
    public void TwoRunsAreBitIdentical()
    {
        var first = GemmReference.CheckDense(401, 300, 500, false, true, false, "first run");
        var second = GemmReference.CheckDense(401, 300, 500, false, true, false, "second run");
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    [DataRow(401, 300, 500)]
    [DataRow(7, 1200, 300)]
    [DataRow(300, 1152, 384)] // one row block, cut by rows
    public void DegreeOneAndTwoAreBitIdentical(int m, int n, int k)
    {
        var serial = Parallelism.WithDegree(1, () => GemmReference.CheckDense(m, n, k, true, true, true, "degree 1"));
        var parallel = Parallelism.WithDegree(2, () => GemmReference.CheckDense(m, n, k, true, true, true, "degree 2"));
        CollectionAssert.AreEqual(serial, parallel);
    }

    [TestMethod]
    public void SteadyStateProductsAllocateNothing()
    {
        // Counts this thread's allocations only. A loop another test starts at the same time may take the idle worker
        // pool this thread used, so a product must then create a pool of its own, once: a few attempts, one clean.
        const int m = 200, n = 150, k = 300, attempts = 3; // above the parallel threshold
        var a = GemmReference.RandomMatrix(m * k, 14);
        var b = GemmReference.RandomMatrix(k * n, 15);
        var c = new float[m * n];
        Gemm.Multiply(a, b, c, m, n, k);
        Gemm.BatchedMultiply(a, b, c, 2, m / 2, n / 2, k);

        long Allocated()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Multiply(a, b, c, m, n, k, transposeB: true);
            Gemm.BatchedMultiply(a, b, c, 2, m / 2, n / 2, k);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var allocated = new List<long>();
        for (var attempt = 0; attempt < attempts && allocated.LastOrDefault(-1) != 0; attempt++) allocated.Add(Allocated());
        Assert.AreEqual(0, allocated[^1], $"bytes per attempt: {string.Join(", ", allocated)}");
    }

    [TestMethod]
    public void EveryPartRunsOnceAndNestedLoopsComplete()
    {
        var outer = new int[5];
        var inner = new int[5 * 3];
        Parallelism.ForEachPart(outer.Length, part =>
        {
            Interlocked.Increment(ref outer[part]);
            Parallelism.ForEachPart(3, nested => Interlocked.Increment(ref inner[part * 3 + nested]));
        });
        Assert.IsTrue(outer.All(count => count == 1) && inner.All(count => count == 1));
    }

    [TestMethod]
    public void EveryItemRunsOnceOnOneThreadAtDegreeOne()
    {
        var runs = new int[50];
        var degrees = new int[runs.Length];
        Parallelism.ForEachItem(runs.Length, item =>
        {
            Interlocked.Increment(ref runs[item]);
            degrees[item] = Parallelism.Degree;
        });
        Assert.IsTrue(runs.All(count => count == 1));
        Assert.IsTrue(degrees.All(degree => degree == 1));
    }

    [TestMethod]
    public void BatchesRunDataParallelOnlyWhenEveryThreadGetsSeveral()
    {
        int[] Degrees(int items)
        {
            var degrees = new int[items];
            Parallelism.WithDegree(2, () =>
            {
                Parallelism.ForEachBatch(items, item => degrees[item] = Parallelism.Degree);
                return 0;
            });
            return degrees;
        }
        var few = Degrees(Parallelism.DataParallelItemsPerThread * 2 - 1); // one after another, kernels split each
        var many = Degrees(Parallelism.DataParallelItemsPerThread * 2); // data-parallel, an item per thread
        Assert.IsTrue(few.All(degree => degree == 2));
        Assert.IsTrue(many.All(degree => degree == 1));
    }

    [TestMethod]
    public void WithDegreeHoldsOnTheCallingThreadOnly()
    {
        var processWide = Parallelism.Degree;
        Assert.AreEqual(Environment.ProcessorCount, processWide, "every core outside any call that sets it");
        var (inside, nested, elsewhere) = Parallelism.WithDegree(processWide + 3, () =>
        {
            var other = 0;
            var thread = new Thread(() => other = Parallelism.Degree);
            thread.Start();
            thread.Join();
            return (Parallelism.Degree, Parallelism.WithDegree(1, () => Parallelism.Degree), other);
        });
        Assert.AreEqual((processWide + 3, 1, processWide), (inside, nested, elsewhere));
        Assert.AreEqual(processWide, Parallelism.Degree);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Parallelism.WithDegree(0, () => 0));
    }

    [TestMethod]
    public void ExceptionOfAnItemReachesTheCallerAndLaterItemsAreSkipped()
    {
        var started = 0;
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Parallelism.ForEachItem(1000, item =>
        {
            Interlocked.Increment(ref started);
            if (item == 3)
                throw new InvalidOperationException("item 3");
            Thread.Sleep(1);
        }));
        Assert.AreEqual("item 3", error.Message);
        Assert.IsLessThan(1000, started);
    }

    [TestMethod]
    public void ExceptionOfAPartReachesTheCaller()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Parallelism.ForEachPart(4, part =>
        {
            if (part == 2)
                throw new InvalidOperationException("part 2");
        }));
        Assert.AreEqual("part 2", error.Message);
    }

    [TestMethod]
    public void PartRangesTileTheCountInWholeUnits()
    {
        var ranges = Enumerable.Range(0, 3).Select(part => Parallelism.PartRange(100, 3, part, granularity: 12)).ToArray();
        CollectionAssert.AreEqual(new[] { (0, 36), (36, 72), (72, 100) }, ranges);
    }
}

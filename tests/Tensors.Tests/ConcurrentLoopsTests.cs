namespace MLNet.Transformers.Tensors.Tests;

/// <summary>Parallel loops started at once from two threads each run on threads of their own.</summary>
[TestClass]
public sealed class ConcurrentLoopsTests
{
    private const int Callers = 2, PartsEach = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void TwoCallersEachGetTheirThreads()
    {
        // Every part of both loops waits for all the others: only when each loop runs its two parts at the same time
        // (a second caller used to run its parts one after the other on its own thread) do all four meet.
        using var barrier = new Barrier(Callers * PartsEach);
        var met = new bool[Callers * PartsEach];
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Factory.StartNew(() => Parallelism.WithDegree(PartsEach, () =>
        {
            Parallelism.ForEachPart(PartsEach, part => met[caller * PartsEach + part] = barrier.SignalAndWait(Patience));
            return 0;
        }), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(callers);
        CollectionAssert.AreEqual(Enumerable.Repeat(true, met.Length).ToArray(), met);
    }

    [TestMethod]
    public void ALoopInsideAPartRunsOnItsThread()
    {
        var outer = new int[PartsEach];
        Parallelism.WithDegree(PartsEach, () =>
        {
            Parallelism.ForEachPart(PartsEach, part =>
            {
                var thread = Environment.CurrentManagedThreadId;
                var inner = new int[PartsEach];
                Parallelism.ForEachPart(PartsEach, i => inner[i] = Environment.CurrentManagedThreadId);
                outer[part] = inner.All(id => id == thread) ? 1 : 0;
            });
            return 0;
        });
        CollectionAssert.AreEqual(Enumerable.Repeat(1, PartsEach).ToArray(), outer);
    }
}

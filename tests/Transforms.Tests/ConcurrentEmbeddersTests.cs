using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// Two embedders with two threads each, called at the same time from two threads: each runs its batches on threads of
/// its own (the caller and a worker; neither waits for the other's), and each gets the vectors it gets alone, which
/// are the PyTorch reference's.
/// </summary>
[TestClass]
public sealed class ConcurrentEmbeddersTests
{
    private const int Embedders = 2, ThreadsEach = 2;

    [TestMethod]
    public void TwoConcurrentEmbeddersEachRunOnTheirOwnThreads()
    {
        // One-text batches, enough for a data-parallel pass: one loop per call, its parts on the caller and a worker.
        var texts = EmbedFixture.Texts;
        Assert.IsGreaterThanOrEqualTo(Parallelism.DataParallelItemsPerThread * ThreadsEach, texts.Length);
        var embedders = Enumerable.Range(0, Embedders).Select(_ => TextEmbedder.FromPretrained(new TextEmbeddingOptions
        {
            ModelPath = EmbedFixture.ModelDirectory,
            BatchSize = 1,
            DegreeOfParallelism = ThreadsEach,
        })).ToArray();
        var alone = embedders.Select(embedder => embedder.Embed(texts)).ToArray();

        // The first part each thread starts waits until all four threads have started one: only when both embedders
        // run on two threads each, at the same time, do they all meet.
        using var meeting = new ThreadMeeting(Embedders * ThreadsEach, groups: Embedders);
        var calls = Enumerable.Range(0, Embedders).Select(e => Task.Factory.StartNew(
            () => WorkerPool.Observing(meeting.PartStarted(e), () => embedders[e].Embed(texts)), TaskCreationOptions.LongRunning)).ToArray();
        var together = Task.WhenAll(calls).Result;

        var threads = Enumerable.Range(0, Embedders).Select(e => meeting.Threads(e)).ToArray();
        Assert.IsTrue(meeting.AllMet, "the four threads did not all run at the same time");
        Assert.IsTrue(threads.All(t => t.Count == ThreadsEach), $"threads per embedder: {string.Join(", ", threads.Select(t => t.Count))}");
        Assert.IsFalse(threads[0].Intersect(threads[1]).Any(), "the embedders shared a thread");
        for (var e = 0; e < Embedders; e++)
        {
            for (var i = 0; i < texts.Length; i++) CollectionAssert.AreEqual(alone[e][i], together[e][i], $"embedder {e}, text {i}");
            EmbedFixture.AssertClose(EmbedFixture.Expected("truncate.mean.normalized"), together[e], $"embedder {e}");
        }
    }
}

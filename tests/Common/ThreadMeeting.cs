using System.Collections.Concurrent;

namespace MLNet.Transformers.Tests.Common;

/// <summary>
/// Which threads run parts of parallel loops, with a meeting that proves they ran at the same time: the first part
/// each thread starts waits (up to <see cref="Patience"/>) until <paramref name="threads"/> threads have started one.
/// Pass <see cref="PartStarted"/> to the engine's part observer, one group per caller being watched.
/// </summary>
/// <param name="threads">Threads expected to meet, all groups together.</param>
/// <param name="groups">Callers watched (each with its own record of threads).</param>
internal sealed class ThreadMeeting(int threads, int groups = 1) : IDisposable
{
    /// <summary>How long a thread waits for the others before the meeting counts as failed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Barrier _barrier = new(threads);
    private readonly ConcurrentDictionary<int, bool>[] _met = [.. Enumerable.Range(0, groups).Select(_ => new ConcurrentDictionary<int, bool>())];

    /// <summary>The observer for <paramref name="group"/>: records the calling thread, and on its first part waits for the others.</summary>
    public Action PartStarted(int group = 0) => () =>
    {
        var thread = Environment.CurrentManagedThreadId;
        if (_met[group].TryAdd(thread, false)) _met[group][thread] = _barrier.SignalAndWait(Patience);
    };

    /// <summary>The managed ids of the threads that started parts for <paramref name="group"/>.</summary>
    public IReadOnlyCollection<int> Threads(int group = 0) => [.. _met[group].Keys];

    /// <summary>Whether every thread seen met all the others in time.</summary>
    public bool AllMet => _met.All(group => group.Values.All(met => met));

    /// <inheritdoc />
    public void Dispose() => _barrier.Dispose();
}

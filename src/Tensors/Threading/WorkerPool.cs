using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Dedicated background threads that run the parts of one parallel loop at a time, with the calling thread taking
/// parts too. Cheaper to wake than <see cref="Parallel.For(int, int, Action{int})"/> and allocation-free once warm.
/// Concurrent callers each get a pool of their own (pools are kept and reused), so two embedders on two threads each
/// run on their own workers; a loop started inside a part of another (a nested loop) runs its parts on its own thread.
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>Pools not running a loop now; one is taken per concurrent caller, created when none is free.</summary>
    private static readonly ConcurrentBag<WorkerPool> Idle = [];

    /// <summary>Whether this thread is running parts of a loop (a worker, or a caller inside its loop).</summary>
    [ThreadStatic] private static bool t_inLoop;

    /// <summary>This thread's observer of the parts its loops hand to a pool (set by <see cref="Observing{T}"/>); null outside.</summary>
    [ThreadStatic] private static Action? t_observer;

    private readonly List<SemaphoreSlim> _wakeUps = [];
    private readonly CountdownEvent _helpersDone = new(0);
    private Action<int>? _body;
    private Action? _observer;
    private int _parts;
    private int _nextPart;
    private Exception? _error;

    /// <summary>
    /// Runs <paramref name="body"/> for every part in <c>[0, parts)</c> on up to <paramref name="threads"/> threads
    /// (the caller included) and returns when all are done. After a part throws, parts not yet started are skipped and
    /// the first exception is rethrown.
    /// </summary>
    public static void Run(int parts, int threads, Action<int> body)
    {
        if (parts <= 1 || threads <= 1 || t_inLoop)
        {
            for (var part = 0; part < parts; part++)
                body(part);
            return;
        }

        var pool = Idle.TryTake(out var idle) ? idle : new WorkerPool();
        t_inLoop = true;
        try
        {
            pool.Dispatch(parts, Math.Min(parts, threads) - 1, body, t_observer);
        }
        finally
        {
            t_inLoop = false;
            Idle.Add(pool);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on the calling thread with <paramref name="partStarted"/> called on whichever thread
    /// starts a part of a loop this thread hands to a pool (loops run wholly on the calling thread are not seen): how a
    /// test observes which threads a caller's work runs on. Other threads are left alone.
    /// </summary>
    internal static T Observing<T>(Action partStarted, Func<T> body)
    {
        var outer = t_observer;
        t_observer = partStarted;
        try
        {
            return body();
        }
        finally
        {
            t_observer = outer;
        }
    }

    private void Dispatch(int parts, int helpers, Action<int> body, Action? observer)
    {
        while (_wakeUps.Count < helpers)
            StartWorker();
        _body = body;
        _observer = observer;
        _parts = parts;
        _nextPart = -1;
        _error = null;
        _helpersDone.Reset(helpers);
        for (var i = 0; i < helpers; i++)
            _wakeUps[i].Release();
        RunParts();
        _helpersDone.Wait();
        _body = null;
        _observer = null;
        if (_error is { } error)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Takes parts until none is left; on the caller and on every woken worker.</summary>
    private void RunParts()
    {
        int part;
        while ((part = Interlocked.Increment(ref _nextPart)) < _parts)
        {
            try
            {
                _observer?.Invoke();
                _body!(part);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _error, exception, null);
                Volatile.Write(ref _nextPart, _parts); // parts not yet started are skipped
            }
        }
    }

    private void StartWorker()
    {
        var wakeUp = new SemaphoreSlim(0);
        _wakeUps.Add(wakeUp);
        var thread = new Thread(() =>
        {
            t_inLoop = true;
            while (true)
            {
                wakeUp.Wait();
                RunParts();
                _helpersDone.Signal();
            }
        })
        {
            IsBackground = true,
            Name = $"MLNet.Transformers worker {_wakeUps.Count}",
        };
        thread.Start();
    }
}

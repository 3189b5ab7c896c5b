namespace MLNet.Transformers.Tensors;

/// <summary>
/// The degree of parallelism the engine's kernels use, and the fixed partitioning they share: work is split into
/// parts that depend only on its size and the degree, never on scheduling, so results are bit-identical from run to
/// run at the same degree. Nothing here is process-wide: a degree holds on the thread that set it
/// (<see cref="WithDegree{T}"/>, an <see cref="EngineScope"/>, or an item of <see cref="ForEachItem"/>), for the
/// duration of that call.
/// </summary>
public static class Parallelism
{
    /// <summary>Fewest items per thread for which <see cref="ForEachBatch"/> runs them data-parallel.</summary>
    public const int DataParallelItemsPerThread = 2;

    [ThreadStatic] private static int t_degree; // this thread's degree inside WithDegree, a scope or an item; 0 outside

    /// <summary>
    /// Number of worker threads a kernel may use on the calling thread: <see cref="Environment.ProcessorCount"/>
    /// (all cores) unless a call sets it for its thread: inside <see cref="WithDegree{T}"/> that call's degree, inside
    /// an <see cref="EngineScope"/> (a <c>ManagedBackend</c>'s operations) the scope's, inside an item of
    /// <see cref="ForEachItem"/> 1.
    /// </summary>
    public static int Degree => t_degree > 0 ? t_degree : Environment.ProcessorCount;

    /// <summary>This thread's degree as set by a call (0 outside any); what an <see cref="EngineScope"/> saves and restores.</summary>
    internal static int ScopedDegree
    {
        get => t_degree;
        set => t_degree = value;
    }

    /// <summary>
    /// Runs <paramref name="body"/> once for every part in <c>[0, parts)</c>, concurrently on up to
    /// <see cref="Degree"/> threads (the calling thread included), and returns when all are done. Which thread runs a
    /// part varies; what a part computes must depend only on its index. A loop started while another runs (inside one
    /// of its parts, or from another thread) runs its parts on its own calling thread. After a part throws, parts not
    /// yet started are skipped and the first exception is rethrown.
    /// </summary>
    /// <param name="parts">Number of parts; usually at most <see cref="Degree"/>.</param>
    /// <param name="body">The work of one part, given its index.</param>
    public static void ForEachPart(int parts, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        ArgumentNullException.ThrowIfNull(body);
        WorkerPool.Run(parts, Degree, body);
    }

    /// <summary>
    /// Data parallelism: runs <paramref name="body"/> once for every item in <c>[0, items)</c>, the items taken in order
    /// by up to <see cref="Degree"/> threads as they free up, each item wholly on one thread: inside the body
    /// <see cref="Degree"/> reads 1, so the kernels it calls do not split the item further, and
    /// <see cref="Gemm.Kernel"/> reads the caller's. For many independent items
    /// (inference batches) each then runs at single-thread efficiency with no synchronisation inside it. Products and
    /// row-wise kernels give the same bits at any degree, so an item made of them computes what it would alone. After
    /// an item throws, items not yet started are skipped and the first exception is rethrown.
    /// </summary>
    /// <param name="items">Number of items.</param>
    /// <param name="body">The work of one item, given its index.</param>
    public static void ForEachItem(int items, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ArgumentNullException.ThrowIfNull(body);
        var next = -1;
        var kernel = Gemm.Kernel; // the caller's, for items that run on worker threads
        ForEachPart(Math.Min(items, Degree), _ =>
        {
            using var scope = EngineScope.Enter(1, kernel);
            try
            {
                int item;
                while ((item = Interlocked.Increment(ref next)) < items) body(item);
            }
            catch
            {
                Volatile.Write(ref next, items); // items not yet started are skipped
                throw;
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> once for every item in <c>[0, items)</c> (inference batches): data-parallel through
    /// <see cref="ForEachItem"/> when there are at least <see cref="DataParallelItemsPerThread"/> items per thread, so
    /// the threads stay busy to the end; otherwise one after another on the calling thread, the kernels splitting each.
    /// Products and row-wise kernels give the same bits either way.
    /// </summary>
    /// <param name="items">Number of items.</param>
    /// <param name="body">The work of one item, given its index.</param>
    public static void ForEachBatch(int items, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ArgumentNullException.ThrowIfNull(body);
        if (items >= DataParallelItemsPerThread * Degree)
        {
            ForEachItem(items, body);
            return;
        }
        for (var item = 0; item < items; item++) body(item);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on the calling thread with <see cref="Degree"/> reading <paramref name="degree"/>
    /// there (so the kernels it calls use that many threads): a degree of parallelism for one call that leaves other
    /// threads alone. It replaces an enclosing call's degree (an <see cref="EngineScope"/> narrows it instead).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degree"/> is less than 1.</exception>
    public static T WithDegree<T>(int degree, Func<T> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentNullException.ThrowIfNull(body);
        var outer = t_degree;
        t_degree = degree;
        try
        {
            return body();
        }
        finally
        {
            t_degree = outer;
        }
    }

    /// <summary><see cref="WithDegree{T}"/> for a body that returns nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degree"/> is less than 1.</exception>
    public static void WithDegree(int degree, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        WithDegree(degree, () =>
        {
            body();
            return 0;
        });
    }

    /// <summary>
    /// The range <c>[Start, End)</c> of part <paramref name="part"/> when <c>[0, count)</c> is split into
    /// <paramref name="parts"/> contiguous ranges of nearly equal size, every boundary a multiple of
    /// <paramref name="granularity"/> (the last range takes the remainder; trailing ranges may be empty).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or parts or granularity is less than 1.</exception>
    public static (int Start, int End) PartRange(int count, int parts, int part, int granularity = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfLessThan(granularity, 1);
        var units = (count + granularity - 1) / granularity;
        var unitsPerPart = (units + parts - 1) / parts;
        var start = Math.Min(count, part * unitsPerPart * granularity);
        var end = Math.Min(count, (part + 1) * unitsPerPart * granularity);
        return (start, end);
    }
}

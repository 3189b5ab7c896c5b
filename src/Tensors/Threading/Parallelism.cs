namespace MLNet.Transformers.Tensors;

/// <summary>
/// The degree of parallelism the engine's kernels use, and the fixed partitioning they share: work is split into
/// parts that depend only on its size and the degree, never on scheduling, so results are bit-identical from run to
/// run at the same degree.
/// </summary>
public static class Parallelism
{
    private static int _degree = Environment.ProcessorCount;

    /// <summary>Number of worker threads a kernel may use; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int Degree
    {
        get => _degree;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _degree = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> once for every part in <c>[0, parts)</c>, concurrently on up to
    /// <see cref="Degree"/> threads (the calling thread included), and returns when all are done. Which thread runs a
    /// part varies; what a part computes must depend only on its index. A loop started inside another one runs its
    /// parts on the calling thread. After a part throws, parts not yet started are skipped and the first exception is
    /// rethrown.
    /// </summary>
    /// <param name="parts">Number of parts; usually at most <see cref="Degree"/>.</param>
    /// <param name="body">The work of one part, given its index.</param>
    public static void ForEachPart(int parts, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        ArgumentNullException.ThrowIfNull(body);
        WorkerPool.Run(parts, _degree, body);
    }

    /// <summary>
    /// The range <c>[Start, End)</c> of part <paramref name="part"/> when <c>[0, count)</c> is split into
    /// <paramref name="parts"/> contiguous ranges of nearly equal size, every boundary a multiple of
    /// <paramref name="granularity"/> (the last range takes the remainder; trailing ranges may be empty).
    /// </summary>
    public static (int Start, int End) PartRange(int count, int parts, int part, int granularity = 1)
    {
        var units = (count + granularity - 1) / granularity;
        var unitsPerPart = (units + parts - 1) / parts;
        var start = Math.Min(count, part * unitsPerPart * granularity);
        var end = Math.Min(count, (part + 1) * unitsPerPart * granularity);
        return (start, end);
    }
}

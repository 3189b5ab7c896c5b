using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// The one way inference turns many sequences into model batches; the featurizer, the classifier's scoring and its
/// validation all use it, and a model runs the batch it is given as it is. Sequences are sorted by length, longest
/// first (ties in input order), so a batch carries little padding, and cut into batches of at most
/// <see cref="BatchSize"/> sequences and at most <see cref="MaxBatchTokens"/> padded tokens (B × T, which bounds the
/// activations a batch needs; a sequence longer than that is a batch of its own). <see cref="Run"/> runs the batches
/// on the backend, which decides how many run at once.
/// </summary>
public sealed record InferenceBatching
{
    /// <summary>Default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Default of <see cref="MaxBatchTokens"/>: a batch's activations then stay within a few megabytes per layer.</summary>
    public const int DefaultMaxBatchTokens = 1024;

    /// <summary>Most sequences in one batch. Default <see cref="DefaultBatchSize"/>.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Most padded tokens (sequences × the longest's length) in one batch of several sequences. Default <see cref="DefaultMaxBatchTokens"/>.</summary>
    public int MaxBatchTokens { get; init; } = DefaultMaxBatchTokens;

    /// <summary>
    /// How many sequences one call should bring to keep a backend that runs <paramref name="concurrentBatches"/>
    /// batches at once busy (<see cref="ComputeBackend.ConcurrentBatches"/>):
    /// <see cref="Parallelism.DataParallelItemsPerThread"/> full batches for each. Callers that choose how many inputs
    /// to pass at once (a pipeline reading rows) pass this many.
    /// </summary>
    public int DataParallelInputs(int concurrentBatches) => BatchSize * Parallelism.DataParallelItemsPerThread * concurrentBatches;

    /// <summary>The sequence indices of each batch, for sequences of the given <paramref name="lengths"/> (in tokens).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BatchSize"/> or <see cref="MaxBatchTokens"/> is less than 1.</exception>
    public IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchTokens, 1, nameof(MaxBatchTokens));
        var order = Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
        var batches = new List<int[]>();
        for (var start = 0; start < order.Length;)
        {
            var longest = Math.Max(1, lengths[order[start]]); // the batch's padded length: its first sequence is its longest
            var rows = Math.Min(order.Length - start, Math.Clamp(MaxBatchTokens / longest, 1, BatchSize));
            batches.Add(order[start..(start + rows)]);
            start += rows;
        }
        return batches;
    }

    /// <summary>
    /// Runs <paramref name="runBatch"/> on every batch of <see cref="Plan"/> through
    /// <see cref="ComputeBackend.RunBatches"/>: on the managed engine data-parallel when there are batches enough for
    /// every thread, else one after another.
    /// </summary>
    /// <param name="lengths">Each sequence's length in tokens.</param>
    /// <param name="backend">The backend the batches run on, which decides how many run at once.</param>
    /// <param name="runBatch">Runs one batch, given its sequence indices (longest first); called from several threads at once.</param>
    public void Run(IReadOnlyList<int> lengths, ComputeBackend backend, Action<int[]> runBatch)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(runBatch);
        var plan = Plan(lengths);
        backend.RunBatches(plan.Count, batch => runBatch(plan[batch]));
    }
}

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Groups sequences into batches of similar length, so that padding (and attention over it) stays minimal: sequences
/// sorted by length, longest first (ties in input order), then cut into consecutive batches.
/// </summary>
public static class LengthSortedBatches
{
    /// <summary>The sequence indices of each batch, for sequences of the given <paramref name="lengths"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public static IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
        return order.Chunk(batchSize).ToArray();
    }
}

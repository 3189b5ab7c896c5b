using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// The batches of one epoch: a shuffle fixed by the seed and the epoch number, optionally grouped by length (see
/// <see cref="LengthBucketing"/>). The same inputs always give the same plan, so a resumed run finds its place.
/// </summary>
internal static class BatchPlan
{
    private const ulong EpochSalt = 0xBA7C4E5UL;

    /// <summary>The example indices of every batch of epoch <paramref name="epoch"/> (0-based), in order.</summary>
    public static int[][] ForEpoch(ITrainableModel model, TrainingOptions options, int epoch)
    {
        var count = model.ExampleCount;
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Rng(SeedMixer.Mix(options.SeedOrDefault, EpochSalt, (ulong)epoch));
        rng.Shuffle(order.AsSpan());
        var size = options.BatchSize;
        if (options.LengthBucketing == LengthBucketing.None) return [.. order.Chunk(size)];
        var batches = new List<int[]>();
        foreach (var pool in order.Chunk(size * options.BucketPoolBatches))
            batches.AddRange(pool.OrderBy(model.ExampleLength).Chunk(size));
        var shuffled = batches.ToArray();
        rng.Shuffle(shuffled.AsSpan());
        return shuffled;
    }
}

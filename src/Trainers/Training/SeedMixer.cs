using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Training;

/// <summary>Derives independent seeds for the streams of a run (data order, per-step dropout) from the run's seed.</summary>
internal static class SeedMixer
{
    /// <summary>A seed fixed by <paramref name="seed"/>, a stream <paramref name="salt"/> and an <paramref name="index"/>.</summary>
    public static ulong Mix(int seed, ulong salt, ulong index)
    {
        var rng = new Rng(unchecked((ulong)(uint)seed ^ (salt * 0x9E3779B97F4A7C15UL)));
        rng.Reseed(rng.NextUInt64() ^ index);
        return rng.NextUInt64();
    }
}

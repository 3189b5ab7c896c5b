namespace MLNet.Transformers.Trainers.Training;

/// <summary>Whether the examples of a batch are grouped by length (less padding, faster steps).</summary>
public enum LengthBucketing
{
    /// <summary>Batches are consecutive runs of a plain shuffle.</summary>
    None,

    /// <summary>
    /// The shuffled examples are cut into pools of <see cref="TrainingOptions.BucketPoolBatches"/> batches, each pool
    /// is sorted by length and cut into batches, and the batches are shuffled: every batch holds similar lengths
    /// while the order stays random (deterministic by seed).
    /// </summary>
    Pooled,
}

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>A part of a <see cref="TextCorpus"/>'s seeded split.</summary>
public enum CorpusPart
{
    /// <summary>The texts trained on.</summary>
    Training,

    /// <summary>The texts held out to measure perplexity.</summary>
    HeldOut,
}

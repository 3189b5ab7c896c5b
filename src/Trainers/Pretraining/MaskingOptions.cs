namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>How <see cref="TokenMasker"/> corrupts a sequence, with BERT's defaults.</summary>
public sealed record MaskingOptions
{
    /// <summary>The probability that a token (or, with whole-word masking, a word) is chosen for prediction. Default 0.15.</summary>
    public double MaskProbability { get; init; } = 0.15;

    /// <summary>The probability that a chosen token is replaced by <c>[MASK]</c>. Default 0.8.</summary>
    public double ReplaceWithMaskProbability { get; init; } = 0.8;

    /// <summary>The probability that a chosen token is replaced by a random non-special token (else it is kept). Default 0.1.</summary>
    public double ReplaceWithRandomProbability { get; init; } = 0.1;

    /// <summary>Choose whole words: a token and its <c>##</c> continuations are chosen together. Default false.</summary>
    public bool WholeWordMasking { get; init; }

    /// <summary>Checks that the probabilities are in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1], or the two replacement ones sum above 1.</exception>
    public void Validate()
    {
        foreach (var (value, name) in new[]
                 {
                     (MaskProbability, nameof(MaskProbability)), (ReplaceWithMaskProbability, nameof(ReplaceWithMaskProbability)),
                     (ReplaceWithRandomProbability, nameof(ReplaceWithRandomProbability)),
                 })
        {
            if (value is < 0 or > 1) throw new ArgumentOutOfRangeException(name, value, "A probability must be in [0, 1].");
        }
        if (ReplaceWithMaskProbability + ReplaceWithRandomProbability > 1)
            throw new ArgumentOutOfRangeException(nameof(ReplaceWithRandomProbability), "The [MASK] and random replacement probabilities sum above 1.");
    }
}

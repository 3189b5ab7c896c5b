namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// The sizes of one run of the study: the full plan (about 20-30 minutes on two quiet cores) or <c>--quick</c>, a smoke
/// run of every experiment at small sizes whose numbers show that the pipeline works, not what the full run finds.
/// </summary>
internal sealed record StudyPlan
{
    public required bool Quick { get; init; }

    /// <summary>Sequence lengths of the throughput sweep.</summary>
    public required int[] ThroughputLengths { get; init; }

    /// <summary>Seconds of timed steps per (network, length), after one warm-up step.</summary>
    public required double ThroughputSeconds { get; init; }

    /// <summary>Distances of the long-range task.</summary>
    public required int[] Distances { get; init; }

    /// <summary>Training steps per (network, distance), batches of <see cref="SyntheticBatch"/>.</summary>
    public required int LongRangeSteps { get; init; }

    /// <summary>Sequence length of the gradient measurement.</summary>
    public required int GradientLength { get; init; }

    /// <summary>Random sequences the gradient norms are averaged over.</summary>
    public required int GradientTrials { get; init; }

    /// <summary>SST-2 training rows (the first of train.tsv) and AG News training rows (the first of dev.tsv).</summary>
    public required int Sst2Rows { get; init; }

    public required int AgNewsRows { get; init; }

    /// <summary>Test rows scored (all of them in the full run).</summary>
    public required int TestRows { get; init; }

    public int SyntheticBatch => 32;

    public int ThroughputBatch => 16;

    public float SyntheticLearningRate => 1e-3f;

    public int SyntheticTestCount => Quick ? 128 : 512;

    /// <summary>Width (embeddings and states) of the long-range and gradient experiments.</summary>
    public int SyntheticWidth => 64;

    /// <summary>Width of the throughput networks.</summary>
    public int ThroughputWidth => 128;

    public static StudyPlan Create(bool quick) => quick
        ? new()
        {
            Quick = true, ThroughputLengths = [32, 128, 512], ThroughputSeconds = 0.2, Distances = [8, 32, 128], LongRangeSteps = 40,
            GradientLength = 64, GradientTrials = 2, Sst2Rows = 800, AgNewsRows = 800, TestRows = 400,
        }
        : new()
        {
            Quick = false, ThroughputLengths = [32, 64, 128, 256, 512, 1024], ThroughputSeconds = 2, Distances = [8, 16, 32, 64, 128, 256, 512], LongRangeSteps = 300,
            GradientLength = 256, GradientTrials = 8, Sst2Rows = 20_000, AgNewsRows = 10_000, TestRows = int.MaxValue,
        };
}

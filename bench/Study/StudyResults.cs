namespace MLNet.Transformers.Bench.Study;

/// <summary>Everything one run of the study measured.</summary>
internal sealed record StudyResults(
    StudyPlan Plan,
    NetworkShape ThroughputShape,
    NetworkShape SyntheticShape,
    Dictionary<string, List<(int Length, double ExamplesPerSecond)>> Throughput,
    Dictionary<string, List<(int Distance, double Accuracy, double Loss)>> LongRange,
    Dictionary<string, double[]> Gradients,
    List<RealDataResult> Sst2,
    List<RealDataResult> AgNews,
    int Sst2TestRows,
    int AgNewsTestRows,
    int Threads);

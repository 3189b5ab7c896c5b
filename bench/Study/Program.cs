using System.Diagnostics;
using MLNet.Transformers.Bench;
using MLNet.Transformers.Bench.Study;
using MLNet.Transformers.Tensors;

// The study of docs/why-transformers.md: every number and figure from this one run.
// Usage: study [--quick] --shared DIR --doc FILE --figures DIR [--threads 2] [--seed 1] [--long-range-steps N] [--distances d1,d2,...]
// (the last two override the plan, to try a setting; the report states the values used).
var arguments = new Arguments(args);
var plan = StudyPlan.Create(arguments.Flag("--quick"));
plan = plan with
{
    LongRangeSteps = arguments.Int("--long-range-steps", plan.LongRangeSteps),
    Distances = arguments.Text("--distances") is { } distances ? [.. distances.Split(',').Select(int.Parse)] : plan.Distances,
};
var shared = arguments.Required("--shared");
var threads = arguments.Int("--threads", 2);
var seed = arguments.Int("--seed", 1);
var figures = arguments.Required("--figures");
Directory.CreateDirectory(figures);
var tokenizer = Path.Combine(shared, "tokenizers", "bert-base-uncased", "vocab.txt");
var clock = Stopwatch.StartNew();

var report = Parallelism.WithDegree(threads, () =>
{
    var throughputShape = new NetworkShape(Vocabulary: 1000, plan.ThroughputWidth, Classes: 2, Bidirectional: true, TransformerLayers: 1,
        MaxPositions: plan.ThroughputLengths.Max());
    var throughput = Throughput.Measure(throughputShape, plan.ThroughputLengths, plan.ThroughputBatch, plan.ThroughputSeconds, (ulong)seed);

    var syntheticShape = new NetworkShape(LongRangeTask.Vocabulary, plan.SyntheticWidth, LongRangeTask.Classes, Bidirectional: false,
        TransformerLayers: 1, MaxPositions: 1 + LongRangeTask.Lead + plan.Distances.Max());
    var longRange = LongRange.Measure(syntheticShape, plan.Distances, plan.LongRangeSteps, plan.SyntheticBatch, plan.SyntheticLearningRate,
        plan.SyntheticTestCount, (ulong)seed);

    var gradientShape = syntheticShape with { Vocabulary = plan.GradientLength + 1, MaxPositions = plan.GradientLength };
    var gradients = GradientFlow.Measure(gradientShape, plan.GradientLength, plan.GradientTrials, (ulong)seed);

    var sst2Folder = Path.Combine(shared, "data", "sst2");
    var sst2Test = RealData.Read(Path.Combine(sst2Folder, "test.tsv"), header: true, plan.TestRows);
    var sst2 = RealData.Run(RealData.Read(Path.Combine(sst2Folder, "train.tsv"), header: true, plan.Sst2Rows), sst2Test, tokenizer,
        maxTokens: 64, epochs: 1, threads, seed);
    var agFolder = Path.Combine(shared, "data", "ag_news");
    var agNews = RealData.Run(RealData.Read(Path.Combine(agFolder, "dev.tsv"), header: false, plan.AgNewsRows),
        RealData.Read(Path.Combine(agFolder, "test.tsv"), header: false, plan.TestRows), tokenizer, maxTokens: 128, epochs: 1, threads, seed);

    return new StudyResults(plan, throughputShape, syntheticShape, throughput, longRange, gradients, sst2, agNews, sst2Test.Count,
        RealData.Read(Path.Combine(agFolder, "test.tsv"), header: false, plan.TestRows).Count, threads);
});

var sentence = StudyReport.AttentionSentence;
var document = StudyReport.Write(report, figures, sentence, clock.Elapsed,
    $"bench/run study{(plan.Quick ? " --quick" : "")}", $"{Environment.ProcessorCount} cores, load average before/after {arguments.Text("--load-before") ?? "?"} / {LoadAverage()}");
File.WriteAllText(arguments.Required("--doc"), document);
Console.WriteLine(StudyReport.Summary(report));

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Bench.Models;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;

// prepare DIR: writes a random-weight checkpoint shaped by --config and the token batches (inputs.txt).
// forward DIR: loads it and times inference forwards over the batches (each in the pieces of the inference batching
// policy, one after another); last line
// "sequences_per_second=X peak_rss_mb=Y".
var options = BenchmarkOptions.Parse(args);
if (options.Command == "prepare")
{
    var config = BertConfig.Load(options.Config ?? throw new ArgumentException("prepare needs --config FILE"));
    var model = new BertModel(config);
    model.Initialize(options.Seed);
    model.SavePretrained(options.Directory);
    BenchmarkInputs.Write(options.Directory, options, config.VocabSize, new Random((int)options.Seed));
    return;
}

using var engine = EngineScope.Enter(options.Threads, GemmKernel.Auto); // the main thread's degree, for the rest of the run
var encoder = BertModel.FromPretrained(options.Directory);
var batching = new InferenceBatching { BatchSize = int.MaxValue, MaxBatchTokens = options.MaxBatchTokens };
var batches = BenchmarkInputs.Read(options.Directory);
var sequences = batches.Sum(b => b.BatchSize);
for (var i = 0; i < options.WarmupRuns; i++) RunAll();
var seconds = new double[options.TimedRuns];
for (var i = 0; i < seconds.Length; i++)
{
    var start = Stopwatch.GetTimestamp();
    RunAll();
    seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
}
Array.Sort(seconds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sequences_per_second={sequences / seconds[seconds.Length / 2]:F2} peak_rss_mb={PeakResidentMegabytes():F1}"));

void RunAll()
{
    foreach (var batch in batches)
    {
        foreach (var rows in batching.Plan([.. Enumerable.Repeat(batch.SequenceLength, batch.BatchSize)]))
            encoder.Forward(batch.Rows(rows[0], rows.Length), training: false); // equal lengths: the rows of a piece are consecutive
    }
}

// VmHWM of /proc/self/status: the peak resident set of this process.
static double PeakResidentMegabytes()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.Transformers;
using MLNet.Transformers.Bench.Embed;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Transforms;

// prepare DIR SHARED_MODEL DATA.tsv SEED BATCH: a sentence-transformers checkpoint with the shared model's config,
//   tokenizer and modules and seeded random weights; the sentences; the length-sorted batches every contender runs.
// embed DIR THREADS BATCH WARMUP RUNS: times TextEmbedder.Embed over every sentence (tokenize, sort, encode, pool,
//   normalise), writes ours.f32; last line "sentences_per_second=X peak_rss_mb=Y".
// int8 DIR THREADS BATCH WARMUP RUNS: the same with Precision.Int8 (8-bit dense products), writes int8.f32.
// pipeline DIR THREADS BATCH WARMUP RUNS: the same sentences through an ML.NET pipeline (LoadFromEnumerable ->
//   ApplyTextEmbedding, a cursor reading every vector), writes pipeline.f32; the same last line.
var (command, directory) = (args[0], args[1]);
if (command == "prepare")
{
    var (shared, data, seed, batchSize) = (args[2], args[3], ulong.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture));
    foreach (var file in Directory.GetFiles(shared, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(directory, Path.GetRelativePath(shared, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }
    var model = new BertModel(BertConfig.Load(Path.Combine(shared, BertConfig.FileName)), addPoolingLayer: false);
    model.Initialize(seed);
    model.SaveWeights(Path.Combine(directory, CheckpointFiles.Safetensors));
    var sentences = EmbedBenchFiles.ReadTsvColumn(data, "sentence");
    File.WriteAllLines(Path.Combine(directory, EmbedBenchFiles.Sentences), sentences);
    var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = directory, BatchSize = batchSize });
    var encodings = embedder.Tokenizer.EncodeBatch(sentences);
    var plan = LengthSortedBatches.Plan([.. encodings.Select(e => e.Length)], batchSize);
    EmbedBenchFiles.WriteBatches(Path.Combine(directory, EmbedBenchFiles.Batches), plan, [.. encodings.Select(e => e.Ids)]);
    Console.WriteLine($"prepared {sentences.Length} sentences in {plan.Count} batches of up to {batchSize}, longest {encodings.Max(e => e.Length)} tokens");
    return;
}

var (threads, batch, warmup, runs) = (int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
    int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture));
var precision = command == "int8" ? Precision.Int8 : Precision.Float32;
var options = new TextEmbeddingOptions { ModelPath = directory, BatchSize = batch, DegreeOfParallelism = threads, Precision = precision };
var texts = File.ReadAllLines(Path.Combine(directory, EmbedBenchFiles.Sentences));
Func<float[][]> embed;
Func<long> truncated;
if (command == "pipeline")
{
    var ml = new MLContext(seed: 1);
    var data = ml.Data.LoadFromEnumerable(texts.Select(t => new EmbedBenchFiles.Sentence { Text = t }));
    var model = ml.Transforms.Text.ApplyTextEmbedding("Features", nameof(EmbedBenchFiles.Sentence.Text), options).Fit(data);
    embed = () => EmbedBenchFiles.ReadVectors(model.Transform(data), "Features");
    truncated = () => model.TruncatedRowCount;
}
else
{
    var ours = TextEmbedder.FromPretrained(options);
    embed = () => ours.Embed(texts);
    truncated = () => ours.TruncatedCount;
}
float[][] vectors = [];
for (var i = 0; i < warmup; i++) vectors = embed();
EmbedBenchFiles.WriteVectors(Path.Combine(directory, command switch { "pipeline" => "pipeline.f32", "int8" => "int8.f32", _ => "ours.f32" }), vectors);
var seconds = new double[runs];
for (var i = 0; i < runs; i++)
{
    var start = Stopwatch.GetTimestamp();
    embed();
    seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
}
Array.Sort(seconds);
var peak = double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sentences_per_second={texts.Length / seconds[runs / 2]:F1} peak_rss_mb={peak:F1} truncated={truncated()}"));

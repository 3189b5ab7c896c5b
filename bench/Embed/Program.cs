using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.Transformers;
using MLNet.Transformers.Bench.Embed;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Transforms;

// prepare DIR MODEL DATA.tsv BATCH: a copy of the checkpoint directory MODEL (the real all-MiniLM-L6-v2), the
//   sentences, and the length-sorted batches every contender runs.
// embed DIR THREADS BATCH WARMUP RUNS: times TextEmbedder.Embed over every sentence (tokenize, sort, encode, pool,
//   normalise), writes ours.f32; last line "sentences_per_second=X peak_rss_mb=Y".
// int8 DIR THREADS BATCH WARMUP RUNS: the same with Precision.Int8 (8-bit dense products), writes int8.f32.
// pipeline DIR THREADS BATCH WARMUP RUNS: the same sentences through an ML.NET pipeline (LoadFromEnumerable ->
//   ApplyTextEmbedding, a cursor reading every vector), writes pipeline.f32; the same last line.
var (command, directory) = (args[0], args[1]);
if (command == "prepare")
{
    var (shared, data, batchSize) = (args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture));
    foreach (var file in Directory.GetFiles(shared, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(directory, Path.GetRelativePath(shared, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }
    var sentences = EmbedBenchFiles.ReadTsvColumn(data, "sentence");
    File.WriteAllLines(Path.Combine(directory, EmbedBenchFiles.Sentences), sentences);
    var embedder = TextEmbedder.FromPretrained(new TextEmbeddingOptions { ModelPath = directory, BatchSize = batchSize });
    var encodings = embedder.Tokenizer.EncodeBatch(sentences, embedder.Encoding);
    var plan = new InferenceBatching { BatchSize = batchSize }.Plan([.. encodings.Select(e => e.Length)]);
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
var (vectors, seconds) = EmbedTiming.Measure(embed, warmup, runs);
EmbedBenchFiles.WriteVectors(Path.Combine(directory, command switch { "pipeline" => "pipeline.f32", "int8" => "int8.f32", _ => "ours.f32" }), vectors);
Console.WriteLine($"{EmbedTiming.Result(texts.Length, seconds)} truncated={truncated()}");

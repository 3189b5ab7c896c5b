using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Transformers.Bench.Train;
using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

// prepare DIR: writes config.json (a preset of BertPresets, dropout 0 as the PyTorch reference has none) and
// batch.json (random token ids, full attention, labels) for both contenders.
// step DIR: times training steps on that batch as the trainer takes them (forward, cross-entropy, backward,
// global-norm clipping at 1.0, AdamW, zero gradients); last line "examples_per_second=X".
var options = StepBenchmarkOptions.Parse(args);
const float MaxGradientNorm = 1f, LearningRate = 5e-5f;
if (options.Command == "prepare")
{
    var config = BertPresets.Create(options.Preset, options.VocabularySize);
    config.HiddenDropoutProb = 0;
    config.AttentionProbsDropoutProb = 0;
    config.Labels = [.. Enumerable.Range(0, options.Classes).Select(c => $"LABEL_{c}")];
    Directory.CreateDirectory(options.Directory);
    config.Save(Path.Combine(options.Directory, BertConfig.FileName));
    var random = new Random((int)options.Seed);
    var ids = Enumerable.Range(0, options.Batch).Select(_ => Enumerable.Range(0, options.Tokens).Select(_ => random.Next(1, options.VocabularySize)).ToArray()).ToArray();
    File.WriteAllText(Path.Combine(options.Directory, "batch.json"), JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["input_ids"] = ids,
        ["attention_mask"] = ids.Select(row => row.Select(_ => 1).ToArray()).ToArray(),
        ["token_type_ids"] = ids.Select(row => row.Select(_ => 0).ToArray()).ToArray(),
        ["labels"] = Enumerable.Range(0, options.Batch).Select(_ => random.Next(options.Classes)).ToArray(),
    }));
    return;
}

using var engine = EngineScope.Enter(options.Threads, GemmKernel.Auto); // the main thread's degree, for the rest of the run
var modelConfig = BertConfig.Load(Path.Combine(options.Directory, BertConfig.FileName));
var model = new BertForSequenceClassification(modelConfig);
model.Initialize(options.Seed);
using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(options.Directory, "batch.json")));
int[][] Rows(string name) => [.. document.RootElement.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray())];
var batch = EncoderBatch.FromRows(Rows("input_ids"), Rows("attention_mask"), Rows("token_type_ids"));
int[] labels = [.. document.RootElement.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32())];
var optimizer = new AdamW(model.Parameters);

for (var i = 0; i < options.Warmup; i++) Step();
var seconds = new double[options.Runs];
for (var r = 0; r < seconds.Length; r++)
{
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < options.Steps; i++) Step();
    seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
}
Array.Sort(seconds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"examples_per_second={labels.Length * options.Steps / seconds[seconds.Length / 2]:F2}"));

void Step()
{
    model.ForwardBackward(batch, labels);
    GradientClipping.ClipGlobalNorm(model.Parameters, MaxGradientNorm);
    optimizer.Step(LearningRate);
    optimizer.ZeroGradients();
}
